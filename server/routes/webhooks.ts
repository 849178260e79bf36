import { ID_PREFIXES } from '../../contract/common.js';
import {
  TEST_EVENT_TYPE, webhookDeliveryListQuerySchema, webhookDeliveryPageSchema, webhookDeliveryParamsSchema, webhookDeliverySchema,
  webhookEndpointCreateSchema, webhookEndpointListSchema, webhookEndpointParamsSchema, webhookEndpointSchema,
  webhookEndpointUpdateSchema, webhookEndpointWithSecretSchema, webhookRotateSchema, type WebhookDelivery, type WebhookEndpoint,
} from '../../contract/webhooks.js';
import type { Deps } from '../deps.js';
import { HttpError, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import { newId } from '../ids.js';
import { decodeCursor, pageReply } from '../pagination.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../store/store.js';
import { newWebhookSecret, sealSecret } from '../webhooks/secret-box.js';
import { BlockedAddressError, resolveAllowed } from '../webhooks/ssrf-guard.js';

const MAX_ENDPOINTS_PER_ACCOUNT = 16;
const HOUR_MS = 3_600_000;
const errors = { 401: { description: 'Missing or invalid API key.' }, 404: { description: 'No such webhook endpoint.' } };
const urlErrors = { 400: { description: '`invalid_request`, or `webhook_url_forbidden`: the URL is or resolves to a private address.' } };

const iso = (ms: number) => new Date(ms).toISOString();

export const presentEndpoint = (row: WebhookEndpointRow, now: number): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  eventTypes: row.eventTypes,
  enabled: row.enabled,
  disabledReason: row.disabledReason,
  secretPrefix: row.secretPrefix,
  previousSecretExpiresAt: row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now ? iso(row.previousSecretExpiresAt) : null,
  consecutiveFailures: row.consecutiveFailures,
  createdAt: iso(row.createdAt),
});

export const presentDelivery = (row: WebhookDeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpointId,
  eventId: row.eventId,
  eventType: row.eventType,
  status: row.status,
  nextAttemptAt: row.nextAttemptAt === null ? null : iso(row.nextAttemptAt),
  createdAt: iso(row.createdAt),
  attempts: row.attempts.map((a) => ({ ...a, at: iso(a.at) })),
});

