import { linkParamsSchema } from '../../contract/links.js';
import { shareRequestSchema, shareResultSchema, smsLinkRequestSchema, smsLinkSchema, type ShareResult } from '../../contract/share.js';
import type { Deps } from '../deps.js';
import { linkStatus } from '../domain/links.js';
import { HttpError, notFound } from '../http/errors.js';
import { route, type MerchantAuth } from '../http/route.js';
import { composeEmail, composeSms, smsDeepLink, type ShareContent } from '../share/compose.js';
import { ShareFailure } from '../share/failure.js';

const errors = {
  401: { description: 'Missing or invalid API key.' },
  404: { description: 'No such link.' },
  409: { description: '`link_not_shareable`: the link is expired, exhausted or deactivated; the message says which.' },
};

/**
 * Sharing a link by email or SMS. The recipient is used for this one message and forgotten: it
 * is not stored, not in an event, not logged (the log line says which link and channel only).
 */
export function shareRoutes({ store, clock, present, share }: Deps) {
  const shareableLink = async (auth: MerchantAuth, id: string) => {
    const link = await store.getLink(auth.accountId, id);
    if (!link) throw notFound('link');
    const status = linkStatus(link, clock.now());
    if (status !== 'active') {
      throw new HttpError(409, 'link_not_shareable', `This link is ${status}: an applicant could not use it. Create a new link to share.`);
    }
    return link;
  };

  const contentFor = async (auth: MerchantAuth, id: string, message: string | undefined): Promise<ShareContent> => {
    const link = await shareableLink(auth, id);
    const account = await store.getAccount(auth.accountId);
    if (!account) throw notFound('account');
    return { shop: account.name, url: present.linkUrl(link.id), language: link.language, flow: link.flow, expiresAt: link.expiresAt, message };
  };

  return [
    route({
      method: 'POST',
      path: '/api/v1/links/:id/share',
      tag: 'links',
      summary: 'Send the link to an applicant by email or SMS',
      auth: 'merchant',
      params: linkParamsSchema,
      body: shareRequestSchema,
      responses: {
        202: { description: 'Handed to the mail server or SMS provider, or (`delivered: "outbox"`) only written to the outbox because none is configured.', schema: shareResultSchema },
        400: { description: '`invalid_request`: the message names the field (`to`, `channel`, `message`).' },
        429: { description: '`rate_limited`: too many shares from this account in the last minute; `Retry-After` says when to try again.' },
        502: { description: '`share_failed`: the mail server or SMS provider refused or did not answer; nothing was sent.' },
        ...errors,
      },
      async handle({ params, body, auth, log }) {
        // Every valid request counts, delivered or not: a leaked key must not make us a spam relay.
        const waitSeconds = await share.limiter.take(auth.accountId);
        if (waitSeconds > 0) {
          throw new HttpError(429, 'rate_limited', `Too many links shared from this account: try again in ${waitSeconds} seconds.`, {
            'retry-after': String(waitSeconds),
          });
        }
        const content = await contentFor(auth, params.id, body.message);
        let result: ShareResult;
        try {
          if (body.channel === 'email') {
            await share.mailer.send({ to: body.to, ...composeEmail(content) });
            result = { channel: 'email', delivered: share.mailer.delivery };
          } else {
            const text = composeSms(content);
            await share.sms.send(body.to, text);
            result = { channel: 'sms', delivered: share.sms.delivery, smsLink: smsDeepLink(body.to, text) };
          }
        } catch (error) {
          if (!(error instanceof ShareFailure)) throw error;
          log.warn({ linkId: params.id, channel: body.channel, code: error.code }, 'share failed');
          throw new HttpError(502, 'share_failed', error.message);
        }
        log.info({ linkId: params.id, channel: body.channel, delivered: result.delivered }, 'link shared');
        return { status: 202, json: result };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/links/:id/share/sms-link',
      tag: 'links',
      summary: "An sms: link with the link's text, for the merchant's own phone; sends nothing",
      auth: 'merchant',
      params: linkParamsSchema,
      body: smsLinkRequestSchema,
      responses: {
        200: { description: 'The sms: link and its text.', schema: smsLinkSchema },
        400: { description: '`invalid_request`: the message names the field.' },
        ...errors,
      },
      async handle({ params, body, auth }) {
        const smsBody = composeSms(await contentFor(auth, params.id, body.message));
        return { json: { smsLink: smsDeepLink(body.to, smsBody), smsBody } };
      },
    }),
  ];
}
