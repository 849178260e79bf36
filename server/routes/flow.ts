import { z } from 'zod';
import { ID_PREFIXES } from '../../contract/common.js';
import {
  CAPTURE_METRICS_HEADER, flowSessionSchema, flowStartSchema, flowStatusSchema, flowSubmitSchema,
} from '../../contract/flow.js';
import type { FlowSession, FlowStatus, LinkRefusal } from '../../contract/flow.js';
import { captureMetricsSchema, captureParamsSchema, captureSchema, sessionParamsSchema, stepSchema } from '../../contract/sessions.js';
import type { CaptureKind, CaptureMetrics } from '../../contract/sessions.js';
import type { Deps } from '../deps.js';
import { captureKindsOf, sessionUnavailable, stepsOf } from '../domain/sessions.js';
import { HttpError } from '../http/errors.js';
import { route } from '../http/route.js';
import { newId } from '../ids.js';
import type { LinkRow, SessionRow, SessionUnavailable } from '../store/store.js';
import { linkIdFromToken, sessionToken, verifySessionToken } from '../tokens.js';

const REFUSAL_MESSAGES: Record<LinkRefusal, string> = {
  link_not_found: 'This verification link does not exist. Check that it was copied completely.',
  link_deactivated: 'This verification link was switched off by the merchant.',
  link_expired: 'This verification link has expired.',
  link_exhausted: 'This verification link has been used as many times as it allows.',
  no_credits: 'Verification through this link is unavailable right now. Please contact the merchant.',
};

/** Refusals are constants: answering a flood of forged tokens should cost next to nothing. */
const REFUSALS = Object.fromEntries(
  Object.entries(REFUSAL_MESSAGES).map(([code, message]) => [code, new HttpError(410, code, message)]),
) as Record<LinkRefusal, HttpError>;

/** Why an applicant can no longer use a session, as answers; shared with the handoff routes. */
export const SESSION_UNAVAILABLE: Record<SessionUnavailable, HttpError> = {
  session_not_found: new HttpError(404, 'session_not_found', 'No such session.'),
  session_expired: new HttpError(410, 'session_expired', 'This verification session has expired. Open the link again to start anew.'),
  session_closed: new HttpError(409, 'session_closed', 'This verification has already been submitted.'),
};

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_METRICS_HEADER_BYTES = 8 * 1024;
const applicantErrors = {
  401: { description: 'Missing or invalid session token.' },
  404: { description: 'No such session.' },
  409: { description: '`session_closed`: already submitted.' },
  410: { description: '`session_expired`.' },
};

