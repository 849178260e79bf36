import type { HandoffRefusal, LinkRefusal } from '../../contract/flow.js';
import type { Flow, LinkStatus } from '../../contract/links.js';
import type { Language, Mode } from '../../contract/common.js';
import type {
  CaptureKind,
  CaptureMetrics,
  CreditState,
  DocumentType,
  EventType,
  SessionStatus,
} from '../../contract/sessions.js';

/**
 * The one interface every store implements (SQLite, the default, and PostgreSQL). Each method is one
 * atomic unit: it checks, changes and writes the event that explains the change in a single
 * transaction, so handlers never hold a transaction open across an `await`.
 * Times are milliseconds since the epoch.
 */
export interface Store {
  close(): Promise<void>;

  // accounts, keys, users
  createAccount(input: { id: string; name: string; credits: number; now: number }): Promise<AccountRow>;
  getAccount(id: string): Promise<AccountRow | undefined>;
  countAccounts(): Promise<number>;
  addCredits(accountId: string, credits: number): Promise<AccountRow | undefined>;
  setEmbedOrigins(accountId: string, origins: string[]): Promise<AccountRow | undefined>;
  createApiKey(row: ApiKeyRow): Promise<void>;
  findApiKey(keyHash: string): Promise<ApiKeyRow | undefined>;
  listApiKeys(accountId: string): Promise<ApiKeyRow[]>;
  /** Revokes the account's key (once: a revoked key keeps its first revocation time). */
  revokeApiKey(accountId: string, id: string, now: number): Promise<ApiKeyRow | undefined>;
  createUser(row: UserRow): Promise<void>;
  findUserByEmail(email: string): Promise<UserRow | undefined>;

  // dashboard sign-ins
  createUserSession(row: UserSessionRow): Promise<void>;
  /** The sign-in and its user, while it has not expired. */
  findUserSession(tokenHash: Buffer, now: number): Promise<{ session: UserSessionRow; user: UserRow } | undefined>;
  /** Moves the idle deadline on: `lastSeenAt` = now. */
  touchUserSession(id: string, now: number): Promise<void>;
  deleteUserSession(id: string): Promise<void>;
  /** Signs the user out everywhere; answers how many sign-ins ended. */
  deleteUserSessions(userId: string): Promise<number>;
  removeExpiredUserSessions(now: number, limit: number): Promise<number>;

  // links
  createLink(row: LinkRow): Promise<LinkRow>;
  getLink(accountId: string, id: string): Promise<LinkRow | undefined>;
  findLink(id: string): Promise<(LinkRow & { accountName: string }) | undefined>;
  listLinks(accountId: string, filter: LinkFilter): Promise<Page<LinkRow>>;
  updateLink(accountId: string, id: string, change: LinkChange, now: number): Promise<LinkRow | undefined>;
  deactivateLink(accountId: string, id: string, now: number): Promise<LinkRow | undefined>;
  /** Counts a view of the link's flow page (the funnel's first step). */
  recordLinkOpen(id: string): Promise<void>;
  /** What the funnel and the chart of a link are made of. */
  linkActivity(accountId: string, id: string, since: number): Promise<LinkActivity | undefined>;

  // sessions
  startSession(input: StartSession): Promise<StartResult>;
  getSession(id: string): Promise<SessionRow | undefined>;
  getAccountSession(accountId: string, id: string): Promise<SessionRow | undefined>;
  listSessions(accountId: string, filter: SessionFilter): Promise<Page<SessionRow>>;
  listCaptures(sessionId: string): Promise<CaptureRow[]>;
  getCapture(sessionId: string, kind: CaptureKind): Promise<CaptureRow | undefined>;
  /** Records (or replaces) a capture; answers the blob the new one replaced, to delete. */
  saveCapture(capture: CaptureRow, now: number): Promise<SaveCaptureResult>;
  submitSession(sessionId: string, documentType: DocumentType | null, now: number): Promise<SubmitResult>;
  decideSession(accountId: string, id: string, decision: DecisionInput, now: number): Promise<DecideResult>;
  /** Erases captures and personal fields, keeps the audit record; answers the blobs to delete. */
  eraseSession(accountId: string, id: string, now: number): Promise<{ session: SessionRow; blobIds: string[] } | undefined>;

