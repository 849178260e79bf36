import { createTransport } from 'nodemailer';
import type { Outbox } from './outbox.js';
import { ShareFailure } from './failure.js';

export interface OutgoingEmail {
  /** Shown as the sender's name: the merchant's account name. */
  fromName: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one email; throws ShareFailure when it could not. */
export interface Mailer {
  readonly delivery: 'smtp' | 'outbox';
  send(mail: OutgoingEmail): Promise<void>;
  /** Lets go of connections, at shutdown. */
  close?(): void;
}

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…` (nodemailer's connection URL, query options included). */
  url: string;
  /** The sender's address (`From`); the merchant's name goes beside it. */
  from: string;
  /** Connecting, the greeting, each reply and the whole send: none may take longer. */
  timeoutMs: number;
}

/** Through an SMTP server (nodemailer), one connection per message: sharing is rare and interactive. */
export class SmtpMailer implements Mailer {
  readonly delivery = 'smtp';
  private readonly transport;

  constructor(private readonly options: SmtpMailerOptions) {
    const { timeoutMs } = options;
    this.transport = createTransport({
      url: options.url,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
      // nodemailer's own logging would print envelopes (recipients) and message bodies.
      logger: false,
      debug: false,
    });
  }

  async send(mail: OutgoingEmail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: { name: mail.fromName, address: this.options.from },
        to: { name: '', address: mail.to },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw smtpFailure(error as { code?: string; responseCode?: number }, this.options.timeoutMs);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Nodemailer's messages quote the server's reply, which usually names the recipient
 * (`550 5.1.1 <jane@…>: user unknown`): say what kind of failure it was, never the reply itself.
 */
function smtpFailure(error: { code?: string; responseCode?: number }, timeoutMs: number): ShareFailure {
  const code = error.code ?? 'unknown';
  const reply = error.responseCode ? ` (${error.responseCode})` : '';
  const later = 'Nothing was sent; try again later.';
  switch (code) {
    case 'EABORT':
    case 'ETIMEDOUT':
      return new ShareFailure(`The mail server did not answer within ${timeoutMs / 1000} seconds. ${later}`, code);
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EPROXY':
      return new ShareFailure(`The mail server could not be reached. ${later}`, code);
    case 'ETLS':
    case 'EREQUIRETLS':
      return new ShareFailure(`No secure connection could be made to the mail server. ${later}`, code);
    case 'EAUTH':
    case 'ENOAUTH':
      return new ShareFailure('The mail server refused our credentials: the server’s SMTP_URL needs fixing. Nothing was sent.', code);
    case 'EENVELOPE':
      return new ShareFailure(`The mail server refused the sender or the recipient${reply}. Check the address; nothing was sent.`, code);
    default:
      return new ShareFailure(`The mail server refused the message${reply}. Nothing was sent.`, code);
  }
}

/**
 * No SMTP_URL: the message is built exactly as it would be sent and written to the outbox as an
 * `.eml` file (any mail client opens it). Nobody receives it.
 */
export class OutboxMailer implements Mailer {
  readonly delivery = 'outbox';
  private readonly transport = createTransport({ streamTransport: true, buffer: true });

  constructor(
    private readonly outbox: Outbox,
    private readonly from: string,
  ) {}

  async send(mail: OutgoingEmail): Promise<void> {
    const info = await this.transport.sendMail({
      from: { name: mail.fromName, address: this.from },
      to: { name: '', address: mail.to },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    await this.outbox.write('eml', info.message as Buffer);
  }
}
