import QRCode from 'qrcode';
import { z } from 'zod';
import { ID_PREFIXES } from '../../contract/common.js';
import {
  IMMUTABLE_LINK_FIELDS, linkCreateSchema, linkListQuerySchema, linkPageSchema, linkParamsSchema, linkSchema,
  linkStatsSchema, linkUpdateSchema, type LinkStats,
} from '../../contract/links.js';
import type { Deps } from '../deps.js';
import { HttpError, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import { newId } from '../ids.js';
import { decodeCursor, pageReply } from '../pagination.js';
import { requiredCaptureKinds } from '../domain/sessions.js';
import type { LinkActivity, LinkRow } from '../store/store.js';

const errors = { 401: { description: 'Missing or invalid API key.' }, 404: { description: 'No such link.' } };
const STATS_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const SUBMITTED = new Set(['submitted', 'review', 'approved', 'denied']);

/** The funnel counts each session once at every step it reached. */
function linkStats(link: LinkRow, activity: LinkActivity, firstDay: number): LinkStats {
  const captured = activity.sessions.filter((s) => {
    if (SUBMITTED.has(s.status)) return true;
    const taken = new Set(s.captured);
    return requiredCaptureKinds(link.flow, s.documentType).every((kind) => taken.has(kind));
  });
  const counts = new Map(activity.perDay.map((d) => [d.day, d.sessions]));
  const perDay = Array.from({ length: STATS_DAYS }, (_, i) => {
    const day = new Date(firstDay + i * DAY_MS).toISOString().slice(0, 10);
    return { day, sessions: counts.get(day) ?? 0 };
  });
  return {
    funnel: {
      opened: activity.opens,
      started: activity.sessions.length,
      captured: captured.length,
      submitted: activity.sessions.filter((s) => SUBMITTED.has(s.status)).length,
      approved: activity.sessions.filter((s) => s.status === 'approved').length,
    },
    perDay,
  };
}

const qrQuerySchema = z.strictObject({ size: z.coerce.number().int().min(64).max(2048).default(512) });

export function linkRoutes({ store, clock, present }: Deps) {
  const view = (row: LinkRow) => present.link(row, clock.now());
  const found = (row: LinkRow | undefined) => {
    if (!row) throw notFound('link');
    return row;
  };

  return [
    route({
      method: 'POST',
      path: '/api/v1/links',
      tag: 'links',
      summary: 'Create a magic link',
      auth: 'merchant',
      body: linkCreateSchema,
      responses: { 201: { description: 'The link.', schema: linkSchema }, 400: { description: 'Invalid input.' }, ...errors },
      async handle({ body, auth }) {
        const now = clock.now();
        const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : null;
        if (expiresAt !== null && expiresAt <= now) {
          throw new HttpError(400, 'invalid_request', 'expiresAt: must be in the future.');
        }
        const row = await store.createLink({
          id: newId(ID_PREFIXES.link),
          accountId: auth.accountId,
          mode: auth.mode,
          name: body.name,
          flow: body.flow,
          usageLimit: body.usageLimit,
          uses: 0,
          expiresAt,
          language: body.language,
          redirectUrl: body.redirectUrl ?? null,
          metadata: body.metadata ?? {},
          createdAt: now,
          deactivatedAt: null,
        });
        return { status: 201, json: view(row) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/links',
      tag: 'links',
      summary: 'List links, newest first',
      auth: 'merchant',
      query: linkListQuerySchema,
      responses: { 200: { description: 'A page of links.', schema: linkPageSchema }, ...errors },
      async handle({ query, auth }) {
        const page = await store.listLinks(auth.accountId, {
          now: clock.now(),
          limit: query.limit,
          after: decodeCursor(query.cursor),
          status: query.status,
          flow: query.flow,
        });
        return { json: pageReply(page, view) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/links/:id',
      tag: 'links',
      summary: 'Get a link',
      auth: 'merchant',
      params: linkParamsSchema,
      responses: { 200: { description: 'The link.', schema: linkSchema }, ...errors },
      async handle({ params, auth }) {
        return { json: view(found(await store.getLink(auth.accountId, params.id))) };
      },
    }),

    route({
      method: 'PATCH',
      path: '/api/v1/links/:id',
      tag: 'links',
      summary: "Rename a link or change its redirect URL or metadata (never its limit, expiry or flow)",
      auth: 'merchant',
      params: linkParamsSchema,
      body: linkUpdateSchema,
      refuse: refuseImmutableFields,
      responses: {
        200: { description: 'The link.', schema: linkSchema },
        409: { description: '`link_immutable`: usage limit, expiry and flow never change.' },
        ...errors,
      },
      async handle({ params, body, auth }) {
        return { json: view(found(await store.updateLink(auth.accountId, params.id, body, clock.now()))) };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/links/:id/deactivate',
      tag: 'links',
      summary: 'Deactivate a link, for good',
      auth: 'merchant',
      params: linkParamsSchema,
      responses: { 200: { description: 'The deactivated link.', schema: linkSchema }, ...errors },
      async handle({ params, auth }) {
        return { json: view(found(await store.deactivateLink(auth.accountId, params.id, clock.now()))) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/links/:id/stats',
      tag: 'links',
      summary: 'The link\'s funnel (opened → started → captured → submitted → approved) and sessions per day',
      auth: 'merchant',
      params: linkParamsSchema,
      responses: { 200: { description: 'The figures.', schema: linkStatsSchema }, ...errors },
      async handle({ params, auth }) {
        const now = clock.now();
        const link = found(await store.getLink(auth.accountId, params.id));
        const firstDay = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate()) - (STATS_DAYS - 1) * DAY_MS;
        const activity = (await store.linkActivity(auth.accountId, link.id, firstDay))!;
        return { json: linkStats(link, activity, firstDay) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/links/:id/qr.svg',
      tag: 'links',
      summary: "The link's QR code as SVG",
      auth: 'merchant',
      params: linkParamsSchema,
      responses: { 200: { description: 'SVG image.', contentType: 'image/svg+xml' }, ...errors },
      async handle({ params, auth }) {
        const link = found(await store.getLink(auth.accountId, params.id));
        const svg = await QRCode.toString(present.linkUrl(link.id), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
        return { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'private, no-store' }, body: svg };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/links/:id/qr.png',
      tag: 'links',
      summary: "The link's QR code as PNG",
      auth: 'merchant',
      params: linkParamsSchema,
      query: qrQuerySchema,
      responses: { 200: { description: 'PNG image.', contentType: 'image/png' }, ...errors },
      async handle({ params, query, auth }) {
        const link = found(await store.getLink(auth.accountId, params.id));
        const png = await QRCode.toBuffer(present.linkUrl(link.id), {
          type: 'png',
          errorCorrectionLevel: 'M',
          margin: 2,
          width: query.size,
        });
        return { headers: { 'content-type': 'image/png', 'cache-control': 'private, no-store' }, body: png };
      },
    }),
  ];
}

/** The seed: links cannot be extended or refreshed. Say so plainly rather than "unknown key". */
function refuseImmutableFields(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const immutable = IMMUTABLE_LINK_FIELDS.filter((field) => field in body);
  if (immutable.length > 0) {
    throw new HttpError(
      409,
      'link_immutable',
      `${immutable.join(', ')}: a link's usage limit, expiry, flow and language can never be changed, raised or extended. Create a new link instead.`,
    );
  }
}