  // handoffs: one-time tokens that move an open session to another device
  /** Records a handoff for a session that is still open to the applicant. */
  createHandoff(row: HandoffRow, now: number): Promise<CreateHandoffResult>;
  /**
   * Uses a handoff: at most once, before it expires, while its session is open; answers the session
   * and writes `session.handed_off`. Of concurrent redemptions of one token exactly one succeeds.
   */
  redeemHandoff(tokenHash: Buffer, now: number): Promise<RedeemHandoffResult>;

  // time-driven changes, safe to run from several places at once
  expireSessions(now: number, limit: number): Promise<number>;
  announceExpiredLinks(now: number, limit: number): Promise<number>;
  /** Deletes handoffs that expired before `before`; answers how many. */
  removeExpiredHandoffs(before: number, limit: number): Promise<number>;

  listEvents(accountId: string, subjectId: string): Promise<EventRow[]>;

  // the event stream (GET /api/v1/events)
  /**
   * Events after `afterSeq`, in `seq` order, at most `limit`: one account's, or every account's
   * (the event hub's one read per batch). `seq` must grow in commit order: once a reader has seen
   * `seq` N, no event with a `seq` ≤ N may become visible later, or a stream resuming after N would
   * miss it. SQLite keeps this by having one writer at a time. PostgreSQL must keep it on purpose
   * (sequence values are taken before commit, so transactions can commit out of order): for
   * instance take `pg_advisory_xact_lock` before inserting events, or read only up to the oldest
   * transaction still running (`pg_snapshot_xmin`).
   */
  readEventsAfter(afterSeq: number, limit: number, accountId?: string): Promise<EventRecord[]>;
  /** The highest `seq` committed (0 when there is none): where a stream of new events starts. */
  latestEventSeq(): Promise<number>;
  /**
   * Calls `listener` after a commit of this process that wrote events (a hint to read them now;
   * events of other processes are found by polling). It runs inside the commit path: it must not
   * throw, and should only schedule work. Answers the function that unsubscribes.
   */
  onEventsCommitted(listener: () => void): () => void;

