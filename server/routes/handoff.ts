import QRCode from 'qrcode';
import { ID_PREFIXES } from '../../contract/common.js';
import { flowSessionSchema, handoffRedeemSchema, handoffSchema } from '../../contract/flow.js';
import type { Handoff, HandoffRefusal } from '../../contract/flow.js';
import { sessionParamsSchema } from '../../contract/sessions.js';
import type { Deps } from '../deps.js';
import { sessionUnavailable } from '../domain/sessions.js';
import { HttpError } from '../http/errors.js';
import { route } from '../http/route.js';
import { newId } from '../ids.js';
import type { SessionUnavailable } from '../store/store.js';
import { handoffTokenHash, newHandoffToken } from '../tokens.js';
import { flowSessionView, SESSION_UNAVAILABLE } from './flow.js';

/** Long enough to pick up a phone and scan; short enough that a photographed screen soon goes stale. */
export const HANDOFF_TTL_MS = 10 * 60 * 1000;

const REFUSALS: Record<HandoffRefusal, HttpError> = {
  handoff_not_found: new HttpError(404, 'handoff_not_found', 'This handoff code is not valid. Show a new QR code on the other device.'),
  handoff_used: new HttpError(409, 'handoff_used', 'This handoff code has already been used. Show a new QR code on the other device.'),
  handoff_expired: new HttpError(410, 'handoff_expired', 'This handoff code has expired. Show a new QR code on the other device.'),
};

const REDEEM_REFUSALS: Record<HandoffRefusal | SessionUnavailable, HttpError> = { ...REFUSALS, ...SESSION_UNAVAILABLE };

/** "Continue on your phone": the desktop asks for a one-time URL, the phone redeems it. */
export function handoffRoutes({ store, keys, clock, present }: Deps) {
  return [
    route({
      method: 'POST',
      path: '/api/v1/flow/sessions/:id/handoff',
      tag: 'flow',
      summary: 'A one-time URL (and its QR code) that opens this session on another device',
      auth: 'applicant',
      params: sessionParamsSchema,
      responses: {
        201: { description: 'The URL: the link with `#handoff=vnh_…`, valid once for 10 minutes.', schema: handoffSchema },
        401: { description: 'Missing or invalid session token.' },
        404: { description: 'No such session.' },
        409: { description: '`session_closed`: already submitted.' },
        410: { description: '`session_expired`.' },
      },
      async handle({ params }) {
        const now = clock.now();
        const session = await store.getSession(params.id);
        const unavailable = sessionUnavailable(session, now);
        if (unavailable || !session) throw SESSION_UNAVAILABLE[unavailable ?? 'session_not_found'];
        const { token, hash } = newHandoffToken();
        const expiresAt = Math.min(now + HANDOFF_TTL_MS, session.expiresAt);
        const created = await store.createHandoff(
          { id: newId(ID_PREFIXES.handoff), sessionId: session.id, tokenHash: hash, createdAt: now, expiresAt, usedAt: null },
          now,
        );
        if (!created.ok) throw SESSION_UNAVAILABLE[created.reason];
        // In the fragment: browsers never send it, so the token reaches no server log, proxy or Referer.
        const url = `${present.linkUrl(session.linkId)}#handoff=${token}`;
        const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
        const handoff: Handoff = { url, expiresAt: new Date(expiresAt).toISOString(), qrSvg };
        return { status: 201, json: handoff };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/flow/handoff',
      tag: 'flow',
      summary: 'Take over a session on this device with a handoff token (once)',
      auth: 'public',
      body: handoffRedeemSchema,
      responses: {
        200: { description: 'The session, with a session token for this device (`resumed: true`).', schema: flowSessionSchema },
        404: { description: '`handoff_not_found`: unknown or forged.' },
        409: { description: '`handoff_used`, or `session_closed`: already submitted.' },
        410: { description: '`handoff_expired`, or `session_expired`.' },
      },
      async handle({ body }) {
        const hash = handoffTokenHash(body.handoffToken);
        if (!hash) throw REFUSALS.handoff_not_found;
        const redeemed = await store.redeemHandoff(hash, clock.now());
        if (!redeemed.ok) throw REDEEM_REFUSALS[redeemed.reason];
        const { session } = redeemed;
        const link = await store.findLink(session.linkId);
        if (!link) throw SESSION_UNAVAILABLE.session_not_found;
        const captures = await store.listCaptures(session.id);
        return { json: flowSessionView(session, link, true, captures.map((c) => c.kind), keys.sessionToken) };
      },
    }),
  ];
}