export function webhookRoutes({ store, clock, keys, config, webhooks }: Deps) {
  const found = <T>(row: T | undefined, what = 'webhook endpoint'): T => {
    if (!row) throw notFound(what);
    return row;
  };

  /** The SSRF guard's first look, so a merchant hears at once; every attempt checks again. */
  const checkUrl = async (url: string) => {
    try {
      await resolveAllowed(new URL(url).hostname, config.allowPrivateWebhooks);
    } catch (error) {
      if (error instanceof BlockedAddressError) throw new HttpError(400, 'webhook_url_forbidden', `url: ${error.message}`);
      throw new HttpError(400, 'webhook_url_unresolvable', `url: ${new URL(url).hostname} has no address in DNS.`);
    }
  };

  const withSecret = (row: WebhookEndpointRow, secret: string) => ({ ...presentEndpoint(row, clock.now()), secret });

  return [
    route({
      method: 'POST',
      path: '/api/v1/webhook-endpoints',
      tag: 'webhooks',
      summary: 'Add a webhook endpoint; its signing secret is in this answer only',
      auth: 'merchant',
      body: webhookEndpointCreateSchema,
      responses: {
        201: { description: 'The endpoint, with its secret.', schema: webhookEndpointWithSecretSchema },
        409: { description: '`too_many_endpoints`.' },
        ...urlErrors,
        ...errors,
      },
      async handle({ body, auth }) {
        await checkUrl(body.url);
        if ((await store.listWebhookEndpoints(auth.accountId)).length >= MAX_ENDPOINTS_PER_ACCOUNT) {
          throw new HttpError(409, 'too_many_endpoints', `An account has at most ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints; delete one first.`);
        }
        const id = newId(ID_PREFIXES.webhookEndpoint);
        const secret = newWebhookSecret();
        const row = await store.createWebhookEndpoint({
          id,
          accountId: auth.accountId,
          url: body.url,
          description: body.description ?? null,
          eventTypes: body.eventTypes,
          enabled: body.enabled,
          disabledReason: null,
          secretSealed: sealSecret(keys.webhookSecrets, id, secret),
          secretPrefix: secret.slice(0, 12),
          previousSecretSealed: null,
          previousSecretExpiresAt: null,
          consecutiveFailures: 0,
          createdAt: clock.now(),
        });
        return { status: 201, json: withSecret(row, secret) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/webhook-endpoints',
      tag: 'webhooks',
      summary: "List the account's webhook endpoints",
      auth: 'merchant',
      responses: { 200: { description: 'The endpoints, oldest first.', schema: webhookEndpointListSchema }, ...errors },
      async handle({ auth }) {
        const now = clock.now();
        return { json: { data: (await store.listWebhookEndpoints(auth.accountId)).map((row) => presentEndpoint(row, now)) } };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/webhook-endpoints/:id',
      tag: 'webhooks',
      summary: 'Get a webhook endpoint',
      auth: 'merchant',
      params: webhookEndpointParamsSchema,
      responses: { 200: { description: 'The endpoint.', schema: webhookEndpointSchema }, ...errors },
      async handle({ params, auth }) {
        return { json: presentEndpoint(found(await store.getWebhookEndpoint(auth.accountId, params.id)), clock.now()) };
      },
    }),

    route({
      method: 'PATCH',
      path: '/api/v1/webhook-endpoints/:id',
      tag: 'webhooks',
      summary: 'Change an endpoint: its URL, event types, description; enable or disable it',
      auth: 'merchant',
      params: webhookEndpointParamsSchema,
      body: webhookEndpointUpdateSchema,
      responses: { 200: { description: 'The endpoint.', schema: webhookEndpointSchema }, ...urlErrors, ...errors },
      async handle({ params, body, auth }) {
        if (body.url) await checkUrl(body.url);
        const row = found(await store.updateWebhookEndpoint(auth.accountId, params.id, body));
        if (body.enabled) webhooks.wake();
        return { json: presentEndpoint(row, clock.now()) };
      },
    }),

    route({
      method: 'DELETE',
      path: '/api/v1/webhook-endpoints/:id',
      tag: 'webhooks',
      summary: 'Delete an endpoint, with its deliveries and their log',
      auth: 'merchant',
      params: webhookEndpointParamsSchema,
      responses: { 200: { description: '`{id, deleted: true}`.' }, ...errors },
      async handle({ params, auth }) {
        if (!(await store.deleteWebhookEndpoint(auth.accountId, params.id))) throw notFound('webhook endpoint');
        return { json: { id: params.id, deleted: true } };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/webhook-endpoints/:id/rotate-secret',
      tag: 'webhooks',
      summary: 'A new signing secret; the old one keeps signing beside it for the grace period',
      auth: 'merchant',
      params: webhookEndpointParamsSchema,
      body: webhookRotateSchema,
      responses: { 200: { description: 'The endpoint, with its new secret.', schema: webhookEndpointWithSecretSchema }, ...errors },
      async handle({ params, body, auth }) {
        const secret = newWebhookSecret();
        const row = found(
          await store.rotateWebhookSecret(auth.accountId, params.id, {
            secretSealed: sealSecret(keys.webhookSecrets, params.id, secret),
            secretPrefix: secret.slice(0, 12),
            previousSecretExpiresAt: clock.now() + body.graceHours * HOUR_MS,
          }),
        );
        return { json: withSecret(row, secret) };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/webhook-endpoints/:id/test',
      tag: 'webhooks',
      summary: `Send a test event (type ${TEST_EVENT_TYPE}) to the endpoint`,
      auth: 'merchant',
      params: webhookEndpointParamsSchema,
      responses: { 202: { description: 'The delivery, queued.', schema: webhookDeliverySchema }, ...errors },
      async handle({ params, auth }) {
        const now = clock.now();
        const eventId = newId(ID_PREFIXES.event);
        const payload = JSON.stringify({
          id: eventId,
          type: TEST_EVENT_TYPE,
          createdAt: iso(now),
          data: { endpointId: params.id, message: 'A test event from verify-now: your endpoint and its signature check work.' },
        });
        const delivery = found(
          await store.enqueueWebhookTest(auth.accountId, params.id, { id: newId(ID_PREFIXES.webhookDelivery), eventId, eventType: TEST_EVENT_TYPE, payload }, now),
        );
        webhooks.wake();
        return { status: 202, json: presentDelivery(delivery) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/webhook-endpoints/:id/deliveries',
      tag: 'webhooks',
      summary: "The endpoint's deliveries, newest first, each with its attempts",
      auth: 'merchant',
      params: webhookEndpointParamsSchema,
      query: webhookDeliveryListQuerySchema,
      responses: { 200: { description: 'A page of deliveries.', schema: webhookDeliveryPageSchema }, ...errors },
      async handle({ params, query, auth }) {
        const page = found(
          await store.listWebhookDeliveries(auth.accountId, params.id, {
            limit: query.limit,
            after: decodeCursor(query.cursor),
            status: query.status,
          }),
        );
        return { json: pageReply(page, presentDelivery) };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/webhook-endpoints/:id/deliveries/:deliveryId',
      tag: 'webhooks',
      summary: 'One delivery and its attempts',
      auth: 'merchant',
      params: webhookDeliveryParamsSchema,
      responses: { 200: { description: 'The delivery.', schema: webhookDeliverySchema }, ...errors },
      async handle({ params, auth }) {
        return { json: presentDelivery(found(await store.getWebhookDelivery(auth.accountId, params.id, params.deliveryId), 'delivery')) };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/webhook-endpoints/:id/deliveries/:deliveryId/resend',
      tag: 'webhooks',
      summary: 'Send the same event again now, as a new delivery (same event id)',
      auth: 'merchant',
      params: webhookDeliveryParamsSchema,
      responses: { 202: { description: 'The new delivery, queued.', schema: webhookDeliverySchema }, ...errors },
      async handle({ params, auth }) {
        const delivery = found(
          await store.resendWebhookDelivery(auth.accountId, params.id, params.deliveryId, newId(ID_PREFIXES.webhookDelivery), clock.now()),
          'delivery',
        );
        webhooks.wake();
        return { status: 202, json: presentDelivery(delivery) };
      },
    }),
  ];
}
