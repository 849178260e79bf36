import type { Statement } from 'better-sqlite3';
import { ID_PREFIXES } from '../../../contract/common.js';
import { newId } from '../../ids.js';
import { toAttempt, toClaimedDelivery, toDelivery, toEndpoint } from '../rows.js';
import type {
  ClaimedDelivery, Page, WebhookAttemptResult, WebhookClaim, WebhookDeliveryFilter, WebhookDeliveryRow,
  WebhookEndpointChange, WebhookEndpointRow, WebhookRotation, WebhookTest,
} from '../store.js';

type Raw = Record<string, any>;

/**
 * The webhook tables of the SQLite store. Every method is synchronous and runs inside the store's
 * transaction (`SqliteStore.tx`): `enqueueForEvent` in the very transaction that inserts the
 * event, which is what makes the outbox durable.
 */
export class WebhookOutbox {
  constructor(
    private readonly sql: (text: string) => Statement,
    /** The stored event data as the API shows it (the store adds back what it keeps out of the table). */
    private readonly eventJson: (type: string, subjectId: string, data: string) => string,
  ) {}

  /** One pending delivery per enabled endpoint of the account that takes this type. */
  enqueueForEvent(seq: number, eventId: string, accountId: string, type: string, now: number): void {
    const endpoints = this.sql(
      `SELECT id FROM webhook_endpoints WHERE account_id = ? AND enabled = 1
         AND EXISTS (SELECT 1 FROM json_each(event_types) WHERE value IN ('*', ?))`,
    ).pluck().all(accountId, type) as string[];
    for (const endpointId of endpoints) {
      this.sql(
        `INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, event_id, event_type, status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ).run(newId(ID_PREFIXES.webhookDelivery), endpointId, seq, eventId, type, now, now);
    }
  }

  createEndpoint(row: WebhookEndpointRow): WebhookEndpointRow {
    this.sql(
      `INSERT INTO webhook_endpoints (id, account_id, url, description, event_types, enabled, disabled_reason, secret_sealed,
         secret_prefix, previous_secret_sealed, previous_secret_expires_at, consecutive_failures, created_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, 0, ?)`,
    ).run(row.id, row.accountId, row.url, row.description, JSON.stringify(row.eventTypes), row.enabled ? 1 : 0, row.secretSealed,
      row.secretPrefix, row.createdAt);
    return this.endpoint(row.accountId, row.id)!;
  }

  listEndpoints(accountId: string): WebhookEndpointRow[] {
    return (this.sql('SELECT * FROM webhook_endpoints WHERE account_id = ? ORDER BY created_at, id').all(accountId) as Raw[]).map(toEndpoint);
  }

  endpoint(accountId: string, id: string): WebhookEndpointRow | undefined {
    const row = this.sql('SELECT * FROM webhook_endpoints WHERE id = ? AND account_id = ?').get(id, accountId) as Raw | undefined;
    return row ? toEndpoint(row) : undefined;
  }

  updateEndpoint(accountId: string, id: string, change: WebhookEndpointChange): WebhookEndpointRow | undefined {
    const endpoint = this.endpoint(accountId, id);
    if (!endpoint) return undefined;
    const next = { ...endpoint, ...change };
    const isEnabling = change.enabled === true && !endpoint.enabled;
    this.sql(
      `UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, enabled = ?,
         disabled_reason = CASE WHEN ? THEN NULL ELSE disabled_reason END,
         consecutive_failures = CASE WHEN ? THEN 0 ELSE consecutive_failures END,
         failing_since = CASE WHEN ? THEN NULL ELSE failing_since END
       WHERE id = ?`,
    ).run(next.url, next.description, JSON.stringify(next.eventTypes), next.enabled ? 1 : 0, +isEnabling, +isEnabling, +isEnabling, id);
    return this.endpoint(accountId, id);
  }

  rotateSecret(accountId: string, id: string, rotation: WebhookRotation): WebhookEndpointRow | undefined {
    const changed = this.sql(
      `UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = ?, secret_sealed = ?,
         secret_prefix = ? WHERE id = ? AND account_id = ?`,
    ).run(rotation.previousSecretExpiresAt, rotation.secretSealed, rotation.secretPrefix, id, accountId);
    return changed.changes === 0 ? undefined : this.endpoint(accountId, id);
  }

  deleteEndpoint(accountId: string, id: string): boolean {
    if (!this.endpoint(accountId, id)) return false;
    this.sql('DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ?)').run(id);
    this.sql('DELETE FROM webhook_deliveries WHERE endpoint_id = ?').run(id);
    this.sql('DELETE FROM webhook_endpoints WHERE id = ?').run(id);
    return true;
  }

  enqueueTest(accountId: string, endpointId: string, test: WebhookTest, now: number): WebhookDeliveryRow | undefined {
    if (!this.endpoint(accountId, endpointId)) return undefined;
    this.sql(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, event_id, event_type, payload, status, next_attempt_at, created_at)
       VALUES (?, ?, NULL, ?, ?, ?, 'pending', ?, ?)`,
    ).run(test.id, endpointId, test.eventId, test.eventType, test.payload, now, now);
    return this.delivery(accountId, endpointId, test.id);
  }

  resend(accountId: string, endpointId: string, deliveryId: string, newDeliveryId: string, now: number): WebhookDeliveryRow | undefined {
    if (!this.delivery(accountId, endpointId, deliveryId)) return undefined;
    this.sql(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, event_id, event_type, payload, status, next_attempt_at, created_at)
       SELECT ?, endpoint_id, event_seq, event_id, event_type, payload, 'pending', ?, ? FROM webhook_deliveries WHERE id = ?`,
    ).run(newDeliveryId, now, now, deliveryId);
    return this.delivery(accountId, endpointId, newDeliveryId);
  }

  listDeliveries(accountId: string, endpointId: string, filter: WebhookDeliveryFilter): Page<WebhookDeliveryRow> | undefined {
    if (!this.endpoint(accountId, endpointId)) return undefined;
    const where = ['endpoint_id = @endpointId'];
    if (filter.status) where.push('status = @status');
    if (filter.after) where.push('(created_at, id) < (@afterCreatedAt, @afterId)');
    const rows = this.sql(
      `SELECT * FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @limit`,
    ).all({ endpointId, status: filter.status, afterCreatedAt: filter.after?.createdAt, afterId: filter.after?.id, limit: filter.limit + 1 }) as Raw[];
    return { rows: rows.slice(0, filter.limit).map((r) => this.withAttempts(r)), hasMore: rows.length > filter.limit };
  }

  delivery(accountId: string, endpointId: string, id: string): WebhookDeliveryRow | undefined {
    const row = this.sql(
      `SELECT d.* FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.id = ? AND d.endpoint_id = ? AND e.account_id = ?`,
    ).get(id, endpointId, accountId) as Raw | undefined;
    return row ? this.withAttempts(row) : undefined;
  }

  private withAttempts(r: Raw): WebhookDeliveryRow {
    const attempts = (this.sql('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt').all(r.id) as Raw[]).map(toAttempt);
    return toDelivery(r, attempts);
  }

  /**
   * Endpoints with something due (index probes, not a scan of the backlog), in random order so
   * that when the process is full no endpoint always comes first. A read: most calls find nothing
   * and need no write transaction.
   */
  endpointsWithDue(now: number): string[] {
    return this.sql(
      `SELECT e.id FROM webhook_endpoints e WHERE e.enabled = 1 AND EXISTS (
         SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= @now
           AND (d.locked_until IS NULL OR d.locked_until <= @now))
       ORDER BY random()`,
    ).pluck().all({ now }) as string[];
  }

  /** The oldest due of each endpoint, at most its free room: one endpoint's backlog cannot fill the claim. */
  claim(endpoints: string[], { now, perEndpoint, inFlight, limit, batch, leaseMs, leaseStepMs }: WebhookClaim): ClaimedDelivery[] {
    const claimed: ClaimedDelivery[] = [];
    for (const endpointId of endpoints) {
      const room = Math.min(perEndpoint - (inFlight[endpointId] ?? 0), limit - claimed.length);
      if (room <= 0) continue;
      const ids = this.sql(
        `SELECT id FROM webhook_deliveries WHERE endpoint_id = @endpointId AND status = 'pending' AND next_attempt_at <= @now
           AND (locked_until IS NULL OR locked_until <= @now) ORDER BY next_attempt_at LIMIT @room`,
      ).pluck().all({ endpointId, now, room }) as string[];
      ids.forEach((id, position) => {
        const delivery = this.lease(id, now, now + leaseMs + (position % batch) * leaseStepMs);
        if (delivery) claimed.push(delivery);
      });
    }
    return claimed;
  }

  /** Leases one delivery (unless another process just did) and reads what sending it takes. */
  private lease(id: string, now: number, leaseUntil: number): ClaimedDelivery | undefined {
    const leased = this.sql(
      `UPDATE webhook_deliveries SET locked_until = ? WHERE id = ? AND status = 'pending' AND (locked_until IS NULL OR locked_until <= ?)`,
    ).run(leaseUntil, id, now);
    if (leased.changes === 0) return undefined;
    const r = this.sql(
      `SELECT d.id, d.endpoint_id, d.attempts, d.created_at, d.event_id, d.event_type, d.payload,
         e.account_id, e.url, e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at,
         ev.data AS event_data, ev.subject_id AS event_subject_id, ev.created_at AS event_created_at
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         LEFT JOIN events ev ON ev.seq = d.event_seq
       WHERE d.id = ?`,
    ).get(id) as Raw;
    return toClaimedDelivery(r, this.eventJson);
  }

  recordAttempt(result: WebhookAttemptResult): void {
    const { deliveryId, endpointId, attempt } = result;
    const delivery = this.sql('SELECT attempts FROM webhook_deliveries WHERE id = ?').get(deliveryId) as { attempts: number } | undefined;
    if (!delivery) return; // the endpoint was deleted meanwhile
    this.sql(
      `INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, at, status_code, latency_ms, error, response_body)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(deliveryId, attempt.attempt, attempt.at, attempt.statusCode, attempt.latencyMs, attempt.error, attempt.responseBody);
    const status = result.isSuccess ? 'succeeded' : result.nextAttemptAt === null ? 'failed' : 'pending';
    this.sql('UPDATE webhook_deliveries SET status = ?, attempts = max(attempts, ?), next_attempt_at = ?, locked_until = NULL WHERE id = ?').run(
      status, attempt.attempt, status === 'pending' ? result.nextAttemptAt : null, deliveryId,
    );
    if (result.isSuccess) {
      this.sql('UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = ?').run(endpointId);
      return;
    }
    this.sql(
      'UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, ?) WHERE id = ?',
    ).run(attempt.at, endpointId);
    if (status === 'failed') {
      this.sql(
        `UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?
         WHERE id = ? AND enabled = 1 AND failing_since IS NOT NULL AND failing_since <= ?`,
      ).run(result.disableReason, endpointId, result.disableIfFailingSince);
    }
  }

  release(ids: string[]): void {
    for (const id of ids) this.sql("UPDATE webhook_deliveries SET locked_until = NULL WHERE id = ? AND status = 'pending'").run(id);
  }
}