  // webhooks: endpoints, and the outbox the store fills in the same transaction as each event
  createWebhookEndpoint(row: WebhookEndpointRow): Promise<WebhookEndpointRow>;
  listWebhookEndpoints(accountId: string): Promise<WebhookEndpointRow[]>;
  getWebhookEndpoint(accountId: string, id: string): Promise<WebhookEndpointRow | undefined>;
  /** Enabling an endpoint clears why it was disabled and its run of failures. */
  updateWebhookEndpoint(accountId: string, id: string, change: WebhookEndpointChange): Promise<WebhookEndpointRow | undefined>;
  /** The current secret becomes the previous one (signing too until `previousSecretExpiresAt`). */
  rotateWebhookSecret(accountId: string, id: string, rotation: WebhookRotation): Promise<WebhookEndpointRow | undefined>;
  /** Deletes the endpoint with its deliveries and their attempts. */
  deleteWebhookEndpoint(accountId: string, id: string): Promise<boolean>;
  /** A delivery of a body that is not an event of the table (the test event). */
  enqueueWebhookTest(accountId: string, endpointId: string, test: WebhookTest, now: number): Promise<WebhookDeliveryRow | undefined>;
  /** A new delivery of the same event to the same endpoint, due now. */
  resendWebhookDelivery(accountId: string, endpointId: string, deliveryId: string, newId: string, now: number): Promise<WebhookDeliveryRow | undefined>;
  listWebhookDeliveries(accountId: string, endpointId: string, filter: WebhookDeliveryFilter): Promise<Page<WebhookDeliveryRow> | undefined>;
  getWebhookDelivery(accountId: string, endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined>;
  /**
   * Leases due deliveries of enabled endpoints, at most `perEndpoint` per endpoint counting
   * `inFlight`, at most `limit`, oldest first, grouped by endpoint. A delivery leased (here or by another
   * process) is not claimed again before its lease ends: a crash only delays it.
   */
  claimWebhookDeliveries(claim: WebhookClaim): Promise<ClaimedDelivery[]>;
  /** Logs an attempt and moves the delivery (done, retry later, failed) and its endpoint's failure run on. */
  recordWebhookAttempt(result: WebhookAttemptResult): Promise<void>;
  /** Ends the leases of deliveries whose sending was abandoned (shutdown), so another process may send them. */
  releaseWebhookDeliveries(ids: string[]): Promise<void>;

  // rate limits, counted here so that every process on the database counts together. Keys are
  // HMACs (hex) of what is counted (`server/rate-limit-key.ts`): email and client addresses are
  // personal data, never stored in clear.
  /** Records a hit at `at` under each key (a failed sign-in counts for its address and its client). */
  recordHits(keyHashes: string[], at: number): Promise<void>;
  /** The times of the key's hits after `since`, newest first, at most `limit`. */
  recentHits(keyHash: string, since: number, limit: number): Promise<number[]>;
  clearHits(keyHash: string): Promise<void>;
  /** Deletes hits at or before `before`; answers how many. */
  removeHitsBefore(before: number, limit: number): Promise<number>;
  /**
   * Takes a token from the key's bucket, atomically across processes; a bucket starts full.
   * Answers 0 when one was taken, else the milliseconds until one is free (more than 0).
   */
  takeToken(keyHash: string, bucket: TokenBucket, now: number): Promise<number>;
  /** Deletes buckets full again by `before` (the same as no bucket); answers how many. */
  removeFullBuckets(before: number, limit: number): Promise<number>;

  /** For the orphan sweep after a crash between writing a blob and recording it. */
  isBlobReferenced(blobId: string): Promise<boolean>;
}

/**
 * A token bucket: `capacity` tokens at once, one back every `intervalMs`. Stored as the time it is
 * full again (`fullAt`): it holds `capacity − max(0, fullAt − now) / intervalMs` tokens, so a
 * take is allowed while `fullAt − now ≤ (capacity − 1) × intervalMs` and moves `fullAt` to
 * `max(fullAt, now) + intervalMs`; one row per key, unlike a log of hits, keeps the exact state.
 */
export interface TokenBucket {
  capacity: number;
  intervalMs: number;
}

export interface AccountRow {
  id: string;
  name: string;
  creditsAvailable: number;
  creditsHeld: number;
  /** Origins whose pages may frame this account's flow (`*`: any); the flow's own origin always may. */
  embedOrigins: string[];
  createdAt: number;
}

export interface ApiKeyRow {
  id: string;
  accountId: string;
  mode: Mode;
  keyHash: string;
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface LinkActivity {
  opens: number;
  sessions: { status: SessionStatus; documentType: DocumentType | null; captured: CaptureKind[] }[];
  /** Sessions started per UTC day (`YYYY-MM-DD`) since the time asked for; days without any are absent. */
  perDay: { day: string; sessions: number }[];
}

export interface UserSessionRow {
  id: string;
  /** SHA-256 of the cookie's token; the token itself is never stored. */
  tokenHash: Buffer;
  userId: string;
  accountId: string;
  /** Sent back in `X-CSRF-Token` with every write the cookie authenticates. */
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  /** The absolute end; the idle end is `lastSeenAt` + the idle timeout, checked by the caller. */
  expiresAt: number;
}

export interface UserRow {
  id: string;
  accountId: string;
  email: string;
  passwordHash: string;
  createdAt: number;
}

export interface LinkRow {
  id: string;
  accountId: string;
  mode: Mode;
  name: string;
  flow: Flow;
  usageLimit: number | null;
  uses: number;
  expiresAt: number | null;
  language: Language;
  redirectUrl: string | null;
  metadata: Record<string, string>;
  createdAt: number;
  deactivatedAt: number | null;
}

export type LinkChange = Partial<Pick<LinkRow, 'name' | 'redirectUrl' | 'metadata'>>;

export interface LinkFilter {
  now: number;
  limit: number;
  after?: Cursor;
  status?: LinkStatus;
  flow?: Flow;
}

export interface SessionRow {
  id: string;
  accountId: string;
  linkId: string;
  mode: Mode;
  flow: Flow;
  language: Language;
  status: SessionStatus;
  documentType: DocumentType | null;
  credit: CreditState;
  decisionNote: string | null;
  decidedAt: number | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  submittedAt: number | null;
  erasedAt: number | null;
}

export interface SessionFilter {
  limit: number;
  after?: Cursor;
  linkId?: string;
  status?: SessionStatus;
}

export interface CaptureRow {
  sessionId: string;
  kind: CaptureKind;
  blobId: string;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  bytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  metrics: CaptureMetrics;
  uploadedAt: number;
}

export interface EventRow {
  id: string;
  accountId: string;
  type: EventType;
  subjectId: string;
  data: unknown;
  createdAt: number;
}

/** An event as the stream reads it: with its position, and `data` as the stored JSON text. */
export interface EventRecord {
  seq: number;
  id: string;
  accountId: string;
  type: EventType;
  subjectId: string;
  /** JSON text, sent as it is: the stream never parses it. */
  data: string;
  createdAt: number;
}

/** Keyset pagination: the (createdAt, id) of the last row of the previous page. */
export interface Cursor {
  createdAt: number;
  id: string;
}

export interface Page<T> {
  rows: T[];
  hasMore: boolean;
}

export interface StartSession {
  linkId: string;
  sessionId: string;
  ttlMs: number;
  now: number;
}

export type StartResult =
  | { ok: true; session: SessionRow; link: LinkRow & { accountName: string } }
  | { ok: false; refusal: LinkRefusal };

export type SaveCaptureResult =
  | { ok: true; replacedBlobId: string | null; session: SessionRow }
  | { ok: false; reason: SessionUnavailable | 'capture_not_in_flow' };

export type SubmitResult =
  | { ok: true; session: SessionRow }
  | { ok: false; reason: SessionUnavailable }
  | { ok: false; reason: 'captures_missing'; missing: CaptureKind[] };

export type SessionUnavailable = 'session_not_found' | 'session_expired' | 'session_closed';

export interface HandoffRow {
  id: string;
  sessionId: string;
  /** SHA-256 of the token (32 bytes); the token itself is never stored. */
  tokenHash: Buffer;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export type CreateHandoffResult = { ok: true } | { ok: false; reason: SessionUnavailable };

export type RedeemHandoffResult =
  | { ok: true; session: SessionRow }
  | { ok: false; reason: HandoffRefusal | SessionUnavailable };

export interface DecisionInput {
  status: 'approved' | 'denied';
  note: string | null;
}

export type DecideResult =
  | { ok: true; session: SessionRow }
  | { ok: false; reason: 'not_found' | 'not_decidable'; status?: SessionStatus };

/** Turns rows into what the API shows; the store uses it for events' `data`. */
export interface Presenter {
  link(row: LinkRow, now: number): unknown;
  session(row: SessionRow, captures: CaptureRow[]): unknown;
  /** A link's URL (its token is an HMAC of the id: made when shown, never stored). */
  linkUrl(id: string): string;
}

export interface WebhookEndpointRow {
  id: string;
  accountId: string;
  url: string;
  description: string | null;
  /** Event types, or `['*']` for all. */
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  /** The signing secret sealed with the webhook-secret key (`server/webhooks/secret-box.ts`). */
  secretSealed: string;
  secretPrefix: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: number | null;
  consecutiveFailures: number;
  createdAt: number;
}

export type WebhookEndpointChange = Partial<Pick<WebhookEndpointRow, 'url' | 'description' | 'eventTypes' | 'enabled'>>;

export interface WebhookRotation {
  secretSealed: string;
  secretPrefix: string;
  previousSecretExpiresAt: number;
}

export interface WebhookTest {
  id: string;
  eventId: string;
  eventType: string;
  payload: string;
}

export interface WebhookAttemptRow {
  attempt: number;
  at: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
}

export interface WebhookDeliveryRow {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: number | null;
  createdAt: number;
  attempts: WebhookAttemptRow[];
}

export interface WebhookDeliveryFilter {
  limit: number;
  after?: Cursor;
  status?: WebhookDeliveryRow['status'];
}

export interface WebhookClaim {
  now: number;
  /** Deliveries claimable per endpoint, counting `inFlight`. */
  perEndpoint: number;
  /** Deliveries this process holds now, per endpoint id. */
  inFlight: Record<string, number>;
  limit: number;
  /**
   * The claimed rows of an endpoint are sent in batches of `batch`, one after another: the nth of
   * a batch (from 0) is leased for `leaseMs + n × leaseStepMs`, long enough to wait its turn.
   */
  batch: number;
  leaseMs: number;
  leaseStepMs: number;
}

/** A leased delivery with what sending it takes. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  accountId: string;
  url: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: number | null;
  /** The number of the attempt about to be made (1 for the first). */
  attempt: number;
  createdAt: number;
  eventId: string;
  eventType: string;
  /** The JSON body to send: `{id, type, createdAt, data}`. */
  body: string;
}

export interface WebhookAttemptResult {
  deliveryId: string;
  endpointId: string;
  attempt: WebhookAttemptRow;
  isSuccess: boolean;
  /** When to try again; null after a failure: give up (the delivery fails). */
  nextAttemptAt: number | null;
  /**
   * A failure given up on disables the endpoint when it has failed without a success since at
   * least this long ago (the whole retry window, by default).
   */
  disableIfFailingSince: number;
  disableReason: string;
}
