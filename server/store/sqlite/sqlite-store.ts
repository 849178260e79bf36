import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { LinkStatus } from '../../../contract/links.js';
import type { CaptureKind, DocumentType, EventType, SessionStatus } from '../../../contract/sessions.js';
import { ID_PREFIXES } from '../../../contract/common.js';
import { linkRefusal, linkStatus } from '../../domain/links.js';
import { captureKindsOf, DECIDABLE_STATUSES, isOpen, newSessionRow, requiredCaptureKinds, sessionUnavailable } from '../../domain/sessions.js';
import { newId } from '../../ids.js';
import type {
  AccountRow, Cursor, ApiKeyRow, CaptureRow, CreateHandoffResult, DecideResult, DecisionInput, EventRecord, EventRow, HandoffRow,
  LinkChange, LinkFilter, LinkRow, Page, Presenter, RedeemHandoffResult, SaveCaptureResult, SessionFilter, SessionRow,
  LinkActivity, StartResult, StartSession, Store, SubmitResult, TokenBucket, UserRow, UserSessionRow, ClaimedDelivery, WebhookAttemptResult,
  WebhookClaim, WebhookDeliveryFilter, WebhookDeliveryRow, WebhookEndpointChange, WebhookEndpointRow, WebhookRotation, WebhookTest,
} from '../store.js';
import { eventDataAsShown, linkEventData } from '../event-data.js';
import { GroupCommit } from './group-commit.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { WebhookOutbox } from './webhook-outbox.js';
import {
  fromCapture, fromLink, fromSession, toAccount, toApiKey, toCapture, toEvent, toEventRecord, toLink, toSession, toUser,
  toUserSession,
} from '../rows.js';

/** SQL for each derived link status; the precedence matches `linkStatus`. */
const LINK_STATUS_SQL: Record<LinkStatus, string> = {
  deactivated: 'deactivated_at IS NOT NULL',
  expired: 'deactivated_at IS NULL AND expires_at IS NOT NULL AND expires_at <= @now',
  exhausted:
    'deactivated_at IS NULL AND (expires_at IS NULL OR expires_at > @now) AND usage_limit IS NOT NULL AND uses >= usage_limit',
  active: 'deactivated_at IS NULL AND (expires_at IS NULL OR expires_at > @now) AND (usage_limit IS NULL OR uses < usage_limit)',
};

export interface SqliteOptions {
  /** `FULL` fsyncs the WAL on every commit: an acknowledged change survives power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * The embedded store. better-sqlite3 is synchronous, so each write method's body runs to
 * completion inside a transaction without yielding: concurrent requests in this process are
 * serialised (and group-committed), and other processes (the admin CLI) wait on the write lock
 * (busy_timeout).
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  private readonly commits: GroupCommit;
  private readonly eventListeners = new Set<() => void>();
  /** Set by each event insert, cleared by the commit that makes it visible. */
  private hasUncommittedEvents = false;
  private readonly webhooks = new WebhookOutbox((text) => this.sql(text), (type, subjectId, data) => this.eventJson(type, subjectId, data));

  private readonly synchronous: 'FULL' | 'NORMAL';

