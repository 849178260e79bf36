import { DEFAULT_LOGIN_LIMITS } from './auth/login-limiter.js';
import type { BlobStore } from './captures/blob-store.js';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';

const BATCH = 500;
/**
 * Expired handoffs are kept a day, so that a late scan still hears "expired" rather than "not
 * found"; then they go, so that issuing many cannot grow the table without bound.
 */
const HANDOFF_KEEP_MS = 24 * 60 * 60 * 1000;
/**
 * Rate-limit hits are deleted once older than the longest window that counts them (failed
 * sign-ins, 15 minutes), so the table holds one window's traffic at most; token buckets once full
 * again (the same as no bucket).
 */
export const HITS_KEEP_MS = DEFAULT_LOGIN_LIMITS.windowMs;
/**
 * A blob is written before the capture row that refers to it. With a store that several
 * processes share, another process may be between the two: only a blob this old is an orphan.
 * An upload takes at most the request timeout (2 minutes); the rest absorbs clock differences
 * between the processes and the storage service.
 */
export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;

/**
 * Time-driven changes: sessions past their time to live expire (and release their credit), links
 * past their expiry are announced, long-expired handoffs and dashboard sign-ins are deleted, and
 * so are rate-limit counts past their window. State lives in the database, so a restart simply
 * carries on.
 */
export async function sweep(store: Store, clock: Clock, log: Logger): Promise<void> {
  let expired = 0;
  for (let n = BATCH; n === BATCH; expired += n) n = await store.expireSessions(clock.now(), BATCH);
  let links = 0;
  for (let n = BATCH; n === BATCH; links += n) n = await store.announceExpiredLinks(clock.now(), BATCH);
  let handoffs = 0;
  const before = clock.now() - HANDOFF_KEEP_MS;
  for (let n = BATCH; n === BATCH; handoffs += n) n = await store.removeExpiredHandoffs(before, BATCH);
  let signIns = 0;
  for (let n = BATCH; n === BATCH; signIns += n) n = await store.removeExpiredUserSessions(clock.now(), BATCH);
  let limits = 0;
  const hitsBefore = clock.now() - HITS_KEEP_MS;
  for (let n = BATCH; n === BATCH; limits += n) n = await store.removeHitsBefore(hitsBefore, BATCH);
  for (let n = BATCH; n === BATCH; limits += n) n = await store.removeFullBuckets(clock.now(), BATCH);
  if (expired > 0 || links > 0 || handoffs > 0 || signIns > 0) {
    log.info({ expiredSessions: expired, expiredLinks: links, removedHandoffs: handoffs, removedSignIns: signIns }, 'sweep');
  }
  if (limits > 0) log.debug({ removedRateLimits: limits }, 'sweep');
}

/**
 * How often each process looks for orphan blobs. Not only at start-up: a blob orphaned by a crash
 * is younger than ORPHAN_MIN_AGE_MS when the restarted process first looks, and would otherwise
 * stay until some later restart.
 */
export const ORPHAN_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** After a crash between writing a capture blob and recording it, the blob belongs to no one. */
export async function removeOrphanBlobs(
  store: Pick<Store, 'isBlobReferenced'>,
  blobs: BlobStore,
  clock: Clock,
  log: Logger,
  signal?: AbortSignal,
): Promise<void> {
  let removed = 0;
  for await (const blobId of blobs.listBlobIdsWrittenBefore(clock.now() - ORPHAN_MIN_AGE_MS)) {
    if (signal?.aborted) break; // stopping: the next process start or run carries on
    if (!(await store.isBlobReferenced(blobId))) {
      await blobs.delete(blobId);
      removed++;
    }
  }
  if (removed > 0) log.warn({ removed }, 'removed capture blobs no session refers to');
}

export function startSweeper(store: Store, clock: Clock, log: Logger, intervalMs: number): () => Promise<void> {
  return repeat(intervalMs, () => sweep(store, clock, log).catch((err) => log.error({ err }, 'sweep failed')));
}

/** In the background: listing a large bucket must not hold up a start. */
export function startOrphanSweeper(store: Store, blobs: BlobStore, clock: Clock, log: Logger, intervalMs = ORPHAN_SWEEP_INTERVAL_MS): () => Promise<void> {
  const stopping = new AbortController();
  const stop = repeat(intervalMs, () =>
    removeOrphanBlobs(store, blobs, clock, log, stopping.signal).catch((err) => log.error({ err }, 'orphan blob sweep failed')),
  );
  return () => {
    stopping.abort();
    return stop();
  };
}

/** Runs `work` now and every `intervalMs`, never two at once; the returned stop waits for a run under way. */
function repeat(intervalMs: number, work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= work().finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
