/** Bounded autocannon runs (fixed duration), summarised by expected status. */
import autocannon, { type Options, type Result } from 'autocannon';
import { cpuTimeOf } from './machine.js';

export interface LoadResult {
  /** Mean of autocannon's per-second request samples. */
  rps: number;
  p50: number;
  p99: number;
  /** Responses with the expected status (and, when expectBody is set, body). */
  expected: number;
  /** Everything else: other statuses, body mismatches, socket errors and timeouts. */
  unexpected: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  durationS: number;
  /** CPU time (user + system) the server process used per answered request, in µs: robust to other load on the machine. */
  serverCpuUs: number | null;
  /** The same for this (load-generating) process. */
  clientCpuUs: number;
  raw: Result;
}

export async function load(
  options: Options & { duration: number },
  expectedStatus: number,
  { warmupS = 1, serverPid }: { warmupS?: number; serverPid?: number } = {},
): Promise<LoadResult> {
  if (warmupS > 0) await autocannon({ ...options, duration: warmupS });
  const serverCpu0 = serverPid ? cpuTimeOf(serverPid) : 0;
  const clientCpu0 = process.cpuUsage();
  const raw = await autocannon(options);
  const clientCpu = process.cpuUsage(clientCpu0);
  const serverCpuMs = serverPid ? cpuTimeOf(serverPid) - serverCpu0 : null;
  const statuses = Object.fromEntries(Object.entries(raw.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  const ofExpected = statuses[String(expectedStatus)] ?? 0;
  // With expectBody, every response whose body differs (whatever its status) is a mismatch.
  const expected = options.expectBody !== undefined ? Math.min(ofExpected, total - raw.mismatches) : ofExpected;
  return {
    rps: raw.requests.average,
    p50: raw.latency.p50,
    p99: raw.latency.p99,
    expected,
    unexpected: total - expected + raw.errors + raw.timeouts,
    statuses,
    errors: raw.errors,
    timeouts: raw.timeouts,
    mismatches: raw.mismatches,
    non2xx: raw.non2xx,
    durationS: raw.duration,
    serverCpuUs: serverCpuMs === null || total === 0 ? null : (serverCpuMs * 1000) / total,
    clientCpuUs: total === 0 ? 0 : (clientCpu.user + clientCpu.system) / total,
    raw,
  };
}

export const describeStatuses = (r: LoadResult) =>
  Object.entries(r.statuses).map(([code, n]) => `${code}×${n}`).join(' ') +
  (r.mismatches ? `, ${r.mismatches} body mismatches` : '') +
  (r.errors ? `, ${r.errors} errors` : '') +
  (r.timeouts ? `, ${r.timeouts} timeouts` : '');
