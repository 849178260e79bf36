import {
  captureParamsSchema, decisionSchema, sessionDetailSchema, sessionListQuerySchema, sessionPageSchema,
  sessionParamsSchema, sessionSchema,
} from '../../contract/sessions.js';
import type { Deps } from '../deps.js';
import { HttpError, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import { decodeCursor, pageReply } from '../pagination.js';
import type { SessionRow } from '../store/store.js';

const errors = { 401: { description: 'Missing or invalid API key.' }, 404: { description: 'No such session.' } };

export function sessionRoutes({ store, blobs, clock, present, log }: Deps) {
  const view = async (row: SessionRow) => present.session(row, await store.listCaptures(row.id));
  const owned = async (accountId: string, id: string) => {
    const session = await store.getAccountSession(accountId, id);
    if (!session) throw notFound('session');
    return session;
  };

  return [
    route({
      method: 'GET',
      path: '/api/v1/sessions',
      tag: 'sessions',
      summary: 'List sessions, newest first',
      auth: 'merchant',
      query: sessionListQuerySchema,
      responses: { 200: { description: 'A page of sessions.', schema: sessionPageSchema }, ...errors },
      async handle({ query, auth }) {
        const page = await store.listSessions(auth.accountId, {
          limit: query.limit,
          after: decodeCursor(query.cursor),
          linkId: query.link,
          status: query.status,
        });
        const captures = await Promise.all(page.rows.map((row) => store.listCaptures(row.id)));
        const byId = new Map(page.rows.map((row, i) => [row.id, captures[i]!]));
        return { json: pageReply(page, (row) => present.session(row, byId.get(row.id)!)) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/sessions/:id',
      tag: 'sessions',
      summary: 'A session with its captures and timeline',
      auth: 'merchant',
      params: sessionParamsSchema,
      responses: { 200: { description: 'The session.', schema: sessionDetailSchema }, ...errors },
      async handle({ params, auth }) {
        const session = await owned(auth.accountId, params.id);
        const events = await store.listEvents(auth.accountId, session.id);
        const timeline = events.map((e) => ({ id: e.id, type: e.type, createdAt: new Date(e.createdAt).toISOString() }));
        return { json: { ...(await view(session)), timeline } };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/sessions/:id/decision',
      tag: 'sessions',
      summary: 'Approve or deny a submitted session',
      auth: 'merchant',
      params: sessionParamsSchema,
      body: decisionSchema,
      responses: {
        200: { description: 'The decided session.', schema: sessionSchema },
        409: { description: '`session_not_decidable`: the applicant has not submitted yet, or it expired.' },
        ...errors,
      },
      async handle({ params, body, auth }) {
        const result = await store.decideSession(auth.accountId, params.id, { status: body.status, note: body.note ?? null }, clock.now());
        if (!result.ok) {
          if (result.reason === 'not_found') throw notFound('session');
          throw new HttpError(409, 'session_not_decidable', `A ${result.status} session cannot be decided: only submitted ones can.`);
        }
        return { json: await view(result.session) };
      },
    }),

    route({
      method: 'DELETE',
      path: '/api/v1/sessions/:id',
      tag: 'sessions',
      summary: "Erase the applicant's data (captures and personal fields); the audit record stays",
      auth: 'merchant',
      params: sessionParamsSchema,
      responses: { 200: { description: 'The erased session.', schema: sessionSchema }, ...errors },
      async handle({ params, auth }) {
        const erased = await store.eraseSession(auth.accountId, params.id, clock.now());
        if (!erased) throw notFound('session');
        // The rows are gone first, so a crash here leaves only unreferenced files for the orphan sweep.
        await Promise.all(erased.blobIds.map((id) => blobs.delete(id)));
        log.info({ sessionId: params.id, files: erased.blobIds.length }, 'session erased');
        return { json: await view(erased.session) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/sessions/:id/captures/:kind',
      tag: 'sessions',
      summary: 'Download a capture (the owning merchant only)',
      auth: 'merchant',
      params: captureParamsSchema,
      responses: { 200: { description: 'The image.', contentType: 'image/*' }, ...errors },
      async handle({ params, auth }) {
        const session = await owned(auth.accountId, params.id);
        const capture = await store.getCapture(session.id, params.kind);
        if (!capture) throw notFound('capture');
        return {
          headers: {
            'content-type': capture.contentType,
            'content-length': String(capture.bytes),
            'cache-control': 'private, no-store',
            'content-disposition': `inline; filename="${session.id}-${capture.kind}.${capture.contentType.split('/')[1]}"`,
          },
          body: blobs.read(capture.blobId, `${session.id}/${capture.kind}`),
        };
      },
    }),
  ];
}
