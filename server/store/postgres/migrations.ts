/**
 * Versioned schema for PostgreSQL, applied in order inside one transaction under an advisory lock
 * (`postgres-store.ts`), so that several processes starting at once migrate exactly once;
 * `schema_migrations` records what was applied. Never edit a migration that has shipped: add the
 * next one, here and in `../sqlite/migrations.ts`.
 *
 * Migration 1 is SQLite's migrations 1–7 as they stand, written for PostgreSQL, plus what
 * several processes need: `events.seq` given in commit order by a sequencer rather than at
 * insert (see `EventSequencer`), and `links.expiry_announced_at` so that sweepers running
 * everywhere at once announce an expiry once.
 * Times are milliseconds since the epoch (bigint); JSON is kept as text, as in SQLite, so that
 * rows map the same way and events' data goes out byte for byte as stored.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  /* 1: the schema of SQLite's version 7 */ `
  CREATE TABLE accounts (
    id text PRIMARY KEY,
    name text NOT NULL,
    credits_available integer NOT NULL DEFAULT 0 CHECK (credits_available >= 0),
    credits_held integer NOT NULL DEFAULT 0 CHECK (credits_held >= 0),
    embed_origins text NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(embed_origins::jsonb) = 'array'),
    created_at bigint NOT NULL
  );

  CREATE TABLE api_keys (
    id text PRIMARY KEY,
    account_id text NOT NULL REFERENCES accounts(id),
    mode text NOT NULL CHECK (mode IN ('live', 'test')),
    key_hash text NOT NULL UNIQUE,
    prefix text NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint
  );
  CREATE INDEX api_keys_by_account ON api_keys (account_id);

  CREATE TABLE users (
    id text PRIMARY KEY,
    account_id text NOT NULL REFERENCES accounts(id),
    -- stored lower-cased by the callers; the unique index makes "the same address" case-blind as SQLite's NOCASE did
    email text NOT NULL,
    password_hash text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE UNIQUE INDEX users_by_email ON users (lower(email));

  CREATE TABLE links (
    id text PRIMARY KEY,
    account_id text NOT NULL REFERENCES accounts(id),
    mode text NOT NULL CHECK (mode IN ('live', 'test')),
    name text NOT NULL,
    flow text NOT NULL CHECK (flow IN ('document', 'selfie', 'document+selfie')),
    usage_limit integer CHECK (usage_limit IS NULL OR usage_limit >= 1),
    uses integer NOT NULL DEFAULT 0,
    expires_at bigint,
    language text NOT NULL,
    redirect_url text,
    metadata text NOT NULL DEFAULT '{}',
    created_at bigint NOT NULL,
    deactivated_at bigint,
    opens integer NOT NULL DEFAULT 0,
    expiry_announced_at bigint,
    CHECK (usage_limit IS NULL OR uses <= usage_limit)
  );
  CREATE INDEX links_by_account ON links (account_id, created_at DESC, id DESC);
  CREATE INDEX links_to_announce ON links (expires_at) WHERE expires_at IS NOT NULL AND expiry_announced_at IS NULL;

  CREATE TABLE sessions (
    id text PRIMARY KEY,
    account_id text NOT NULL REFERENCES accounts(id),
    link_id text NOT NULL REFERENCES links(id),
    mode text NOT NULL CHECK (mode IN ('live', 'test')),
    flow text NOT NULL,
    language text NOT NULL,
    status text NOT NULL,
    document_type text,
    credit text NOT NULL CHECK (credit IN ('held', 'charged', 'released', 'none')),
    decision_note text,
    decided_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    submitted_at bigint,
    erased_at bigint
  );
  CREATE INDEX sessions_by_account ON sessions (account_id, created_at DESC, id DESC);
  CREATE INDEX sessions_by_link ON sessions (link_id, created_at DESC, id DESC);
  CREATE INDEX sessions_open_by_expiry ON sessions (expires_at) WHERE status IN ('created', 'in_progress');

  CREATE TABLE captures (
    session_id text NOT NULL REFERENCES sessions(id),
    kind text NOT NULL,
    blob_id text NOT NULL UNIQUE,
    content_type text NOT NULL,
    bytes integer NOT NULL,
    width integer,
    height integer,
    sha256 text NOT NULL,
    metrics text NOT NULL,
    uploaded_at bigint NOT NULL,
    PRIMARY KEY (session_id, kind)
  );

  -- Append-only but for scrubbing an erased session's data. \`n\` is the order of insertion;
  -- \`seq\`, the position streams resume from, is given by the sequencer in commit order (a
  -- sequence value taken at insert would not be: transactions commit out of order).
  CREATE TABLE events (
    n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq bigint UNIQUE,
    id text NOT NULL UNIQUE,
    account_id text NOT NULL,
    type text NOT NULL,
    subject_id text NOT NULL,
    data text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE INDEX events_by_account ON events (account_id, seq);
  CREATE INDEX events_by_subject ON events (subject_id, n);
  CREATE INDEX events_unsequenced ON events (n) WHERE seq IS NULL;

  CREATE TABLE handoffs (
    id text PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions(id),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at bigint
  );
  CREATE INDEX handoffs_by_session ON handoffs (session_id);
  CREATE INDEX handoffs_by_expiry ON handoffs (expires_at);

  CREATE TABLE user_sessions (
    id text PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id text NOT NULL REFERENCES users(id),
    account_id text NOT NULL REFERENCES accounts(id),
    csrf_token text NOT NULL,
    created_at bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX user_sessions_by_user ON user_sessions (user_id);
  CREATE INDEX user_sessions_by_expiry ON user_sessions (expires_at);

  CREATE TABLE webhook_endpoints (
    id text PRIMARY KEY,
    account_id text NOT NULL REFERENCES accounts(id),
    url text NOT NULL,
    description text,
    -- a JSON array of event types, or ["*"] for all
    event_types text NOT NULL CHECK (jsonb_typeof(event_types::jsonb) = 'array'),
    enabled boolean NOT NULL DEFAULT true,
    disabled_reason text,
    -- AES-256-GCM under a key derived from SECRET_KEY: signing needs the secret itself
    secret_sealed text NOT NULL,
    secret_prefix text NOT NULL,
    previous_secret_sealed text,
    previous_secret_expires_at bigint,
    consecutive_failures integer NOT NULL DEFAULT 0,
    failing_since bigint,
    created_at bigint NOT NULL
  );
  CREATE INDEX webhook_endpoints_by_account ON webhook_endpoints (account_id) WHERE enabled;

  CREATE TABLE webhook_deliveries (
    id text PRIMARY KEY,
    endpoint_id text NOT NULL REFERENCES webhook_endpoints(id),
    -- the event (its data is read when sending, so an erased session is sent erased); with a payload instead for a test event
    event_id text NOT NULL,
    event_type text NOT NULL,
    payload text,
    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint,
    -- a dispatcher's claim: another process leaves the row alone until then; a crash lets it lapse
    locked_until bigint,
    created_at bigint NOT NULL
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

  CREATE TABLE webhook_attempts (
    delivery_id text NOT NULL REFERENCES webhook_deliveries(id),
    attempt integer NOT NULL,
    at bigint NOT NULL,
    status_code integer,
    latency_ms integer NOT NULL,
    error text,
    response_body text,
    PRIMARY KEY (delivery_id, attempt)
  );
  `,
  /* 2: SQLite's 8: rate limits every process counts together: hits in sliding windows (failed sign-ins), token buckets (shares) */ `
  -- key_hash: an HMAC of what is counted (an email or client address is never stored in clear).
  -- The sweeper deletes hits older than the longest window, so the table holds one window's worth.
  CREATE TABLE rate_limit_hits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash text NOT NULL CHECK (length(key_hash) = 64),
    at bigint NOT NULL
  );
  CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (key_hash, at);
  CREATE INDEX rate_limit_hits_by_time ON rate_limit_hits (at);

  -- full_at: when the bucket is full again (fractional: a token may come back every 60/7 s); a
  -- full bucket is the same as none, so the sweeper deletes it.
  CREATE TABLE rate_limit_buckets (
    key_hash text PRIMARY KEY CHECK (length(key_hash) = 64),
    full_at double precision NOT NULL
  );
  CREATE INDEX rate_limit_buckets_by_time ON rate_limit_buckets (full_at);
  `,
];
