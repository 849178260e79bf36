import { toAttempt, toClaimedDelivery, toDelivery, toEndpoint } from '../rows.js';
import type {
  ClaimedDelivery, Page, WebhookAttemptResult, WebhookClaim, WebhookDeliveryFilter, WebhookDeliveryRow, WebhookEndpointChange,
  WebhookEndpointRow, WebhookRotation, WebhookTest,
} from '../store.js';
import { ID_PREFIXES } from '../../../contract/common.js';
import { newId } from '../../ids.js';
import type { Sql, TxSql } from './postgres-store.js';

type Raw = Record<string, any>;

/**
 * The webhook tables of the PostgreSQL store. Methods that take `sql` run in the caller's
 * transaction: `enqueueForEvent` in the very transaction that inserts the event, which is what
 * makes the outbox durable. Claims lock the rows they lease with `SKIP LOCKED`, so dispatchers in
 * several processes share the due deliveries and never send one twice.
 */
export class WebhookOutbox {
  constructor(
    private readonly sql: Sql,
    /** The stored event data as the API shows it (the store adds back what it keeps out of the table). */
    private readonly eventJson: (type: string, subjectId: string, data: string) => string,
  ) {}

  /** One pending delivery per endpoint (found by the event's insert) that takes the event. */
  async enqueueForEvent(sql: TxSql, endpointIds: string[], eventId: string, type: string, now: number): Promise<void> {
    const rows = endpointIds.map((endpointId) => ({
      id: newId(ID_PREFIXES.webhookDelivery), endpoint_id: endpointId, event_id: eventId, event_type: type, status: 'pending',
      next_attempt_at: now, created_at: now,
    }));
    await sql`INSERT INTO webhook_deliveries ${sql(rows)}`;
  }

  async createEndpoint(row: WebhookEndpointRow): Promise<WebhookEndpointRow> {
    const [created] = await this.sql`
      INSERT INTO webhook_endpoints (id, account_id, url, description, event_types, enabled, secret_sealed, secret_prefix, created_at)
      VALUES (${row.id}, ${row.accountId}, ${row.url}, ${row.description}, ${JSON.stringify(row.eventTypes)}, ${row.enabled},
        ${row.secretSealed}, ${row.secretPrefix}, ${row.createdAt})
      RETURNING *`;
    return toEndpoint(created!);
  }

  async listEndpoints(accountId: string): Promise<WebhookEndpointRow[]> {
    return (await this.sql`SELECT * FROM webhook_endpoints WHERE account_id = ${accountId} ORDER BY created_at, id`).map(toEndpoint);
  }

  async endpoint(sql: Sql | TxSql, accountId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    const [row] = await sql`SELECT * FROM webhook_endpoints WHERE id = ${id} AND account_id = ${accountId}`;
    return row ? toEndpoint(row) : undefined;
  }

  async updateEndpoint(sql: TxSql, accountId: string, id: string, change: WebhookEndpointChange): Promise<WebhookEndpointRow | undefined> {
    const [endpoint] = await sql`SELECT * FROM webhook_endpoints WHERE id = ${id} AND account_id = ${accountId} FOR UPDATE`;
    if (!endpoint) return undefined;
    const next = { ...toEndpoint(endpoint), ...change };
    // Enabling clears why it was disabled and its run of failures.
    const isEnabling = change.enabled === true && !endpoint.enabled;
    const [row] = await sql`
      UPDATE webhook_endpoints SET url = ${next.url}, description = ${next.description}, event_types = ${JSON.stringify(next.eventTypes)},
        enabled = ${next.enabled},
        disabled_reason = CASE WHEN ${isEnabling} THEN NULL ELSE disabled_reason END,
        consecutive_failures = CASE WHEN ${isEnabling} THEN 0 ELSE consecutive_failures END,
        failing_since = CASE WHEN ${isEnabling} THEN NULL ELSE failing_since END
      WHERE id = ${id} RETURNING *`;
    return toEndpoint(row!);
  }

