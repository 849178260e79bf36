import postgres from 'postgres';
import type { LinkStatus } from '../../../contract/links.js';
import type { CaptureKind, DocumentType, EventType, SessionStatus } from '../../../contract/sessions.js';
import { ID_PREFIXES } from '../../../contract/common.js';
import { linkRefusal, linkStatus } from '../../domain/links.js';
import { captureKindsOf, DECIDABLE_STATUSES, isOpen, newSessionRow, requiredCaptureKinds, sessionUnavailable } from '../../domain/sessions.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import { eventDataAsShown, linkEventData } from '../event-data.js';
import {
  fromCapture, fromLink, fromSession, toAccount, toApiKey, toCapture, toEvent, toEventRecord, toLink, toSession, toUser,
  toUserSession,
} from '../rows.js';
import type {
  AccountRow, ApiKeyRow, CaptureRow, ClaimedDelivery, CreateHandoffResult, Cursor, DecideResult, DecisionInput, EventRecord, EventRow,
  HandoffRow, LinkActivity, LinkChange, LinkFilter, LinkRow, Page, Presenter, RedeemHandoffResult, SaveCaptureResult, SessionFilter,
  SessionRow, StartResult, StartSession, Store, SubmitResult, UserRow, UserSessionRow, WebhookAttemptResult, WebhookClaim,
  WebhookDeliveryFilter, WebhookDeliveryRow, WebhookEndpointChange, WebhookEndpointRow, WebhookRotation, WebhookTest,
} from '../store.js';
import { EventSequencer, EVENTS_CHANNEL } from './event-sequencer.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { WebhookOutbox } from './webhook-outbox.js';

export type Sql = postgres.Sql<{}>;
export type TxSql = postgres.TransactionSql<{}>;
type Raw = Record<string, any>;

/** A transaction in progress: its connection, and whether it wrote events (to sequence after the commit). */
export interface Tx {
  sql: TxSql;
  wroteEvents: boolean;
}

/** Any advisory-lock key of ours: 'vn' in the high bytes, the purpose in the low ones. */
const MIGRATION_LOCK = 0x766e_0001;

/** Deadlocks and serialisation failures: the transaction did nothing, and running it again is safe. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;
/** How a session start's statement says the link or the credits ran out (see `startSession`). */
const DIVISION_BY_ZERO = '22012';

/**
 * The store's pool. Its driver, postgres 3.4.9, is patched at install (scripts/patch-postgres.mjs):
 * unpatched, a transaction's BEGIN that filled a connection's pipeline left the transaction open
 * on a connection back in the pool, where other requests' writes were never committed.
 */
export function connectPostgres(url: string, poolSize: number): Sql {
  return postgres(url, {
    max: poolSize,
    // Times and counts are bigint: as numbers (milliseconds fit in 2^53 for 285,000 years).
    types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: 'verify-now' },
  }) as unknown as Sql;
}

export interface PostgresOptions {
  /** Connections this process keeps (DATABASE_POOL_SIZE). */
  poolSize?: number;
  log?: Logger;
}

/**
 * The scale-out store: several server processes on one PostgreSQL. Every method is one
 * transaction that locks what it checks before it writes (`SELECT … FOR UPDATE`, conditional
 * `UPDATE`s), so concurrent requests in any number of processes keep the same rules as SQLite's
 * one writer: a single-use link starts one session, a credit is held once. Time-driven work takes
 * `SKIP LOCKED` rows, so sweepers everywhere share it instead of repeating it.
 */
export class PostgresStore implements Store {
  private readonly eventListeners = new Set<() => void>();
  private readonly webhooks: WebhookOutbox;
  private readonly sequencer: EventSequencer;
  private unlisten: (() => Promise<void>) | undefined;
  private listening: Promise<void> | undefined;

  private constructor(
    private readonly sql: Sql,
    private readonly present: Presenter,
    private readonly log: Logger | undefined,
  ) {
    this.webhooks = new WebhookOutbox(sql, (type, subjectId, data) => eventDataAsShown(present, type, subjectId, data));
    this.sequencer = new EventSequencer(sql, () => this.announceEvents(), log);
  }

  /** Connects, checks the server answers, and migrates (once, whichever process comes first). */
  static async open(url: string, present: Presenter, options: PostgresOptions = {}): Promise<PostgresStore> {
    const sql = connectPostgres(url, options.poolSize ?? 10);
    try {
      await migrate(sql);
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw error;
    }
    return new PostgresStore(sql, present, options.log);
  }

  async close(): Promise<void> {
    await this.sequencer.close();
    await this.unlisten?.().catch(() => {});
    await this.sql.end({ timeout: 5 });
  }

