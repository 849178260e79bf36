import type {
  AccountRow, ApiKeyRow, CaptureRow, ClaimedDelivery, EventRecord, EventRow, LinkRow, SessionRow, UserRow, UserSessionRow,
  WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow,
} from './store.js';

/**
 * Column ↔ field mapping, the same for both stores: snake_case columns, JSON kept as text (so an
 * event's data is sent exactly as stored), times as integer milliseconds.
 */
type Raw = Record<string, any>;

export const toAccount = (r: Raw): AccountRow => ({
  id: r.id,
  name: r.name,
  creditsAvailable: r.credits_available,
  creditsHeld: r.credits_held,
  embedOrigins: JSON.parse(r.embed_origins) as string[],
  createdAt: r.created_at,
});

export const toApiKey = (r: Raw): ApiKeyRow => ({
  id: r.id,
  accountId: r.account_id,
  mode: r.mode,
  keyHash: r.key_hash,
  prefix: r.prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export const toUser = (r: Raw): UserRow => ({
  id: r.id,
  accountId: r.account_id,
  email: r.email,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
});

export const toUserSession = (r: Raw): UserSessionRow => ({
  id: r.id,
  tokenHash: r.token_hash,
  userId: r.user_id,
  accountId: r.account_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
});

export const toLink = (r: Raw): LinkRow => ({
  id: r.id,
  accountId: r.account_id,
  mode: r.mode,
  name: r.name,
  flow: r.flow,
  usageLimit: r.usage_limit,
  uses: r.uses,
  expiresAt: r.expires_at,
  language: r.language,
  redirectUrl: r.redirect_url,
  metadata: JSON.parse(r.metadata),
  createdAt: r.created_at,
  deactivatedAt: r.deactivated_at,
});

export const fromLink = (l: LinkRow) => ({
  id: l.id,
  account_id: l.accountId,
  mode: l.mode,
  name: l.name,
  flow: l.flow,
  usage_limit: l.usageLimit,
  uses: l.uses,
  expires_at: l.expiresAt,
  language: l.language,
  redirect_url: l.redirectUrl,
  metadata: JSON.stringify(l.metadata),
  created_at: l.createdAt,
  deactivated_at: l.deactivatedAt,
});

export const toSession = (r: Raw): SessionRow => ({
  id: r.id,
  accountId: r.account_id,
  linkId: r.link_id,
  mode: r.mode,
  flow: r.flow,
  language: r.language,
  status: r.status,
  documentType: r.document_type,
  credit: r.credit,
  decisionNote: r.decision_note,
  decidedAt: r.decided_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
  submittedAt: r.submitted_at,
  erasedAt: r.erased_at,
});

export const fromSession = (s: SessionRow) => ({
  id: s.id,
  account_id: s.accountId,
  link_id: s.linkId,
  mode: s.mode,
  flow: s.flow,
  language: s.language,
  status: s.status,
  document_type: s.documentType,
  credit: s.credit,
  decision_note: s.decisionNote,
  decided_at: s.decidedAt,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  expires_at: s.expiresAt,
  submitted_at: s.submittedAt,
  erased_at: s.erasedAt,
});

export const toCapture = (r: Raw): CaptureRow => ({
  sessionId: r.session_id,
  kind: r.kind,
  blobId: r.blob_id,
  contentType: r.content_type,
  bytes: r.bytes,
  width: r.width,
  height: r.height,
  sha256: r.sha256,
  metrics: JSON.parse(r.metrics),
  uploadedAt: r.uploaded_at,
});

export const fromCapture = (c: CaptureRow) => ({
  session_id: c.sessionId,
  kind: c.kind,
  blob_id: c.blobId,
  content_type: c.contentType,
  bytes: c.bytes,
  width: c.width,
  height: c.height,
  sha256: c.sha256,
  metrics: JSON.stringify(c.metrics),
  uploaded_at: c.uploadedAt,
});

export const toEventRecord = (r: Raw): EventRecord => ({
  seq: r.seq,
  id: r.id,
  accountId: r.account_id,
  type: r.type,
  subjectId: r.subject_id,
  data: r.data,
  createdAt: r.created_at,
});

export const toEvent = (r: Raw): EventRow => ({
  id: r.id,
  accountId: r.account_id,
  type: r.type,
  subjectId: r.subject_id,
  data: JSON.parse(r.data),
  createdAt: r.created_at,
});

export const toEndpoint = (r: Raw): WebhookEndpointRow => ({
  id: r.id,
  accountId: r.account_id,
  url: r.url,
  description: r.description,
  eventTypes: JSON.parse(r.event_types),
  // SQLite has no boolean: 1 there, true in PostgreSQL
  enabled: r.enabled === 1 || r.enabled === true,
  disabledReason: r.disabled_reason,
  secretSealed: r.secret_sealed,
  secretPrefix: r.secret_prefix,
  previousSecretSealed: r.previous_secret_sealed,
  previousSecretExpiresAt: r.previous_secret_expires_at,
  consecutiveFailures: r.consecutive_failures,
  createdAt: r.created_at,
});

export const toAttempt = (r: Raw): WebhookAttemptRow => ({
  attempt: r.attempt,
  at: r.at,
  statusCode: r.status_code,
  latencyMs: r.latency_ms,
  error: r.error,
  responseBody: r.response_body,
});

export const toDelivery = (r: Raw, attempts: WebhookAttemptRow[]): WebhookDeliveryRow => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  eventType: r.event_type,
  status: r.status,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  attempts,
});

/**
 * A leased delivery joined with its endpoint and its event (`event_data`, `event_subject_id`,
 * `event_created_at`; null for a test event, which has its whole body in `payload`).
 */
export const toClaimedDelivery = (r: Raw, eventJson: (type: string, subjectId: string, data: string) => string): ClaimedDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  accountId: r.account_id,
  url: r.url,
  secretSealed: r.secret_sealed,
  previousSecretSealed: r.previous_secret_sealed,
  previousSecretExpiresAt: r.previous_secret_expires_at,
  attempt: r.attempts + 1,
  createdAt: r.created_at,
  eventId: r.event_id,
  eventType: r.event_type,
  // The event's data as stored now, sent as it is (never parsed): an erased session goes out erased.
  body: r.payload ?? `{"id":${JSON.stringify(r.event_id)},"type":${JSON.stringify(r.event_type)},"createdAt":"${new Date(r.event_created_at).toISOString()}","data":${eventJson(r.event_type, r.event_subject_id, r.event_data)}}`,
});