  constructor(file: string, private readonly present: Presenter, options: SqliteOptions = {}) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.synchronous = options.synchronous ?? 'FULL';
    this.db.pragma(`synchronous = ${this.synchronous}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Savepoints (one per group-committed unit) keep their journals here instead of in temp files.
    this.db.pragma('temp_store = MEMORY');
    this.migrate();
    this.commits = new GroupCommit(this.db, () => this.announceEvents());
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > SQLITE_MIGRATIONS.length) {
      throw new Error(`database schema version ${current} is newer than this server (${SQLITE_MIGRATIONS.length})`);
    }
    SQLITE_MIGRATIONS.slice(current).forEach((sql, i) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${current + i + 1}`);
      }).immediate();
    });
  }

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** A write transaction, committed together with the others of this event-loop turn. */
  private tx<T>(fn: () => T): Promise<T> {
    return this.commits.run(fn);
  }

  async close(): Promise<void> {
    await this.commits.settle();
    if (this.db.open) this.db.close();
  }

  // accounts, keys, users

  async createAccount(input: { id: string; name: string; credits: number; now: number }): Promise<AccountRow> {
    this.sql('INSERT INTO accounts (id, name, credits_available, credits_held, created_at) VALUES (?, ?, ?, 0, ?)').run(
      input.id, input.name, input.credits, input.now,
    );
    return (await this.getAccount(input.id))!;
  }

  async getAccount(id: string): Promise<AccountRow | undefined> {
    const row = this.sql('SELECT * FROM accounts WHERE id = ?').get(id);
    return row ? toAccount(row as object) : undefined;
  }

  async countAccounts(): Promise<number> {
    return (this.sql('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  }

  async setEmbedOrigins(accountId: string, origins: string[]): Promise<AccountRow | undefined> {
    this.sql('UPDATE accounts SET embed_origins = ? WHERE id = ?').run(JSON.stringify(origins), accountId);
    return this.getAccount(accountId);
  }

  async addCredits(accountId: string, credits: number): Promise<AccountRow | undefined> {
    this.sql('UPDATE accounts SET credits_available = credits_available + ? WHERE id = ?').run(credits, accountId);
    return this.getAccount(accountId);
  }

  async createApiKey(row: ApiKeyRow): Promise<void> {
    this.sql(
      'INSERT INTO api_keys (id, account_id, mode, key_hash, prefix, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(row.id, row.accountId, row.mode, row.keyHash, row.prefix, row.createdAt, row.revokedAt);
  }

  async findApiKey(keyHash: string): Promise<ApiKeyRow | undefined> {
    const row = this.sql('SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL').get(keyHash);
    return row ? toApiKey(row as object) : undefined;
  }

  async listApiKeys(accountId: string): Promise<ApiKeyRow[]> {
    return (this.sql('SELECT * FROM api_keys WHERE account_id = ? ORDER BY created_at DESC, id').all(accountId) as object[]).map(toApiKey);
  }

  async revokeApiKey(accountId: string, id: string, now: number): Promise<ApiKeyRow | undefined> {
    return this.tx(() => {
      this.sql('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL').run(now, id, accountId);
      const row = this.sql('SELECT * FROM api_keys WHERE id = ? AND account_id = ?').get(id, accountId);
      return row ? toApiKey(row as object) : undefined;
    });
  }

  async createUser(row: UserRow): Promise<void> {
    this.sql('INSERT INTO users (id, account_id, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
      row.id, row.accountId, row.email, row.passwordHash, row.createdAt,
    );
  }

  async findUserByEmail(email: string): Promise<UserRow | undefined> {
    const row = this.sql('SELECT * FROM users WHERE email = ?').get(email);
    return row ? toUser(row as object) : undefined;
  }

  // dashboard sign-ins

  async createUserSession(row: UserSessionRow): Promise<void> {
    await this.tx(() =>
      this.sql(
        `INSERT INTO user_sessions (id, token_hash, user_id, account_id, csrf_token, created_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(row.id, row.tokenHash, row.userId, row.accountId, row.csrfToken, row.createdAt, row.lastSeenAt, row.expiresAt),
    );
  }

  async findUserSession(tokenHash: Buffer, now: number): Promise<{ session: UserSessionRow; user: UserRow } | undefined> {
    const row = this.sql('SELECT * FROM user_sessions WHERE token_hash = ? AND expires_at > ?').get(tokenHash, now) as object | undefined;
    if (!row) return undefined;
    const session = toUserSession(row);
    const user = this.sql('SELECT * FROM users WHERE id = ?').get(session.userId) as object | undefined;
    return user ? { session, user: toUser(user) } : undefined;
  }

  async touchUserSession(id: string, now: number): Promise<void> {
    await this.tx(() => this.sql('UPDATE user_sessions SET last_seen_at = ? WHERE id = ?').run(now, id));
  }

  async deleteUserSession(id: string): Promise<void> {
    await this.tx(() => this.sql('DELETE FROM user_sessions WHERE id = ?').run(id));
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return this.tx(() => this.sql('DELETE FROM user_sessions WHERE user_id = ?').run(userId).changes);
  }

  async removeExpiredUserSessions(now: number, limit: number): Promise<number> {
    return this.tx(
      () => this.sql('DELETE FROM user_sessions WHERE id IN (SELECT id FROM user_sessions WHERE expires_at <= ? LIMIT ?)').run(now, limit).changes,
    );
  }

  // links

  async createLink(row: LinkRow): Promise<LinkRow> {
    return this.tx(() => {
      this.sql(
        `INSERT INTO links (id, account_id, mode, name, flow, usage_limit, uses, expires_at, language, redirect_url,
           metadata, created_at, deactivated_at)
         VALUES (@id, @account_id, @mode, @name, @flow, @usage_limit, @uses, @expires_at, @language, @redirect_url,
           @metadata, @created_at, @deactivated_at)`,
      ).run(fromLink(row));
      this.linkEvent('link.created', row, row.createdAt);
      return row;
    });
  }

  private linkRow(id: string): LinkRow | undefined {
    const row = this.sql('SELECT * FROM links WHERE id = ?').get(id);
    return row ? toLink(row as object) : undefined;
  }

  async getLink(accountId: string, id: string): Promise<LinkRow | undefined> {
    const row = this.sql('SELECT * FROM links WHERE id = ? AND account_id = ?').get(id, accountId);
    return row ? toLink(row as object) : undefined;
  }

  async findLink(id: string): Promise<(LinkRow & { accountName: string }) | undefined> {
    return this.linkWithAccountName(id);
  }

  private linkWithAccountName(id: string): (LinkRow & { accountName: string }) | undefined {
    const row = this.sql(
      'SELECT links.*, accounts.name AS account_name FROM links JOIN accounts ON accounts.id = links.account_id WHERE links.id = ?',
    ).get(id) as Record<string, unknown> | undefined;
    return row ? { ...toLink(row), accountName: row.account_name as string } : undefined;
  }

  async listLinks(accountId: string, filter: LinkFilter): Promise<Page<LinkRow>> {
    const conditions = [];
    if (filter.status) conditions.push(`(${LINK_STATUS_SQL[filter.status]})`);
    if (filter.flow) conditions.push('flow = @flow');
    return this.page('links', conditions, { accountId, now: filter.now, flow: filter.flow }, filter, toLink);
  }

  async updateLink(accountId: string, id: string, change: LinkChange, now: number): Promise<LinkRow | undefined> {
    return this.tx(() => {
      const link = this.linkRow(id);
      if (!link || link.accountId !== accountId) return undefined;
      const updated: LinkRow = { ...link, ...change };
      this.sql('UPDATE links SET name = @name, redirect_url = @redirect_url, metadata = @metadata WHERE id = @id').run(
        fromLink(updated),
      );
      this.linkEvent('link.updated', updated, now);
      return updated;
    });
  }

  /** Final: nothing reactivates a link. Deactivating twice changes nothing the second time. */
  async deactivateLink(accountId: string, id: string, now: number): Promise<LinkRow | undefined> {
    return this.tx(() => {
      const link = this.linkRow(id);
      if (!link || link.accountId !== accountId) return undefined;
      if (link.deactivatedAt !== null) return link;
      this.sql('UPDATE links SET deactivated_at = ? WHERE id = ?').run(now, id);
      const updated = { ...link, deactivatedAt: now };
      this.linkEvent('link.deactivated', updated, now);
      return updated;
    });
  }

  async recordLinkOpen(id: string): Promise<void> {
    await this.tx(() => this.sql('UPDATE links SET opens = opens + 1 WHERE id = ?').run(id));
  }

  async linkActivity(accountId: string, id: string, since: number): Promise<LinkActivity | undefined> {
    const link = this.sql('SELECT opens FROM links WHERE id = ? AND account_id = ?').get(id, accountId) as { opens: number } | undefined;
    if (!link) return undefined;
    const sessions = (
      this.sql(
        `SELECT s.status, s.document_type, group_concat(c.kind) AS kinds
         FROM sessions s LEFT JOIN captures c ON c.session_id = s.id
         WHERE s.link_id = ? GROUP BY s.id`,
      ).all(id) as { status: SessionStatus; document_type: DocumentType | null; kinds: string | null }[]
    ).map((r) => ({ status: r.status, documentType: r.document_type, captured: (r.kinds ? r.kinds.split(',') : []) as CaptureKind[] }));
    const perDay = this.sql(
      `SELECT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch') AS day, count(*) AS sessions
       FROM sessions WHERE link_id = ? AND created_at >= ? GROUP BY day ORDER BY day`,
    ).all(id, since) as { day: string; sessions: number }[];
    return { opens: link.opens, sessions, perDay };
  }

  // sessions

  /**
   * The seed's "click": check the link, use one use, hold one credit (live mode), create the
   * session and its event, all or nothing.
   */
  async startSession(input: StartSession): Promise<StartResult> {
    return this.tx((): StartResult => {
      const link = this.linkWithAccountName(input.linkId);
      const refusal = linkRefusal(link, input.now);
      if (refusal || !link) return { ok: false, refusal: refusal ?? 'link_not_found' };

      const isLive = link.mode === 'live';
      if (isLive) {
        const held = this.sql(
          'UPDATE accounts SET credits_available = credits_available - 1, credits_held = credits_held + 1 WHERE id = ? AND credits_available > 0',
        ).run(link.accountId);
        if (held.changes === 0) return { ok: false, refusal: 'no_credits' };
      }
      this.sql('UPDATE links SET uses = uses + 1 WHERE id = ?').run(link.id);
      const used = { ...link, uses: link.uses + 1 };

      const session = newSessionRow(link, input);
      this.sql(
        `INSERT INTO sessions (id, account_id, link_id, mode, flow, language, status, document_type, credit, decision_note,
           decided_at, created_at, updated_at, expires_at, submitted_at, erased_at)
         VALUES (@id, @account_id, @link_id, @mode, @flow, @language, @status, @document_type, @credit, @decision_note,
           @decided_at, @created_at, @updated_at, @expires_at, @submitted_at, @erased_at)`,
      ).run(fromSession(session));
      this.sessionEvent('session.created', session, input.now, []);
      if (linkStatus(used, input.now) === 'exhausted') this.linkEvent('link.exhausted', used, input.now);
      return { ok: true, session, link: used };
    });
  }

  private sessionRow(id: string): SessionRow | undefined {
    const row = this.sql('SELECT * FROM sessions WHERE id = ?').get(id);
    return row ? toSession(row as object) : undefined;
  }

  async getSession(id: string): Promise<SessionRow | undefined> {
    return this.sessionRow(id);
  }

  async getAccountSession(accountId: string, id: string): Promise<SessionRow | undefined> {
    const session = this.sessionRow(id);
    return session?.accountId === accountId ? session : undefined;
  }

  async listSessions(accountId: string, filter: SessionFilter): Promise<Page<SessionRow>> {
    const conditions = [];
    if (filter.linkId) conditions.push('link_id = @linkId');
    if (filter.status) conditions.push('status = @status');
    return this.page('sessions', conditions, { accountId, linkId: filter.linkId, status: filter.status }, filter, toSession);
  }

  /** Keyset pagination, newest first, over an account's rows; one extra row tells if more follow. */
  private page<T>(
    table: 'links' | 'sessions',
    conditions: string[],
    params: Record<string, unknown>,
    { limit, after }: { limit: number; after?: Cursor | undefined },
    toRow: (raw: object) => T,
  ): Page<T> {
    const where = ['account_id = @accountId', ...conditions];
    if (after) where.push('(created_at, id) < (@afterCreatedAt, @afterId)');
    const rows = this.sql(
      `SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @limit`,
    ).all({ ...params, afterCreatedAt: after?.createdAt, afterId: after?.id, limit: limit + 1 }) as object[];
    return { rows: rows.slice(0, limit).map(toRow), hasMore: rows.length > limit };
  }

  async listCaptures(sessionId: string): Promise<CaptureRow[]> {
    return this.captureRows(sessionId);
  }

  private captureRows(sessionId: string): CaptureRow[] {
    return (this.sql('SELECT * FROM captures WHERE session_id = ? ORDER BY kind').all(sessionId) as object[]).map(
      toCapture,
    );
  }

  async getCapture(sessionId: string, kind: CaptureKind): Promise<CaptureRow | undefined> {
    const row = this.sql('SELECT * FROM captures WHERE session_id = ? AND kind = ?').get(sessionId, kind);
    return row ? toCapture(row as object) : undefined;
  }

  async saveCapture(capture: CaptureRow, now: number): Promise<SaveCaptureResult> {
    return this.tx((): SaveCaptureResult => {
      const session = this.sessionRow(capture.sessionId);
      const unavailable = sessionUnavailable(session, now);
      if (unavailable || !session) return { ok: false, reason: unavailable ?? 'session_not_found' };
      if (!captureKindsOf(session.flow).includes(capture.kind)) {
        return { ok: false, reason: 'capture_not_in_flow' };
      }
      const previous = this.sql('SELECT blob_id FROM captures WHERE session_id = ? AND kind = ?').get(
        capture.sessionId, capture.kind,
      ) as { blob_id: string } | undefined;
      this.sql(
        `INSERT INTO captures (session_id, kind, blob_id, content_type, bytes, width, height, sha256, metrics, uploaded_at)
         VALUES (@session_id, @kind, @blob_id, @content_type, @bytes, @width, @height, @sha256, @metrics, @uploaded_at)
         ON CONFLICT (session_id, kind) DO UPDATE SET blob_id = excluded.blob_id, content_type = excluded.content_type,
           bytes = excluded.bytes, width = excluded.width, height = excluded.height, sha256 = excluded.sha256,
           metrics = excluded.metrics, uploaded_at = excluded.uploaded_at`,
      ).run(fromCapture(capture));
      const updated = this.setStatus(session, session.status === 'created' ? 'in_progress' : session.status, now);
      return { ok: true, replacedBlobId: previous?.blob_id ?? null, session: updated };
    });
  }

  async submitSession(sessionId: string, documentType: DocumentType | null, now: number): Promise<SubmitResult> {
    return this.tx((): SubmitResult => {
      const session = this.sessionRow(sessionId);
      const unavailable = sessionUnavailable(session, now);
      if (unavailable || !session) return { ok: false, reason: unavailable ?? 'session_not_found' };
      const captured = new Set(this.captureRows(sessionId).map((c) => c.kind));
      const missing = requiredCaptureKinds(session.flow, documentType).filter((kind) => !captured.has(kind));
      if (missing.length > 0) return { ok: false, reason: 'captures_missing', missing };

      if (session.credit === 'held') {
        this.sql('UPDATE accounts SET credits_held = credits_held - 1 WHERE id = ?').run(session.accountId);
      }
      const charged: SessionRow = {
        ...session,
        documentType,
        credit: session.credit === 'held' ? 'charged' : session.credit,
        submittedAt: now,
      };
      const submitted = this.setStatus(charged, 'submitted', now);
      // Automatic checks come later: until then every submission waits for a person.
      return { ok: true, session: this.setStatus(submitted, 'review', now) };
    });
  }

  async decideSession(accountId: string, id: string, decision: DecisionInput, now: number): Promise<DecideResult> {
    return this.tx((): DecideResult => {
      const session = this.sessionRow(id);
      if (!session || session.accountId !== accountId) return { ok: false, reason: 'not_found' };
      if (!DECIDABLE_STATUSES.includes(session.status)) {
        return { ok: false, reason: 'not_decidable', status: session.status };
      }
      const decided = { ...session, decisionNote: decision.note, decidedAt: now };
      return { ok: true, session: this.setStatus(decided, decision.status, now, true) };
    });
  }

  async eraseSession(accountId: string, id: string, now: number) {
    return this.tx(() => {
      const session = this.sessionRow(id);
      if (!session || session.accountId !== accountId) return undefined;
      const blobIds = this.captureRows(id).map((c) => c.blobId);
      this.sql('DELETE FROM captures WHERE session_id = ?').run(id);
      this.sql('DELETE FROM handoffs WHERE session_id = ?').run(id);
      let erased: SessionRow = { ...session, decisionNote: null, erasedAt: session.erasedAt ?? now };
      // An applicant's open session ends with its data: release what it held.
      erased = isOpen(session.status) ? this.expire(erased, now) : this.setStatus(erased, erased.status, now);
      this.sessionEvent('session.erased', erased, now);
      // Events keep their type and time for the audit trail; their data becomes the erased view.
      this.sql('UPDATE events SET data = ? WHERE subject_id = ?').run(
        JSON.stringify(this.present.session(erased, [])), id,
      );
      return { session: erased, blobIds };
    });
  }

  // handoffs

  async createHandoff(row: HandoffRow, now: number): Promise<CreateHandoffResult> {
    return this.tx((): CreateHandoffResult => {
      const unavailable = sessionUnavailable(this.sessionRow(row.sessionId), now);
      if (unavailable) return { ok: false, reason: unavailable };
      this.sql(
        'INSERT INTO handoffs (id, session_id, token_hash, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(row.id, row.sessionId, row.tokenHash, row.createdAt, row.expiresAt, row.usedAt);
      return { ok: true };
    });
  }

  async redeemHandoff(tokenHash: Buffer, now: number): Promise<RedeemHandoffResult> {
    return this.tx((): RedeemHandoffResult => {
      const handoff = this.sql('SELECT id, session_id, expires_at, used_at FROM handoffs WHERE token_hash = ?').get(
        tokenHash,
      ) as { id: string; session_id: string; expires_at: number; used_at: number | null } | undefined;
      if (!handoff) return { ok: false, reason: 'handoff_not_found' };
      if (handoff.used_at !== null) return { ok: false, reason: 'handoff_used' };
      // The session's state first: "already submitted" tells the applicant more than "expired".
      const session = this.sessionRow(handoff.session_id);
      const unavailable = sessionUnavailable(session, now);
      if (unavailable || !session) return { ok: false, reason: unavailable ?? 'session_not_found' };
      if (handoff.expires_at <= now) return { ok: false, reason: 'handoff_expired' };
      // Conditional, so that in a store whose transactions interleave the second one changes nothing.
      const used = this.sql('UPDATE handoffs SET used_at = ? WHERE id = ? AND used_at IS NULL').run(now, handoff.id);
      if (used.changes === 0) return { ok: false, reason: 'handoff_used' };
      this.sessionEvent('session.handed_off', session, now);
      return { ok: true, session };
    });
  }

  // time-driven changes

  async expireSessions(now: number, limit: number): Promise<number> {
    return this.tx(() => {
      const due = (
        this.sql(
          `SELECT * FROM sessions WHERE status IN ('created', 'in_progress') AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
        ).all(now, limit) as object[]
      ).map(toSession);
      for (const session of due) this.expire(session, now);
      return due.length;
    });
  }

  private expire(session: SessionRow, now: number): SessionRow {
    if (session.credit === 'held') {
      this.sql(
        'UPDATE accounts SET credits_held = credits_held - 1, credits_available = credits_available + 1 WHERE id = ?',
      ).run(session.accountId);
    }
    const released = { ...session, credit: session.credit === 'held' ? ('released' as const) : session.credit };
    return this.setStatus(released, 'expired', now);
  }

  async announceExpiredLinks(now: number, limit: number): Promise<number> {
    return this.tx(() => {
      const due = (
        this.sql(
          `SELECT * FROM links WHERE expires_at IS NOT NULL AND expires_at <= ? AND deactivated_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM events WHERE events.subject_id = links.id AND events.type = 'link.expired')
           LIMIT ?`,
        ).all(now, limit) as object[]
      ).map(toLink);
      for (const link of due) this.linkEvent('link.expired', link, now);
      return due.length;
    });
  }

  async removeExpiredHandoffs(before: number, limit: number): Promise<number> {
    return this.tx(
      () =>
        this.sql('DELETE FROM handoffs WHERE id IN (SELECT id FROM handoffs WHERE expires_at <= ? LIMIT ?)').run(before, limit)
          .changes,
    );
  }

  async listEvents(accountId: string, subjectId: string): Promise<EventRow[]> {
    return (
      this.sql('SELECT * FROM events WHERE account_id = ? AND subject_id = ? ORDER BY seq').all(
        accountId, subjectId,
      ) as object[]
    ).map(toEvent);
  }

  async readEventsAfter(afterSeq: number, limit: number, accountId?: string): Promise<EventRecord[]> {
    const rows = accountId === undefined
      ? this.sql('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit)
      : this.sql('SELECT * FROM events WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(accountId, afterSeq, limit);
    return (rows as object[]).map(toEventRecord).map((e) => ({ ...e, data: this.eventJson(e.type, e.subjectId, e.data) }));
  }

  private eventJson(type: string, subjectId: string, data: string): string {
    return eventDataAsShown(this.present, type, subjectId, data);
  }

  async latestEventSeq(): Promise<number> {
    return (this.sql('SELECT coalesce(max(seq), 0) AS seq FROM events').get() as { seq: number }).seq;
  }

  onEventsCommitted(listener: () => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  private announceEvents(): void {
    if (!this.hasUncommittedEvents) return;
    this.hasUncommittedEvents = false;
    for (const listener of this.eventListeners) listener();
  }

  // rate limits

  async recordHits(keyHashes: string[], at: number): Promise<void> {
    await this.tx(() => {
      for (const keyHash of keyHashes) this.sql('INSERT INTO rate_limit_hits (key_hash, at) VALUES (?, ?)').run(keyHash, at);
    });
  }

  async recentHits(keyHash: string, since: number, limit: number): Promise<number[]> {
    const rows = this.sql('SELECT at FROM rate_limit_hits WHERE key_hash = ? AND at > ? ORDER BY at DESC LIMIT ?').all(keyHash, since, limit);
    return (rows as { at: number }[]).map((row) => row.at);
  }

  async clearHits(keyHash: string): Promise<void> {
    await this.tx(() => this.sql('DELETE FROM rate_limit_hits WHERE key_hash = ?').run(keyHash));
  }

  async removeHitsBefore(before: number, limit: number): Promise<number> {
    return this.tx(
      () => this.sql('DELETE FROM rate_limit_hits WHERE id IN (SELECT id FROM rate_limit_hits WHERE at <= ? LIMIT ?)').run(before, limit).changes,
    );
  }

  async takeToken(keyHash: string, bucket: TokenBucket, now: number): Promise<number> {
    return this.tx(() => {
      const row = this.sql('SELECT full_at FROM rate_limit_buckets WHERE key_hash = ?').get(keyHash) as { full_at: number } | undefined;
      const fullAt = Math.max(row?.full_at ?? now, now);
      const waitMs = fullAt - now - (bucket.capacity - 1) * bucket.intervalMs;
      if (waitMs > 0) return waitMs;
      this.sql('INSERT INTO rate_limit_buckets (key_hash, full_at) VALUES (?, ?) ON CONFLICT (key_hash) DO UPDATE SET full_at = excluded.full_at')
        .run(keyHash, fullAt + bucket.intervalMs);
      return 0;
    });
  }

  async removeFullBuckets(before: number, limit: number): Promise<number> {
    return this.tx(
      () =>
        this.sql('DELETE FROM rate_limit_buckets WHERE key_hash IN (SELECT key_hash FROM rate_limit_buckets WHERE full_at <= ? LIMIT ?)')
          .run(before, limit).changes,
    );
  }

  // webhooks (the SQL lives in webhook-outbox.ts)

  async createWebhookEndpoint(row: WebhookEndpointRow): Promise<WebhookEndpointRow> {
    return this.tx(() => this.webhooks.createEndpoint(row));
  }

  async listWebhookEndpoints(accountId: string): Promise<WebhookEndpointRow[]> {
    return this.webhooks.listEndpoints(accountId);
  }

  async getWebhookEndpoint(accountId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    return this.webhooks.endpoint(accountId, id);
  }

  async updateWebhookEndpoint(accountId: string, id: string, change: WebhookEndpointChange): Promise<WebhookEndpointRow | undefined> {
    return this.tx(() => this.webhooks.updateEndpoint(accountId, id, change));
  }

  async rotateWebhookSecret(accountId: string, id: string, rotation: WebhookRotation): Promise<WebhookEndpointRow | undefined> {
    return this.tx(() => this.webhooks.rotateSecret(accountId, id, rotation));
  }

  async deleteWebhookEndpoint(accountId: string, id: string): Promise<boolean> {
    return this.tx(() => this.webhooks.deleteEndpoint(accountId, id));
  }

  async enqueueWebhookTest(accountId: string, endpointId: string, test: WebhookTest, now: number): Promise<WebhookDeliveryRow | undefined> {
    return this.tx(() => this.webhooks.enqueueTest(accountId, endpointId, test, now));
  }

  async resendWebhookDelivery(accountId: string, endpointId: string, deliveryId: string, newId: string, now: number) {
    return this.tx(() => this.webhooks.resend(accountId, endpointId, deliveryId, newId, now));
  }

  async listWebhookDeliveries(accountId: string, endpointId: string, filter: WebhookDeliveryFilter): Promise<Page<WebhookDeliveryRow> | undefined> {
    return this.webhooks.listDeliveries(accountId, endpointId, filter);
  }

  async getWebhookDelivery(accountId: string, endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
    return this.webhooks.delivery(accountId, endpointId, id);
  }

  /**
   * Outside the group commit, and without its fsync: a lease need not survive a crash (a lost one
   * only makes the delivery due again, which is the crash recovery anyway), and a claim that waited
   * for the next durable commit would let deliveries lag a busy server's writes. better-sqlite3 is
   * synchronous, so no group-committed batch is open meanwhile; the next FULL commit syncs these pages too.
   */
  async claimWebhookDeliveries(claim: WebhookClaim): Promise<ClaimedDelivery[]> {
    const endpoints = this.webhooks.endpointsWithDue(claim.now).filter((id) => (claim.inFlight[id] ?? 0) < claim.perEndpoint);
    if (endpoints.length === 0) return [];
    this.db.pragma('synchronous = OFF');
    try {
      return this.db.transaction(() => this.webhooks.claim(endpoints, claim)).immediate();
    } finally {
      this.db.pragma(`synchronous = ${this.synchronous}`);
    }
  }

  async recordWebhookAttempt(result: WebhookAttemptResult): Promise<void> {
    await this.tx(() => this.webhooks.recordAttempt(result));
  }

  async releaseWebhookDeliveries(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.tx(() => this.webhooks.release(ids));
  }

  async isBlobReferenced(blobId: string): Promise<boolean> {
    return this.sql('SELECT 1 FROM captures WHERE blob_id = ?').get(blobId) !== undefined;
  }

  // the one place a session's status changes, with its event

  private setStatus(session: SessionRow, status: SessionRow['status'], now: number, force = false): SessionRow {
    const changed = status !== session.status || force;
    const updated: SessionRow = { ...session, status, updatedAt: now };
    this.sql(
      `UPDATE sessions SET status = @status, document_type = @document_type, credit = @credit,
         decision_note = @decision_note, decided_at = @decided_at, updated_at = @updated_at,
         submitted_at = @submitted_at, erased_at = @erased_at WHERE id = @id`,
    ).run(fromSession(updated));
    if (changed) this.sessionEvent(`session.${status}` as EventType, updated, now);
    return updated;
  }

  /** `captures` may be passed when known (a session just created has none), saving a query. */
  private sessionEvent(type: EventType, session: SessionRow, now: number, captures = this.captureRows(session.id)): void {
    this.insertEvent(type, session.accountId, session.id, this.present.session(session, captures), now);
  }

  private linkEvent(type: EventType, link: LinkRow, now: number): void {
    this.insertEvent(type, link.accountId, link.id, linkEventData(this.present, link, now), now);
  }

  private insertEvent(type: EventType, accountId: string, subjectId: string, data: unknown, now: number): void {
    this.hasUncommittedEvents = true;
    const id = newId(ID_PREFIXES.event);
    const { lastInsertRowid } = this.sql('INSERT INTO events (id, account_id, type, subject_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      id, accountId, type, subjectId, JSON.stringify(data), now,
    );
    // The webhook outbox, in the same transaction: an event committed is an event to deliver.
    this.webhooks.enqueueForEvent(Number(lastInsertRowid), id, accountId, type, now);
  }
}