  /** One unit of work, run again from the start after a deadlock or a serialisation failure. */
  private async tx<T>(work: (t: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const t: Tx = { sql: undefined as unknown as TxSql, wroteEvents: false };
      try {
        const result = (await this.sql.begin((sql) => {
          t.sql = sql;
          return work(t);
        })) as T;
        if (t.wroteEvents) await this.sequencer.request();
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  // accounts, keys, users

  async createAccount(input: { id: string; name: string; credits: number; now: number }): Promise<AccountRow> {
    const [row] = await this.sql`
      INSERT INTO accounts (id, name, credits_available, credits_held, created_at)
      VALUES (${input.id}, ${input.name}, ${input.credits}, 0, ${input.now}) RETURNING *`;
    return toAccount(row!);
  }

  async getAccount(id: string): Promise<AccountRow | undefined> {
    const [row] = await this.sql`SELECT * FROM accounts WHERE id = ${id}`;
    return row ? toAccount(row) : undefined;
  }

  async countAccounts(): Promise<number> {
    const [row] = await this.sql`SELECT count(*) AS n FROM accounts`;
    return row!.n as number;
  }

  async setEmbedOrigins(accountId: string, origins: string[]): Promise<AccountRow | undefined> {
    const [row] = await this.sql`UPDATE accounts SET embed_origins = ${JSON.stringify(origins)} WHERE id = ${accountId} RETURNING *`;
    return row ? toAccount(row) : undefined;
  }

  async addCredits(accountId: string, credits: number): Promise<AccountRow | undefined> {
    const [row] = await this.sql`
      UPDATE accounts SET credits_available = credits_available + ${credits} WHERE id = ${accountId} RETURNING *`;
    return row ? toAccount(row) : undefined;
  }

  async createApiKey(row: ApiKeyRow): Promise<void> {
    await this.sql`
      INSERT INTO api_keys (id, account_id, mode, key_hash, prefix, created_at, revoked_at)
      VALUES (${row.id}, ${row.accountId}, ${row.mode}, ${row.keyHash}, ${row.prefix}, ${row.createdAt}, ${row.revokedAt})`;
  }

  async findApiKey(keyHash: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.sql`SELECT * FROM api_keys WHERE key_hash = ${keyHash} AND revoked_at IS NULL`;
    return row ? toApiKey(row) : undefined;
  }

  async listApiKeys(accountId: string): Promise<ApiKeyRow[]> {
    return (await this.sql`SELECT * FROM api_keys WHERE account_id = ${accountId} ORDER BY created_at DESC, id`).map(toApiKey);
  }

  async revokeApiKey(accountId: string, id: string, now: number): Promise<ApiKeyRow | undefined> {
    // coalesce: a key revoked twice keeps its first revocation time
    const [row] = await this.sql`
      UPDATE api_keys SET revoked_at = coalesce(revoked_at, ${now}) WHERE id = ${id} AND account_id = ${accountId} RETURNING *`;
    return row ? toApiKey(row) : undefined;
  }

  async createUser(row: UserRow): Promise<void> {
    await this.sql`
      INSERT INTO users (id, account_id, email, password_hash, created_at)
      VALUES (${row.id}, ${row.accountId}, ${row.email}, ${row.passwordHash}, ${row.createdAt})`;
  }

  async findUserByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.sql`SELECT * FROM users WHERE lower(email) = lower(${email})`;
    return row ? toUser(row) : undefined;
  }

  // dashboard sign-ins

  async createUserSession(row: UserSessionRow): Promise<void> {
    await this.sql`
      INSERT INTO user_sessions (id, token_hash, user_id, account_id, csrf_token, created_at, last_seen_at, expires_at)
      VALUES (${row.id}, ${row.tokenHash}, ${row.userId}, ${row.accountId}, ${row.csrfToken}, ${row.createdAt}, ${row.lastSeenAt},
        ${row.expiresAt})`;
  }

  async findUserSession(tokenHash: Buffer, now: number): Promise<{ session: UserSessionRow; user: UserRow } | undefined> {
    const [row] = await this.sql`
      SELECT s.*, u.id AS u_id, u.account_id AS u_account_id, u.email AS u_email, u.password_hash AS u_password_hash,
        u.created_at AS u_created_at
      FROM user_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${now}`;
    if (!row) return undefined;
    const user = { id: row.u_id, account_id: row.u_account_id, email: row.u_email, password_hash: row.u_password_hash, created_at: row.u_created_at };
    return { session: toUserSession(row), user: toUser(user) };
  }

  async touchUserSession(id: string, now: number): Promise<void> {
    await this.sql`UPDATE user_sessions SET last_seen_at = ${now} WHERE id = ${id}`;
  }

  async deleteUserSession(id: string): Promise<void> {
    await this.sql`DELETE FROM user_sessions WHERE id = ${id}`;
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return (await this.sql`DELETE FROM user_sessions WHERE user_id = ${userId}`).count;
  }

  async removeExpiredUserSessions(now: number, limit: number): Promise<number> {
    const deleted = await this.sql`
      DELETE FROM user_sessions WHERE id IN (
        SELECT id FROM user_sessions WHERE expires_at <= ${now} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    return deleted.count;
  }

  // links

  async createLink(row: LinkRow): Promise<LinkRow> {
    return this.tx(async (t) => {
      const l = fromLink(row);
      await t.sql`
        INSERT INTO links (id, account_id, mode, name, flow, usage_limit, uses, expires_at, language, redirect_url, metadata,
          created_at, deactivated_at)
        VALUES (${l.id}, ${l.account_id}, ${l.mode}, ${l.name}, ${l.flow}, ${l.usage_limit}, ${l.uses}, ${l.expires_at}, ${l.language},
          ${l.redirect_url}, ${l.metadata}, ${l.created_at}, ${l.deactivated_at})`;
      await this.linkEvent(t, 'link.created', row, row.createdAt);
      return row;
    });
  }

  /** The link, locked until the end of the transaction: what is checked stays true until the commit. */
  private async lockLink(t: Tx, id: string): Promise<(LinkRow & { accountName: string }) | undefined> {
    const [row] = await t.sql`
      SELECT l.*, a.name AS account_name FROM links l JOIN accounts a ON a.id = l.account_id WHERE l.id = ${id} FOR UPDATE OF l`;
    return row ? { ...toLink(row), accountName: row.account_name as string } : undefined;
  }

  async getLink(accountId: string, id: string): Promise<LinkRow | undefined> {
    const [row] = await this.sql`SELECT * FROM links WHERE id = ${id} AND account_id = ${accountId}`;
    return row ? toLink(row) : undefined;
  }

  async findLink(id: string): Promise<(LinkRow & { accountName: string }) | undefined> {
    const [row] = await this.sql`
      SELECT l.*, a.name AS account_name FROM links l JOIN accounts a ON a.id = l.account_id WHERE l.id = ${id}`;
    return row ? { ...toLink(row), accountName: row.account_name as string } : undefined;
  }

  async listLinks(accountId: string, filter: LinkFilter): Promise<Page<LinkRow>> {
    const conditions = [];
    if (filter.status) conditions.push(this.linkStatusSql(filter.status, filter.now));
    if (filter.flow) conditions.push(this.sql`flow = ${filter.flow}`);
    return this.page('links', accountId, conditions, filter, toLink);
  }

  /** Each derived link status as a condition; the precedence matches `linkStatus`. */
  private linkStatusSql(status: LinkStatus, now: number) {
    const sql = this.sql;
    switch (status) {
      case 'deactivated':
        return sql`deactivated_at IS NOT NULL`;
      case 'expired':
        return sql`deactivated_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ${now}`;
      case 'exhausted':
        return sql`deactivated_at IS NULL AND (expires_at IS NULL OR expires_at > ${now}) AND usage_limit IS NOT NULL AND uses >= usage_limit`;
      case 'active':
        return sql`deactivated_at IS NULL AND (expires_at IS NULL OR expires_at > ${now}) AND (usage_limit IS NULL OR uses < usage_limit)`;
    }
  }

  async updateLink(accountId: string, id: string, change: LinkChange, now: number): Promise<LinkRow | undefined> {
    return this.tx(async (t) => {
      const link = await this.lockLink(t, id);
      if (!link || link.accountId !== accountId) return undefined;
      const { accountName: _name, ...current } = link;
      const updated: LinkRow = { ...current, ...change };
      const l = fromLink(updated);
      await t.sql`UPDATE links SET name = ${l.name}, redirect_url = ${l.redirect_url}, metadata = ${l.metadata} WHERE id = ${id}`;
      await this.linkEvent(t, 'link.updated', updated, now);
      return updated;
    });
  }

  /** Final: nothing reactivates a link. Deactivating twice changes nothing the second time. */
  async deactivateLink(accountId: string, id: string, now: number): Promise<LinkRow | undefined> {
    return this.tx(async (t) => {
      const found = await this.lockLink(t, id);
      if (!found || found.accountId !== accountId) return undefined;
      const { accountName: _name, ...link } = found;
      if (link.deactivatedAt !== null) return link;
      await t.sql`UPDATE links SET deactivated_at = ${now} WHERE id = ${id}`;
      const updated = { ...link, deactivatedAt: now };
      await this.linkEvent(t, 'link.deactivated', updated, now);
      return updated;
    });
  }

  async recordLinkOpen(id: string): Promise<void> {
    await this.sql`UPDATE links SET opens = opens + 1 WHERE id = ${id}`;
  }

  async linkActivity(accountId: string, id: string, since: number): Promise<LinkActivity | undefined> {
    const [link] = await this.sql`SELECT opens FROM links WHERE id = ${id} AND account_id = ${accountId}`;
    if (!link) return undefined;
    const sessions = (
      await this.sql`
        SELECT s.status, s.document_type, string_agg(c.kind, ',') AS kinds
        FROM sessions s LEFT JOIN captures c ON c.session_id = s.id
        WHERE s.link_id = ${id} GROUP BY s.id`
    ).map((r) => ({
      status: r.status as SessionStatus,
      documentType: r.document_type as DocumentType | null,
      captured: (r.kinds ? (r.kinds as string).split(',') : []) as CaptureKind[],
    }));
    const perDay = (
      await this.sql`
        SELECT to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS sessions
        FROM sessions WHERE link_id = ${id} AND created_at >= ${since} GROUP BY day ORDER BY day`
    ).map((r) => ({ day: r.day as string, sessions: r.sessions as number }));
    return { opens: link.opens as number, sessions, perDay };
  }

  // sessions

  /**
   * The seed's "click": check the link, use one use, hold one credit (live mode), create the
   * session and its event, all or nothing. Every start of a link updates the same link row, and
   * every live start of an account the same account row: so the whole start is one statement,
   * its own transaction, and those rows stay locked only while PostgreSQL runs and commits it —
   * never while this process's event loop gets round to the next step. Concurrent starts of one
   * link, in any number of processes, take turns for that long only.
   */
  async startSession(input: StartSession): Promise<StartResult> {
    const link = await this.findLink(input.linkId);
    // Refused at once when already dead; checked again, atomically, by the statement.
    const refusal = linkRefusal(link, input.now);
    if (refusal || !link) return { ok: false, refusal: refusal ?? 'link_not_found' };
    const isLive = link.mode === 'live';
    const session = newSessionRow(link, input);
    // What the statement may write besides: the events and their webhook deliveries, made here.
    const endpoints = await this.sql`SELECT id, event_types FROM webhook_endpoints WHERE account_id = ${link.accountId} AND enabled`;
    const takers = (type: EventType) =>
      endpoints
        .filter((e) => (JSON.parse(e.event_types as string) as string[]).some((t) => t === '*' || t === type))
        .map((e) => ({ id: newId(ID_PREFIXES.webhookDelivery), endpoint_id: e.id as string }));
    const created = { id: newId(ID_PREFIXES.event), data: JSON.stringify(this.present.session(session, [])) };
    const lastUse = link.usageLimit === null ? null : { ...link, uses: link.usageLimit };
    const exhausted = { id: newId(ID_PREFIXES.event), data: lastUse ? JSON.stringify(linkEventData(this.present, lastUse, input.now)) : '{}' };
    const s = fromSession(session);
    try {
      const [row] = await this.sql`
        WITH used AS (
          UPDATE links SET uses = uses + 1
          WHERE id = ${link.id} AND deactivated_at IS NULL AND (expires_at IS NULL OR expires_at > ${input.now})
            AND (usage_limit IS NULL OR uses < usage_limit)
          RETURNING uses, usage_limit
        ), held AS (
          UPDATE accounts SET credits_available = credits_available - 1, credits_held = credits_held + 1
          WHERE ${isLive} AND id = ${link.accountId} AND credits_available > 0 AND EXISTS (SELECT 1 FROM used)
          RETURNING 1
        ), ok AS (
          SELECT uses, uses = usage_limit AS is_last FROM used WHERE NOT ${isLive} OR EXISTS (SELECT 1 FROM held)
        ), new_session AS (
          INSERT INTO sessions (id, account_id, link_id, mode, flow, language, status, document_type, credit, decision_note,
            decided_at, created_at, updated_at, expires_at, submitted_at, erased_at)
          SELECT ${s.id}, ${s.account_id}, ${s.link_id}, ${s.mode}, ${s.flow}, ${s.language}, ${s.status}, ${s.document_type},
            ${s.credit}, ${s.decision_note}, ${s.decided_at}::bigint, ${s.created_at}::bigint, ${s.updated_at}::bigint,
            ${s.expires_at}::bigint, ${s.submitted_at}::bigint, ${s.erased_at}::bigint
          FROM ok
        ), events_written AS (
          INSERT INTO events (id, account_id, type, subject_id, data, created_at)
          SELECT ${created.id}, ${link.accountId}, 'session.created', ${session.id}, ${created.data}, ${input.now}::bigint FROM ok
          UNION ALL
          SELECT ${exhausted.id}, ${link.accountId}, 'link.exhausted', ${link.id}, ${exhausted.data}, ${input.now}::bigint FROM ok WHERE is_last
        ), deliveries AS (
          INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, status, next_attempt_at, created_at)
          SELECT d.id, d.endpoint_id, ${created.id}, 'session.created', 'pending', ${input.now}::bigint, ${input.now}::bigint
          FROM json_to_recordset(${JSON.stringify(takers('session.created'))}::text::json) AS d(id text, endpoint_id text), ok
          UNION ALL
          SELECT d.id, d.endpoint_id, ${exhausted.id}, 'link.exhausted', 'pending', ${input.now}::bigint, ${input.now}::bigint
          FROM json_to_recordset(${JSON.stringify(takers('link.exhausted'))}::text::json) AS d(id text, endpoint_id text), ok WHERE is_last
        )
        -- No row in ok (the link or the credits ran out meanwhile): divide by zero, so that the
        -- statement fails and takes back everything above with it.
        SELECT (SELECT uses FROM ok) AS uses, 1 / (SELECT count(*) FROM ok)::int AS started`;
      await this.sequencer.request();
      return { ok: true, session, link: { ...link, uses: row!.uses as number } };
    } catch (error) {
      if ((error as { code?: string }).code !== DIVISION_BY_ZERO) throw error;
      const latest = await this.findLink(link.id);
      return { ok: false, refusal: linkRefusal(latest, input.now) ?? 'no_credits' };
    }
  }

  async getSession(id: string): Promise<SessionRow | undefined> {
    const [row] = await this.sql`SELECT * FROM sessions WHERE id = ${id}`;
    return row ? toSession(row) : undefined;
  }

  /** The session, locked until the end of the transaction. */
  private async lockSession(t: Tx, id: string): Promise<SessionRow | undefined> {
    const [row] = await t.sql`SELECT * FROM sessions WHERE id = ${id} FOR UPDATE`;
    return row ? toSession(row) : undefined;
  }

  async getAccountSession(accountId: string, id: string): Promise<SessionRow | undefined> {
    const [row] = await this.sql`SELECT * FROM sessions WHERE id = ${id} AND account_id = ${accountId}`;
    return row ? toSession(row) : undefined;
  }

  async listSessions(accountId: string, filter: SessionFilter): Promise<Page<SessionRow>> {
    const conditions = [];
    if (filter.linkId) conditions.push(this.sql`link_id = ${filter.linkId}`);
    if (filter.status) conditions.push(this.sql`status = ${filter.status}`);
    return this.page('sessions', accountId, conditions, filter, toSession);
  }

  /** Keyset pagination, newest first, over an account's rows; one extra row tells if more follow. */
  private async page<T>(
    table: 'links' | 'sessions',
    accountId: string,
    conditions: postgres.PendingQuery<postgres.Row[]>[],
    { limit, after }: { limit: number; after?: Cursor | undefined },
    toRow: (raw: Raw) => T,
  ): Promise<Page<T>> {
    const sql = this.sql;
    if (after) conditions.push(sql`(created_at, id) < (${after.createdAt}::bigint, ${after.id}::text)`);
    const where = conditions.reduce((all, condition) => sql`${all} AND ${condition}`, sql`account_id = ${accountId}`);
    const rows = await sql`SELECT * FROM ${sql(table)} WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`;
    return { rows: rows.slice(0, limit).map(toRow), hasMore: rows.length > limit };
  }

  async listCaptures(sessionId: string): Promise<CaptureRow[]> {
    return this.captureRows(this.sql, sessionId);
  }

  private async captureRows(sql: Sql | TxSql, sessionId: string): Promise<CaptureRow[]> {
    return (await sql`SELECT * FROM captures WHERE session_id = ${sessionId} ORDER BY kind`).map(toCapture);
  }

  async getCapture(sessionId: string, kind: CaptureKind): Promise<CaptureRow | undefined> {
    const [row] = await this.sql`SELECT * FROM captures WHERE session_id = ${sessionId} AND kind = ${kind}`;
    return row ? toCapture(row) : undefined;
  }

  async saveCapture(capture: CaptureRow, now: number): Promise<SaveCaptureResult> {
    return this.tx(async (t): Promise<SaveCaptureResult> => {
      const session = await this.lockSession(t, capture.sessionId);
      const unavailable = sessionUnavailable(session, now);
      if (unavailable || !session) return { ok: false, reason: unavailable ?? 'session_not_found' };
      if (!captureKindsOf(session.flow).includes(capture.kind)) return { ok: false, reason: 'capture_not_in_flow' };
      const [previous] = await t.sql`SELECT blob_id FROM captures WHERE session_id = ${capture.sessionId} AND kind = ${capture.kind}`;
      const c = fromCapture(capture);
      await t.sql`
        INSERT INTO captures (session_id, kind, blob_id, content_type, bytes, width, height, sha256, metrics, uploaded_at)
        VALUES (${c.session_id}, ${c.kind}, ${c.blob_id}, ${c.content_type}, ${c.bytes}, ${c.width}, ${c.height}, ${c.sha256},
          ${c.metrics}, ${c.uploaded_at})
        ON CONFLICT (session_id, kind) DO UPDATE SET blob_id = excluded.blob_id, content_type = excluded.content_type,
          bytes = excluded.bytes, width = excluded.width, height = excluded.height, sha256 = excluded.sha256,
          metrics = excluded.metrics, uploaded_at = excluded.uploaded_at`;
      const updated = await this.setStatus(t, session, session.status === 'created' ? 'in_progress' : session.status, now);
      return { ok: true, replacedBlobId: (previous?.blob_id as string | undefined) ?? null, session: updated };
    });
  }

  async submitSession(sessionId: string, documentType: DocumentType | null, now: number): Promise<SubmitResult> {
    return this.tx(async (t): Promise<SubmitResult> => {
      const session = await this.lockSession(t, sessionId);
      const unavailable = sessionUnavailable(session, now);
      if (unavailable || !session) return { ok: false, reason: unavailable ?? 'session_not_found' };
      const captured = new Set((await this.captureRows(t.sql, sessionId)).map((c) => c.kind));
      const missing = requiredCaptureKinds(session.flow, documentType).filter((kind) => !captured.has(kind));
      if (missing.length > 0) return { ok: false, reason: 'captures_missing', missing };

      if (session.credit === 'held') await t.sql`UPDATE accounts SET credits_held = credits_held - 1 WHERE id = ${session.accountId}`;
      const charged: SessionRow = {
        ...session,
        documentType,
        credit: session.credit === 'held' ? 'charged' : session.credit,
        submittedAt: now,
      };
      const submitted = await this.setStatus(t, charged, 'submitted', now);
      // Automatic checks come later: until then every submission waits for a person.
      return { ok: true, session: await this.setStatus(t, submitted, 'review', now) };
    });
  }

  async decideSession(accountId: string, id: string, decision: DecisionInput, now: number): Promise<DecideResult> {
    return this.tx(async (t): Promise<DecideResult> => {
      const session = await this.lockSession(t, id);
      if (!session || session.accountId !== accountId) return { ok: false, reason: 'not_found' };
      if (!DECIDABLE_STATUSES.includes(session.status)) return { ok: false, reason: 'not_decidable', status: session.status };
      const decided = { ...session, decisionNote: decision.note, decidedAt: now };
      return { ok: true, session: await this.setStatus(t, decided, decision.status, now, true) };
    });
  }

  async eraseSession(accountId: string, id: string, now: number) {
    return this.tx(async (t) => {
      const session = await this.lockSession(t, id);
      if (!session || session.accountId !== accountId) return undefined;
      const blobIds = (await this.captureRows(t.sql, id)).map((c) => c.blobId);
      await t.sql`DELETE FROM captures WHERE session_id = ${id}`;
      await t.sql`DELETE FROM handoffs WHERE session_id = ${id}`;
      let erased: SessionRow = { ...session, decisionNote: null, erasedAt: session.erasedAt ?? now };
      // An applicant's open session ends with its data: release what it held.
      if (isOpen(session.status)) {
        erased = await this.releaseCredit(t, erased);
        erased = await this.setStatus(t, erased, 'expired', now);
      } else {
        erased = await this.setStatus(t, erased, erased.status, now);
      }
      await this.sessionEvent(t, 'session.erased', erased, now);
      // Events keep their type and time for the audit trail; their data becomes the erased view.
      await t.sql`UPDATE events SET data = ${JSON.stringify(this.present.session(erased, []))} WHERE subject_id = ${id}`;
      return { session: erased, blobIds };
    });
  }

  // handoffs

  async createHandoff(row: HandoffRow, now: number): Promise<CreateHandoffResult> {
    return this.tx(async (t): Promise<CreateHandoffResult> => {
      const unavailable = sessionUnavailable(await this.lockSession(t, row.sessionId), now);
      if (unavailable) return { ok: false, reason: unavailable };
      await t.sql`
        INSERT INTO handoffs (id, session_id, token_hash, created_at, expires_at, used_at)
        VALUES (${row.id}, ${row.sessionId}, ${row.tokenHash}, ${row.createdAt}, ${row.expiresAt}, ${row.usedAt})`;
      return { ok: true };
    });
  }

  async redeemHandoff(tokenHash: Buffer, now: number): Promise<RedeemHandoffResult> {
    return this.tx(async (t): Promise<RedeemHandoffResult> => {
      // Locked: of concurrent redemptions, the second waits and then sees it used.
      const [handoff] = await t.sql`SELECT id, session_id, expires_at, used_at FROM handoffs WHERE token_hash = ${tokenHash} FOR UPDATE`;
      if (!handoff) return { ok: false, reason: 'handoff_not_found' };
      if (handoff.used_at !== null) return { ok: false, reason: 'handoff_used' };
      // The session's state first: "already submitted" tells the applicant more than "expired".
      const session = await this.lockSession(t, handoff.session_id as string);
      const unavailable = sessionUnavailable(session, now);
      if (unavailable || !session) return { ok: false, reason: unavailable ?? 'session_not_found' };
      if ((handoff.expires_at as number) <= now) return { ok: false, reason: 'handoff_expired' };
      await t.sql`UPDATE handoffs SET used_at = ${now} WHERE id = ${handoff.id as string}`;
      await this.sessionEvent(t, 'session.handed_off', session, now);
      return { ok: true, session };
    });
  }

  // time-driven changes: rows another sweeper holds are skipped, not waited for or done twice

  async expireSessions(now: number, limit: number): Promise<number> {
    return this.tx(async (t) => {
      const due = (
        await t.sql`
          SELECT * FROM sessions WHERE status IN ('created', 'in_progress') AND expires_at <= ${now}
          ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`
      ).map(toSession);
      // Credits go back per account in one update each, in a fixed order: two sweepers never wait on each other in a circle.
      const released = new Map<string, number>();
      for (const session of due) if (session.credit === 'held') released.set(session.accountId, (released.get(session.accountId) ?? 0) + 1);
      for (const accountId of [...released.keys()].sort()) {
        const n = released.get(accountId)!;
        await t.sql`UPDATE accounts SET credits_held = credits_held - ${n}, credits_available = credits_available + ${n} WHERE id = ${accountId}`;
      }
      for (const session of due) {
        const credit = session.credit === 'held' ? ('released' as const) : session.credit;
        await this.setStatus(t, { ...session, credit }, 'expired', now);
      }
      return due.length;
    });
  }

  /** Gives a held credit back to the account; answers the session as it now stands. */
  private async releaseCredit(t: Tx, session: SessionRow): Promise<SessionRow> {
    if (session.credit !== 'held') return session;
    await t.sql`UPDATE accounts SET credits_held = credits_held - 1, credits_available = credits_available + 1 WHERE id = ${session.accountId}`;
    return { ...session, credit: 'released' };
  }

  async announceExpiredLinks(now: number, limit: number): Promise<number> {
    return this.tx(async (t) => {
      const due = (
        await t.sql`
          UPDATE links SET expiry_announced_at = ${now} WHERE id IN (
            SELECT id FROM links WHERE expires_at IS NOT NULL AND expires_at <= ${now} AND deactivated_at IS NULL
              AND expiry_announced_at IS NULL
            LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          RETURNING *`
      ).map(toLink);
      for (const link of due) await this.linkEvent(t, 'link.expired', link, now);
      return due.length;
    });
  }

  async removeExpiredHandoffs(before: number, limit: number): Promise<number> {
    const deleted = await this.sql`
      DELETE FROM handoffs WHERE id IN (SELECT id FROM handoffs WHERE expires_at <= ${before} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    return deleted.count;
  }

  // events

  async listEvents(accountId: string, subjectId: string): Promise<EventRow[]> {
    return (await this.sql`SELECT * FROM events WHERE account_id = ${accountId} AND subject_id = ${subjectId} ORDER BY n`).map(toEvent);
  }

  async readEventsAfter(afterSeq: number, limit: number, accountId?: string): Promise<EventRecord[]> {
    const rows = accountId === undefined
      ? await this.sql`SELECT * FROM events WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`
      : await this.sql`SELECT * FROM events WHERE account_id = ${accountId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`;
    return rows.map(toEventRecord).map((e) => ({ ...e, data: eventDataAsShown(this.present, e.type, e.subjectId, e.data) }));
  }

  async latestEventSeq(): Promise<number> {
    const [row] = await this.sql`SELECT coalesce(max(seq), 0) AS seq FROM events`;
    return row!.seq as number;
  }

  /**
   * Listeners hear of new events from every process: the sequencer of whichever process wrote
   * them notifies `EVENTS_CHANNEL` (LISTEN/NOTIFY) once they have their place in the stream.
   */
  onEventsCommitted(listener: () => void): () => void {
    this.eventListeners.add(listener);
    this.listening ??= this.sql
      .listen(EVENTS_CHANNEL, () => this.announceEvents())
      .then(({ unlisten }) => {
        this.unlisten = unlisten;
      })
      .catch((err) => this.log?.error({ err }, 'could not listen for events: other processes\' events arrive by polling only'));
    this.sequencer.watch();
    return () => this.eventListeners.delete(listener);
  }

  private announceEvents(): void {
    for (const listener of this.eventListeners) listener();
  }

  // rate limits

  async recordHits(keyHashes: string[], at: number): Promise<void> {
    await this.sql`INSERT INTO rate_limit_hits ${this.sql(keyHashes.map((keyHash) => ({ key_hash: keyHash, at })))}`;
  }

  async recentHits(keyHash: string, since: number, limit: number): Promise<number[]> {
    const rows = await this.sql`
      SELECT at FROM rate_limit_hits WHERE key_hash = ${keyHash} AND at > ${since} ORDER BY at DESC LIMIT ${limit}`;
    return rows.map((row) => row.at as number);
  }

  async clearHits(keyHash: string): Promise<void> {
    await this.sql`DELETE FROM rate_limit_hits WHERE key_hash = ${keyHash}`;
  }

  async removeHitsBefore(before: number, limit: number): Promise<number> {
    const deleted = await this.sql`
      DELETE FROM rate_limit_hits WHERE id IN (SELECT id FROM rate_limit_hits WHERE at <= ${before} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    return deleted.count;
  }

  async takeToken(keyHash: string, bucket: { capacity: number; intervalMs: number }, now: number): Promise<number> {
    // The upsert takes a token only while the row (locked, as last committed) leaves one. `found`
    // is the row as the statement's snapshot saw it, to say how long to wait: older than what the
    // upsert saw only when another take commits meanwhile, then the wait is short by one token.
    const slackMs = (bucket.capacity - 1) * bucket.intervalMs;
    const [row] = await this.sql`
      WITH found AS (SELECT full_at FROM rate_limit_buckets WHERE key_hash = ${keyHash}),
      taken AS (
        INSERT INTO rate_limit_buckets AS b (key_hash, full_at) VALUES (${keyHash}, ${now + bucket.intervalMs})
        ON CONFLICT (key_hash) DO UPDATE SET full_at = greatest(b.full_at, ${now}) + ${bucket.intervalMs}
          WHERE b.full_at - ${now} <= ${slackMs}
        RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM taken) AS taken, (SELECT full_at FROM found) AS full_at`;
    if (row!.taken) return 0;
    return Math.max(1, ((row!.full_at as number | null) ?? now) - now - slackMs);
  }

  async removeFullBuckets(before: number, limit: number): Promise<number> {
    const deleted = await this.sql`
      DELETE FROM rate_limit_buckets WHERE key_hash IN (
        SELECT key_hash FROM rate_limit_buckets WHERE full_at <= ${before} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    return deleted.count;
  }

  // webhooks (the SQL lives in webhook-outbox.ts)

  async createWebhookEndpoint(row: WebhookEndpointRow): Promise<WebhookEndpointRow> {
    return this.webhooks.createEndpoint(row);
  }

  async listWebhookEndpoints(accountId: string): Promise<WebhookEndpointRow[]> {
    return this.webhooks.listEndpoints(accountId);
  }

  async getWebhookEndpoint(accountId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    return this.webhooks.endpoint(this.sql, accountId, id);
  }

  async updateWebhookEndpoint(accountId: string, id: string, change: WebhookEndpointChange): Promise<WebhookEndpointRow | undefined> {
    return this.tx((t) => this.webhooks.updateEndpoint(t.sql, accountId, id, change));
  }

  async rotateWebhookSecret(accountId: string, id: string, rotation: WebhookRotation): Promise<WebhookEndpointRow | undefined> {
    return this.webhooks.rotateSecret(accountId, id, rotation);
  }

  async deleteWebhookEndpoint(accountId: string, id: string): Promise<boolean> {
    return this.tx((t) => this.webhooks.deleteEndpoint(t.sql, accountId, id));
  }

  async enqueueWebhookTest(accountId: string, endpointId: string, test: WebhookTest, now: number): Promise<WebhookDeliveryRow | undefined> {
    return this.tx((t) => this.webhooks.enqueueTest(t.sql, accountId, endpointId, test, now));
  }

  async resendWebhookDelivery(accountId: string, endpointId: string, deliveryId: string, newId: string, now: number) {
    return this.tx((t) => this.webhooks.resend(t.sql, accountId, endpointId, deliveryId, newId, now));
  }

  async listWebhookDeliveries(accountId: string, endpointId: string, filter: WebhookDeliveryFilter): Promise<Page<WebhookDeliveryRow> | undefined> {
    return this.webhooks.listDeliveries(accountId, endpointId, filter);
  }

  async getWebhookDelivery(accountId: string, endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
    return this.webhooks.delivery(this.sql, accountId, endpointId, id);
  }

  async claimWebhookDeliveries(claim: WebhookClaim): Promise<ClaimedDelivery[]> {
    const endpoints = (await this.webhooks.endpointsWithDue(claim.now)).filter((id) => (claim.inFlight[id] ?? 0) < claim.perEndpoint);
    if (endpoints.length === 0) return [];
    return this.tx((t) => this.webhooks.claim(t.sql, endpoints, claim));
  }

  async recordWebhookAttempt(result: WebhookAttemptResult): Promise<void> {
    await this.tx((t) => this.webhooks.recordAttempt(t.sql, result));
  }

  async releaseWebhookDeliveries(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.webhooks.release(ids);
  }

  async isBlobReferenced(blobId: string): Promise<boolean> {
    return (await this.sql`SELECT 1 FROM captures WHERE blob_id = ${blobId}`).length > 0;
  }

  // the one place a session's status changes, with its event

  private async setStatus(t: Tx, session: SessionRow, status: SessionRow['status'], now: number, force = false): Promise<SessionRow> {
    const changed = status !== session.status || force;
    const updated: SessionRow = { ...session, status, updatedAt: now };
    const s = fromSession(updated);
    await t.sql`
      UPDATE sessions SET status = ${s.status}, document_type = ${s.document_type}, credit = ${s.credit},
        decision_note = ${s.decision_note}, decided_at = ${s.decided_at}, updated_at = ${s.updated_at},
        submitted_at = ${s.submitted_at}, erased_at = ${s.erased_at}
      WHERE id = ${s.id}`;
    if (changed) await this.sessionEvent(t, `session.${status}` as EventType, updated, now);
    return updated;
  }

  /** `captures` may be passed when known (a session just created has none), saving a query. */
  private async sessionEvent(t: Tx, type: EventType, session: SessionRow, now: number, captures?: CaptureRow[]): Promise<void> {
    const data = this.present.session(session, captures ?? (await this.captureRows(t.sql, session.id)));
    await this.insertEvent(t, type, session.accountId, session.id, data, now);
  }

  private async linkEvent(t: Tx, type: EventType, link: LinkRow, now: number): Promise<void> {
    await this.insertEvent(t, type, link.accountId, link.id, linkEventData(this.present, link, now), now);
  }

  /** The event, and the webhook outbox's deliveries of it, in the caller's transaction. */
  private async insertEvent(t: Tx, type: EventType, accountId: string, subjectId: string, data: unknown, now: number): Promise<void> {
    t.wroteEvents = true;
    const id = newId(ID_PREFIXES.event);
    // One round trip: the insert, and the endpoints that take this event.
    const endpoints = await t.sql`
      WITH inserted AS (
        INSERT INTO events (id, account_id, type, subject_id, data, created_at)
        VALUES (${id}, ${accountId}, ${type}, ${subjectId}, ${JSON.stringify(data)}, ${now}))
      SELECT id FROM webhook_endpoints
      WHERE account_id = ${accountId} AND enabled AND (event_types::jsonb ? '*' OR event_types::jsonb ? ${type})`;
    if (endpoints.length > 0) await this.webhooks.enqueueForEvent(t.sql, endpoints.map((e) => e.id as string), id, type, now);
  }
}

/** Applies the migrations not yet applied, one process at a time. */
async function migrate(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)`;
    const [{ version }] = (await tx`SELECT coalesce(max(version), 0) AS version FROM schema_migrations`) as unknown as [{ version: number }];
    if (version > POSTGRES_MIGRATIONS.length) {
      throw new Error(`database schema version ${version} is newer than this server (${POSTGRES_MIGRATIONS.length})`);
    }
    for (const [i, migration] of POSTGRES_MIGRATIONS.entries()) {
      if (i < version) continue;
      await tx.unsafe(migration);
      await tx`INSERT INTO schema_migrations (version, applied_at) VALUES (${i + 1}, ${Date.now()})`;
    }
  });
}
