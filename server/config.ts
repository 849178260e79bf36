import { resolve } from 'node:path';
import { z } from 'zod';
import { parseBlobStoreUrl } from './captures/blob-store-url.js';

const flag = z.enum(['0', '1', 'true', 'false', '']).optional().transform((v) => v === '1' || v === 'true');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every environment variable the server reads, validated once at start. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: positiveInt(10),
  BLOB_STORE_URL: z.string().optional(),
  SECRET_KEY: z.string().min(32, 'SECRET_KEY must be at least 32 characters').optional(),
  BOOTSTRAP_API_KEY: z.string().optional(),
  BOOTSTRAP_CREDITS: z.coerce.number().int().min(0).optional(),
  BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(10, 'BOOTSTRAP_ADMIN_PASSWORD must be at least 10 characters').optional(),
  SESSION_TTL_SECONDS: positiveInt(86_400),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be smtp://user:pass@host:port or smtps://…' }).optional(),
  SMTP_FROM: z.email({ error: 'SMTP_FROM must be an email address like no-reply@verify.example.com' }).optional(),
  SMS_PROVIDER_URL: z.url({ protocol: /^https?$/, error: 'SMS_PROVIDER_URL must be an http(s) URL' }).optional(),
  SMS_PROVIDER_TOKEN: z.string().min(1).optional(),
  SMS_FROM: z
    .string()
    .regex(/^(\+[1-9]\d{7,14}|[A-Za-z0-9 ]{1,11})$/, 'SMS_FROM must be a number like +491701234567 or a name of at most 11 letters and digits')
    .optional(),
  SHARE_RATE_PER_MINUTE: positiveInt(60),
  ALLOW_PRIVATE_WEBHOOKS: flag,
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(10),
  WEBHOOK_RETRY_HOURS: z.coerce.number().min(0.0001).max(24 * 30).default(72),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
  WEBHOOK_POLL_SECONDS: z.coerce.number().min(0.02).max(60).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_UPLOAD_BYTES: positiveInt(12 * 1024 * 1024),
  SWEEP_INTERVAL_SECONDS: positiveInt(30),
  SHUTDOWN_GRACE_SECONDS: positiveInt(10),
  EVENTS_HEARTBEAT_SECONDS: z.coerce.number().min(0.05).max(3600).default(15),
  EVENTS_POLL_SECONDS: z.coerce.number().min(0.05).max(60).default(1),
  EVENTS_STREAMS_PER_ACCOUNT: positiveInt(200),
  EVENTS_STREAMS_MAX: positiveInt(10_000),
  DEMO_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).optional(),
  DEMO_PUBLIC_URL: z.url().optional(),
});

export type Config = ReturnType<typeof loadConfig>;

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize: number };

function databaseOf(url: string | undefined, dataDir: string, poolSize: number): DatabaseConfig {
  if (!url) return { kind: 'sqlite', file: resolve(dataDir, 'verify-now.db') };
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', file: resolve(url.slice('sqlite:'.length)) };
  return { kind: 'postgres', url, poolSize };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !/^(sqlite:|postgres(ql)?:\/\/)/.test(e.DATABASE_URL)) {
    throw new Error('DATABASE_URL: use postgres://user:password@host:5432/database for PostgreSQL, or sqlite:<file> (unset: SQLite in DATA_DIR).');
  }
  if (e.SMTP_URL && !e.SMTP_FROM) throw new Error('SMTP_FROM: set the sender address for shared emails (required with SMTP_URL).');
  if (e.SMS_PROVIDER_URL && !e.SMS_PROVIDER_TOKEN) throw new Error('SMS_PROVIDER_TOKEN: required with SMS_PROVIDER_URL.');
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    /** Where links point; when unset, the address the server listens on. */
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    dataDir,
    database: databaseOf(e.DATABASE_URL, dataDir, e.DATABASE_POOL_SIZE),
    /** Where captures are kept: DATA_DIR/captures, or an S3-compatible bucket (server/captures/blob-store-url.ts). */
    blobStore: parseBlobStoreUrl(e.BLOB_STORE_URL, dataDir),
    secretKey: e.SECRET_KEY,
    bootstrap: {
      apiKey: e.BOOTSTRAP_API_KEY,
      credits: e.BOOTSTRAP_CREDITS ?? 0,
      adminEmail: e.BOOTSTRAP_ADMIN_EMAIL,
      adminPassword: e.BOOTSTRAP_ADMIN_PASSWORD,
    },
    sessionTtlMs: e.SESSION_TTL_SECONDS * 1000,
    smtpUrl: e.SMTP_URL,
    /**
     * Sharing links by email and SMS. Without a transport, messages go to `DATA_DIR/outbox` only
     * (development): nothing is sent.
     */
    share: {
      smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM! } : undefined,
      /** `From` of the outbox's emails when no SMTP server is configured. */
      outboxFrom: e.SMTP_FROM ?? 'no-reply@verify-now.invalid',
      sms: e.SMS_PROVIDER_URL ? { url: e.SMS_PROVIDER_URL, token: e.SMS_PROVIDER_TOKEN!, from: e.SMS_FROM } : undefined,
      smsFrom: e.SMS_FROM,
      outboxDir: resolve(dataDir, 'outbox'),
      ratePerMinute: e.SHARE_RATE_PER_MINUTE,
    },
    allowPrivateWebhooks: e.ALLOW_PRIVATE_WEBHOOKS,
    /** Proxies in front that append to X-Forwarded-For: how the client's address is found (server/http/client-address.ts). */
    trustProxyHops: e.TRUST_PROXY_HOPS,
    /** The webhook dispatcher (server/webhooks/dispatcher.ts). */
    webhooks: {
      timeoutMs: Math.round(e.WEBHOOK_TIMEOUT_SECONDS * 1000),
      retryWindowMs: Math.round(e.WEBHOOK_RETRY_HOURS * 3_600_000),
      retryBaseMs: Math.round(e.WEBHOOK_RETRY_BASE_SECONDS * 1000),
      maxRetryDelayMs: Math.min(8 * 3_600_000, Math.round(e.WEBHOOK_RETRY_HOURS * 3_600_000)),
      pollMs: Math.round(e.WEBHOOK_POLL_SECONDS * 1000),
      perEndpoint: 2,
      maxInFlight: 64,
      allowPrivate: e.ALLOW_PRIVATE_WEBHOOKS,
    },
    logLevel: e.LOG_LEVEL,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    sweepIntervalMs: e.SWEEP_INTERVAL_SECONDS * 1000,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    /** `GET /api/v1/events`: heartbeats, the poll for other processes' events, stream limits. */
    events: {
      heartbeatMs: Math.round(e.EVENTS_HEARTBEAT_SECONDS * 1000),
      pollMs: Math.round(e.EVENTS_POLL_SECONDS * 1000),
      maxStreamsPerAccount: e.EVENTS_STREAMS_PER_ACCOUNT,
      maxStreams: e.EVENTS_STREAMS_MAX,
      // A client is dropped as too slow past this much waiting in its stream's socket buffer, or
      // after taking nothing for stallMs while data waits; it reconnects and misses nothing.
      maxBufferedBytes: 256 * 1024,
      stallMs: 30_000,
    },
    /**
     * The designers' demo: a pretend merchant site on its own port (so on another origin than the
     * flow, as a merchant's would be). By default the port after PORT (any free one when PORT is
     * 0); `off` serves none.
     */
    demo: e.DEMO_PORT === 'off' ? undefined : {
      port: e.DEMO_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 1),
      publicUrl: e.DEMO_PUBLIC_URL?.replace(/\/+$/, ''),
    },
  };
}