  async rotateSecret(accountId: string, id: string, rotation: WebhookRotation): Promise<WebhookEndpointRow | undefined> {
    const [row] = await this.sql`
      UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = ${rotation.previousSecretExpiresAt},
        secret_sealed = ${rotation.secretSealed}, secret_prefix = ${rotation.secretPrefix}
      WHERE id = ${id} AND account_id = ${accountId} RETURNING *`;
    return row ? toEndpoint(row) : undefined;
  }

  async deleteEndpoint(sql: TxSql, accountId: string, id: string): Promise<boolean> {
    if (!(await this.endpoint(sql, accountId, id))) return false;
    await sql`DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ${id})`;
    await sql`DELETE FROM webhook_deliveries WHERE endpoint_id = ${id}`;
    await sql`DELETE FROM webhook_endpoints WHERE id = ${id}`;
    return true;
  }

  async enqueueTest(sql: TxSql, accountId: string, endpointId: string, test: WebhookTest, now: number): Promise<WebhookDeliveryRow | undefined> {
    if (!(await this.endpoint(sql, accountId, endpointId))) return undefined;
    await sql`
      INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, next_attempt_at, created_at)
      VALUES (${test.id}, ${endpointId}, ${test.eventId}, ${test.eventType}, ${test.payload}, 'pending', ${now}, ${now})`;
    return this.delivery(sql, accountId, endpointId, test.id);
  }

  async resend(sql: TxSql, accountId: string, endpointId: string, deliveryId: string, newDeliveryId: string, now: number) {
    if (!(await this.delivery(sql, accountId, endpointId, deliveryId))) return undefined;
    await sql`
      INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, next_attempt_at, created_at)
      SELECT ${newDeliveryId}, endpoint_id, event_id, event_type, payload, 'pending', ${now}, ${now} FROM webhook_deliveries
      WHERE id = ${deliveryId}`;
    return this.delivery(sql, accountId, endpointId, newDeliveryId);
  }

  async listDeliveries(accountId: string, endpointId: string, filter: WebhookDeliveryFilter): Promise<Page<WebhookDeliveryRow> | undefined> {
    const sql = this.sql;
    if (!(await this.endpoint(sql, accountId, endpointId))) return undefined;
    const rows = await sql`
      SELECT * FROM webhook_deliveries
      WHERE endpoint_id = ${endpointId}
        ${filter.status ? sql`AND status = ${filter.status}` : sql``}
        ${filter.after ? sql`AND (created_at, id) < (${filter.after.createdAt}::bigint, ${filter.after.id}::text)` : sql``}
      ORDER BY created_at DESC, id DESC LIMIT ${filter.limit + 1}`;
    const page = rows.slice(0, filter.limit);
    return { rows: await this.withAttempts(sql, page), hasMore: rows.length > filter.limit };
  }

  async delivery(sql: Sql | TxSql, accountId: string, endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
    const rows = await sql`
      SELECT d.* FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE d.id = ${id} AND d.endpoint_id = ${endpointId} AND e.account_id = ${accountId}`;
    return (await this.withAttempts(sql, rows))[0];
  }

  /** Deliveries with their attempts, in one query for the whole page. */
  private async withAttempts(sql: Sql | TxSql, rows: readonly Raw[]): Promise<WebhookDeliveryRow[]> {
    if (rows.length === 0) return [];
    const attempts = await sql`
      SELECT * FROM webhook_attempts WHERE delivery_id IN ${sql(rows.map((r) => r.id as string))} ORDER BY delivery_id, attempt`;
    return rows.map((r) => toDelivery(r, attempts.filter((a) => a.delivery_id === r.id).map(toAttempt)));
  }

  /**
   * Endpoints with something due, in random order so that when the process is full no endpoint
   * always comes first. A read: most calls find nothing and need no transaction.
   */
  async endpointsWithDue(now: number): Promise<string[]> {
    const rows = await this.sql`
      SELECT e.id FROM webhook_endpoints e WHERE e.enabled AND EXISTS (
        SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ${now}
          AND (d.locked_until IS NULL OR d.locked_until <= ${now}))
      ORDER BY random()`;
    return rows.map((r) => r.id as string);
  }

