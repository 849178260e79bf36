import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { OutboxMailer, SmtpMailer, type Mailer } from './mailer.js';
import { Outbox, OUTBOX_KEEP_MS } from './outbox.js';
import { RateLimiter } from './rate-limit.js';
import { HttpSmsSender, OutboxSmsSender, type SmsSender } from './sms.js';

/** No transport may hold a merchant's request longer than this. */
export const SHARE_TIMEOUT_MS = 10_000;
const OUTBOX_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** What the share routes use: a mailer, an SMS sender, the outbox behind both, a rate limit (counted in the store). */
export interface Sharing {
  mailer: Mailer;
  sms: SmsSender;
  outbox: Outbox;
  limiter: RateLimiter;
  /**
   * Deletes outbox files older than 7 days, now (before the server listens) and then every hour;
   * the returned function stops that and closes the SMTP transport.
   */
  start(log: Logger): Promise<() => void>;
}

export function createSharing(config: Config['share'], clock: Clock, store: Store, rateLimitSecret: Buffer): Sharing {
  const outbox = new Outbox(config.outboxDir);
  const mailer: Mailer = config.smtp
    ? new SmtpMailer({ url: config.smtp.url, from: config.smtp.from, timeoutMs: SHARE_TIMEOUT_MS })
    : new OutboxMailer(outbox, config.outboxFrom);
  const sms: SmsSender = config.sms
    ? new HttpSmsSender({ ...config.sms, timeoutMs: SHARE_TIMEOUT_MS })
    : new OutboxSmsSender(outbox, config.smsFrom);
  return {
    mailer,
    sms,
    outbox,
    limiter: new RateLimiter(store, rateLimitSecret, config.ratePerMinute, clock),
    async start(log) {
      const sweep = () =>
        outbox.removeOlderThan(OUTBOX_KEEP_MS).then(
          (removed) => {
            if (removed > 0) log.info({ removed }, 'removed outbox files older than 7 days');
          },
          (err) => log.error({ err }, 'outbox sweep failed'),
        );
      // Not `email` as a key: the logger redacts that one.
      log.info({ emailDelivery: mailer.delivery, smsDelivery: sms.delivery }, 'sharing: where shared links go');
      await sweep();
      const timer = setInterval(sweep, OUTBOX_SWEEP_INTERVAL_MS);
      timer.unref();
      return () => {
        clearInterval(timer);
        mailer.close?.();
      };
    },
  };
}
