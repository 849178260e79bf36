/**
 * Versioned schema for SQLite, applied in order; `PRAGMA user_version` records the last one.
 * Never edit a migration that has shipped: add the next one.
 * Times are integer milliseconds since the epoch.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  /* 1: accounts, keys, users, links, sessions, captures, events */ `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    credits_available INTEGER NOT NULL DEFAULT 0 CHECK (credits_available >= 0),
    credits_held INTEGER NOT NULL DEFAULT 0 CHECK (credits_held >= 0),
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE links (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
    name TEXT NOT NULL,
    flow TEXT NOT NULL CHECK (flow IN ('document', 'selfie', 'document+selfie')),
    usage_limit INTEGER CHECK (usage_limit IS NULL OR usage_limit >= 1),
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER,
    language TEXT NOT NULL,
    redirect_url TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    deactivated_at INTEGER,
    CHECK (usage_limit IS NULL OR uses <= usage_limit)
  ) STRICT;
  CREATE INDEX links_by_account ON links (account_id, created_at DESC, id DESC);
  CREATE INDEX links_by_expiry ON links (expires_at) WHERE expires_at IS NOT NULL;

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    link_id TEXT NOT NULL REFERENCES links(id),
    mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
    flow TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    document_type TEXT,
    credit TEXT NOT NULL CHECK (credit IN ('held', 'charged', 'released', 'none')),
    decision_note TEXT,
    decided_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    submitted_at INTEGER,
    erased_at INTEGER
  ) STRICT;
  CREATE INDEX sessions_by_account ON sessions (account_id, created_at DESC, id DESC);
  CREATE INDEX sessions_by_link ON sessions (link_id, created_at DESC, id DESC);
  CREATE INDEX sessions_open_by_expiry ON sessions (expires_at) WHERE status IN ('created', 'in_progress');

  CREATE TABLE captures (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL,
    blob_id TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    sha256 TEXT NOT NULL,
    metrics TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, kind)
  ) STRICT;

  -- Append-only: the live dashboard and the webhook outbox read from here. Rows are only ever
  -- rewritten to scrub an erased session's data, never deleted, so the rowid \`seq\` only grows
  -- (AUTOINCREMENT would cost a write per event for the same guarantee). Event ids are 128 random
  -- bits; no unique index is needed to keep them apart.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX events_by_account ON events (account_id, seq);
  CREATE INDEX events_by_subject ON events (subject_id, seq);
  `,

  /* 2: handoffs: one-time tokens that move an open session to another device */ `
  CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  ) STRICT;
  CREATE INDEX handoffs_by_session ON handoffs (session_id);
  CREATE INDEX handoffs_by_expiry ON handoffs (expires_at);
  `,
  /* 3: the origins allowed to frame an account's flow (the widget's modal), a JSON array */ `
  ALTER TABLE accounts ADD COLUMN embed_origins TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(embed_origins) AND json_type(embed_origins) = 'array');
  `,
  /* 4: dashboard sign-ins: one row per signed-in browser, found by the SHA-256 of its cookie */ `
  CREATE TABLE user_sessions (
    id TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id TEXT NOT NULL REFERENCES users(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX user_sessions_by_user ON user_sessions (user_id);
  CREATE INDEX user_sessions_by_expiry ON user_sessions (expires_at);
  `,
  /* 5: how often a link's page was opened: the first step of its funnel in the dashboard */ `
  ALTER TABLE links ADD COLUMN opens INTEGER NOT NULL DEFAULT 0;
  `,
  /* 6: webhooks: endpoints, the outbox (one delivery per endpoint and event, written with the event), attempts */ `
  CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    url TEXT NOT NULL,
    description TEXT,
    -- a JSON array of event types, or ["*"] for all
    event_types TEXT NOT NULL CHECK (json_valid(event_types) AND json_type(event_types) = 'array'),
    enabled INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    -- AES-256-GCM under a key derived from SECRET_KEY: signing needs the secret itself
    secret_sealed TEXT NOT NULL,
    secret_prefix TEXT NOT NULL,
    previous_secret_sealed TEXT,
    previous_secret_expires_at INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX webhook_endpoints_by_account ON webhook_endpoints (account_id) WHERE enabled = 1;

  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
    -- the event's row (its data is read when sending, so an erased session is sent erased); NULL for a test event
    event_seq INTEGER,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    -- the whole body of a test event, which has no row in events
    payload TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    -- a dispatcher's claim: another process leaves the row alone until then; a crash lets it lapse
    locked_until INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

  CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    attempt INTEGER NOT NULL,
    at INTEGER NOT NULL,
    status_code INTEGER,
    latency_ms INTEGER NOT NULL,
    error TEXT,
    response_body TEXT,
    PRIMARY KEY (delivery_id, attempt)
  ) STRICT;
  `,
  /* 7: link events without the link's URL: it holds a usable token; the store adds it back when an event is read */ `
  UPDATE events SET data = json_remove(data, '$.url') WHERE type LIKE 'link.%';
  `,
  /* 8: rate limits every process counts together: hits in sliding windows (failed sign-ins), token buckets (shares) */ `
  -- key_hash: an HMAC of what is counted (an email or client address is never stored in clear).
  -- The sweeper deletes hits older than the longest window, so the table holds one window's worth.
  CREATE TABLE rate_limit_hits (
    id INTEGER PRIMARY KEY,
    key_hash TEXT NOT NULL CHECK (length(key_hash) = 64),
    at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (key_hash, at);
  CREATE INDEX rate_limit_hits_by_time ON rate_limit_hits (at);

  -- full_at: when the bucket is full again (REAL: a token may come back every 60/7 s); a full
  -- bucket is the same as none, so the sweeper deletes it.
  CREATE TABLE rate_limit_buckets (
    key_hash TEXT PRIMARY KEY CHECK (length(key_hash) = 64),
    full_at REAL NOT NULL
  ) STRICT;
  CREATE INDEX rate_limit_buckets_by_time ON rate_limit_buckets (full_at);
  `,
];