/** What the applicant's browser gets when it starts, resumes or takes over a session. */
export function flowSessionView(
  session: SessionRow,
  link: LinkRow & { accountName: string },
  resumed: boolean,
  captured: CaptureKind[],
  sessionTokenKey: Buffer,
): FlowSession {
  return {
    sessionId: session.id,
    sessionToken: sessionToken(session.id, session.expiresAt, sessionTokenKey),
    resumed,
    status: session.status,
    flow: session.flow,
    language: session.language,
    mode: session.mode,
    steps: stepsOf(session.flow, session.documentType, captured),
    theme: { displayName: link.accountName, accentColor: null, logoUrl: null },
    redirectUrl: link.redirectUrl,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}

export function flowRoutes({ store, blobs, keys, clock, config, present }: Deps) {
  const flowSession = (session: SessionRow, link: LinkRow & { accountName: string }, resumed: boolean, captured: CaptureKind[]) =>
    flowSessionView(session, link, resumed, captured, keys.sessionToken);
  const flowStatus = async (session: SessionRow): Promise<FlowStatus> => {
    const link = await store.findLink(session.linkId);
    const captures = await store.listCaptures(session.id);
    return {
      sessionId: session.id,
      status: session.status,
      steps: stepsOf(session.flow, session.documentType, captures.map((c) => c.kind)),
      redirectUrl: link?.redirectUrl ?? null,
      expiresAt: new Date(session.expiresAt).toISOString(),
    };
  };
  const openSession = async (id: string) => {
    const session = await store.getSession(id);
    const unavailable = sessionUnavailable(session, clock.now());
    if (unavailable || !session) throw SESSION_UNAVAILABLE[unavailable ?? 'session_not_found'];
    return session;
  };

  /** A browser that already holds a session for this link gets it back instead of using another use. */
  const resumable = async (resumeToken: string | undefined, linkId: string) => {
    const claim = resumeToken ? verifySessionToken(resumeToken, keys.sessionToken, clock.now()) : null;
    if (!claim) return undefined;
    const session = await store.getSession(claim.sessionId);
    const isResumable = session?.linkId === linkId && sessionUnavailable(session, clock.now()) === null;
    return isResumable ? session : undefined;
  };

  return [
    route({
      method: 'POST',
      path: '/api/v1/flow/sessions',
      tag: 'flow',
      summary: "Start (or resume) a verification from a link token: the seed's click",
      auth: 'public',
      body: flowStartSchema,
      responses: {
        201: { description: 'A new session; one use of the link and one credit are taken.', schema: flowSessionSchema },
        200: { description: 'The session this browser already had (resumeToken), nothing taken.', schema: flowSessionSchema },
        410: { description: 'Dead link: `link_not_found`, `link_deactivated`, `link_expired`, `link_exhausted` or `no_credits`.' },
      },
      async handle({ body }) {
        const linkId = linkIdFromToken(body.token, keys.linkToken);
        if (!linkId) throw REFUSALS.link_not_found;
        const existing = await resumable(body.resumeToken, linkId);
        if (existing) {
          const link = (await store.findLink(linkId))!;
          const captures = await store.listCaptures(existing.id);
          return { status: 200, json: flowSession(existing, link, true, captures.map((c) => c.kind)) };
        }
        const result = await store.startSession({
          linkId,
          sessionId: newId(ID_PREFIXES.session),
          ttlMs: config.sessionTtlMs,
          now: clock.now(),
        });
        if (!result.ok) throw REFUSALS[result.refusal];
        return { status: 201, json: flowSession(result.session, result.link, false, []) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/flow/sessions/:id',
      tag: 'flow',
      summary: "The session's progress, for resuming and for a desktop following a phone",
      auth: 'applicant',
      params: sessionParamsSchema,
      responses: { 200: { description: 'Progress.', schema: flowStatusSchema }, ...applicantErrors },
      async handle({ params }) {
        const session = await store.getSession(params.id);
        if (!session) throw SESSION_UNAVAILABLE.session_not_found;
        return { json: await flowStatus(session) };
      },
    }),

    route({
      method: 'PUT',
      path: '/api/v1/flow/sessions/:id/captures/:kind',
      tag: 'flow',
      summary: 'Upload a capture (streamed; a new upload of the same kind replaces the previous one)',
      auth: 'applicant',
      params: captureParamsSchema,
      rawBody: {
        contentTypes: IMAGE_TYPES,
        description: `The image bytes. JPEG, PNG or WebP, checked from the bytes themselves; at most MAX_UPLOAD_BYTES.`,
      },
      headers: [
        {
          name: 'Capture-Metrics',
          description: 'JSON: what the browser measured (quality, document corners, faces).',
          schema: captureMetricsSchema,
        },
      ],
      responses: {
        200: { description: 'Stored.', schema: z.object({ capture: captureSchema, steps: z.array(stepSchema) }) },
        400: { description: '`invalid_metrics` or `empty_body`.' },
        413: { description: '`payload_too_large`.' },
        415: { description: '`unsupported_image_type`: not JPEG, PNG or WebP.' },
        422: { description: '`invalid_image` (truncated or corrupt) or `capture_not_in_flow`.' },
        ...applicantErrors,
      },
      async handle({ req, params }) {
        const metrics = parseMetrics(req.headers[CAPTURE_METRICS_HEADER]);
        // Refuse before reading a byte of the image when the upload cannot be kept anyway.
        const session = await openSession(params.id);
        if (!captureKindsOf(session.flow).includes(params.kind)) throw notInFlow(params.kind, session.flow);
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type && !IMAGE_TYPES.includes(type) && type !== 'application/octet-stream') {
          throw new HttpError(415, 'unsupported_image_type', 'Upload a JPEG, PNG or WebP image.');
        }
        if (Number(req.headers['content-length'] ?? 0) > config.maxUploadBytes) throw tooLarge(config.maxUploadBytes);

        // Read without destroying the request on an early stop, so that the refusal can still be sent.
        const blob = await blobs.write(req.iterator({ destroyOnReturn: false }), { maxBytes: config.maxUploadBytes, aad: `${params.id}/${params.kind}` });
        const saved = await store.saveCapture({ sessionId: params.id, kind: params.kind, ...blob, metrics, uploadedAt: clock.now() }, clock.now());
        if (!saved.ok) {
          await blobs.delete(blob.blobId);
          throw saved.reason === 'capture_not_in_flow' ? notInFlow(params.kind, session.flow) : SESSION_UNAVAILABLE[saved.reason];
        }
        if (saved.replacedBlobId) await blobs.delete(saved.replacedBlobId);
        const captures = await store.listCaptures(params.id);
        const capture = present.capture(captures.find((c) => c.kind === params.kind)!);
        return { json: { capture, steps: stepsOf(session.flow, saved.session.documentType, captures.map((c) => c.kind)) } };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/flow/sessions/:id/submit',
      tag: 'flow',
      summary: 'Hand the verification over: it leaves the applicant\'s hands',
      auth: 'applicant',
      params: sessionParamsSchema,
      body: flowSubmitSchema,
      responses: {
        200: { description: 'Submitted.', schema: flowStatusSchema },
        422: { description: '`captures_missing`: the message names the captures still needed.' },
        ...applicantErrors,
      },
      async handle({ params, body }) {
        const result = await store.submitSession(params.id, body?.documentType ?? 'id_card', clock.now());
        if (!result.ok) {
          if (result.reason === 'captures_missing') {
            throw new HttpError(422, 'captures_missing', `Still needed before submitting: ${result.missing.join(', ')}.`);
          }
          throw SESSION_UNAVAILABLE[result.reason];
        }
        return { json: await flowStatus(result.session) };
      },
    }),
  ];
}

function parseMetrics(header: string | string[] | undefined): CaptureMetrics {
  if (header === undefined) return {};
  const text = Array.isArray(header) ? header[0]! : header;
  if (text.length > MAX_METRICS_HEADER_BYTES) throw badMetrics('the header is too long');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badMetrics('it is not valid JSON');
  }
  const result = captureMetricsSchema.safeParse(value);
  if (!result.success) {
    throw badMetrics(result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'metrics'}: ${i.message}`).join('; '));
  }
  return result.data;
}

const badMetrics = (why: string) => new HttpError(400, 'invalid_metrics', `Capture-Metrics header: ${why}.`);
const tooLarge = (maxBytes: number) =>
  new HttpError(413, 'payload_too_large', `The image is larger than the ${maxBytes} bytes accepted.`);
const notInFlow = (kind: string, flow: string) =>
  new HttpError(422, 'capture_not_in_flow', `A ${flow} verification takes no ${kind} capture.`);