  /**
   * The oldest due of each endpoint, at most its free room, leased in the caller's transaction.
   * Rows another process is leasing right now are skipped, and a lease it committed is seen
   * (the locked row is re-read), so no delivery is leased twice.
   */
  async claim(sql: TxSql, endpoints: string[], { now, perEndpoint, inFlight, limit, batch, leaseMs, leaseStepMs }: WebhookClaim) {
    // A lease need not survive a crash (a lost one only makes the delivery due again): no wait for the disk.
    await sql`SET LOCAL synchronous_commit = off`;
    const claimed: ClaimedDelivery[] = [];
    for (const endpointId of endpoints) {
      const room = Math.min(perEndpoint - (inFlight[endpointId] ?? 0), limit - claimed.length);
      if (room <= 0) continue;
      const due = await sql`
        SELECT id FROM webhook_deliveries
        WHERE endpoint_id = ${endpointId} AND status = 'pending' AND next_attempt_at <= ${now}
          AND (locked_until IS NULL OR locked_until <= ${now})
        ORDER BY next_attempt_at LIMIT ${room} FOR UPDATE SKIP LOCKED`;
      for (const [position, { id }] of due.entries()) {
        await sql`UPDATE webhook_deliveries SET locked_until = ${now + leaseMs + (position % batch) * leaseStepMs} WHERE id = ${id as string}`;
      }
      if (due.length > 0) claimed.push(...(await this.toSend(sql, due.map((d) => d.id as string))));
    }
    return claimed;
  }

  /** What sending each delivery takes: the endpoint's secrets and the body. */
  private async toSend(sql: TxSql, ids: string[]): Promise<ClaimedDelivery[]> {
    const rows = await sql`
      SELECT d.id, d.endpoint_id, d.attempts, d.created_at, d.event_id, d.event_type, d.payload,
        e.account_id, e.url, e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at,
        ev.data AS event_data, ev.subject_id AS event_subject_id, ev.created_at AS event_created_at
      FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        LEFT JOIN events ev ON ev.id = d.event_id AND d.payload IS NULL
      WHERE d.id IN ${sql(ids)}
      ORDER BY d.next_attempt_at`;
    return rows.map((r) => toClaimedDelivery(r, this.eventJson));
  }

  async recordAttempt(sql: TxSql, result: WebhookAttemptResult): Promise<void> {
    const { deliveryId, endpointId, attempt } = result;
    const [delivery] = await sql`SELECT attempts FROM webhook_deliveries WHERE id = ${deliveryId} FOR UPDATE`;
    if (!delivery) return; // the endpoint was deleted meanwhile
    await sql`
      INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, latency_ms, error, response_body)
      VALUES (${deliveryId}, ${attempt.attempt}, ${attempt.at}, ${attempt.statusCode}, ${attempt.latencyMs}, ${attempt.error},
        ${attempt.responseBody})
      ON CONFLICT (delivery_id, attempt) DO UPDATE SET at = excluded.at, status_code = excluded.status_code,
        latency_ms = excluded.latency_ms, error = excluded.error, response_body = excluded.response_body`;
    const status = result.isSuccess ? 'succeeded' : result.nextAttemptAt === null ? 'failed' : 'pending';
    await sql`
      UPDATE webhook_deliveries SET status = ${status}, attempts = greatest(attempts, ${attempt.attempt}),
        next_attempt_at = ${status === 'pending' ? result.nextAttemptAt : null}, locked_until = NULL
      WHERE id = ${deliveryId}`;
    if (result.isSuccess) {
      await sql`UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = ${endpointId}`;
      return;
    }
    await sql`
      UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, ${attempt.at})
      WHERE id = ${endpointId}`;
    if (status === 'failed') {
      await sql`
        UPDATE webhook_endpoints SET enabled = false, disabled_reason = ${result.disableReason}
        WHERE id = ${endpointId} AND enabled AND failing_since IS NOT NULL AND failing_since <= ${result.disableIfFailingSince}`;
    }
  }

  async release(ids: string[]): Promise<void> {
    await this.sql`UPDATE webhook_deliveries SET locked_until = NULL WHERE id IN ${this.sql(ids)} AND status = 'pending'`;
  }
}
