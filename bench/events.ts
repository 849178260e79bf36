/**
 * `BENCH_ONLY=events`: the live event stream (`GET /api/v1/events`).
 *  11. From a state change (`PATCH /api/v1/links/:id`, which writes a `link.updated` event) to the
 *      event's arrival on each of 100 open streams of the account, over 200 changes made one after
 *      another: p50 and p99 per stream, and of the slowest of the 100 per change. Against two
 *      baselines measured in the same run: the round trip of the same call with no stream open,
 *      and a bare node:http server pushing a small event to 100 streams on a POST (the floor).
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { call, createLink } from '../test/support/api.js';
import { spawnVerifyNow } from './children.js';
import { rssOf } from './machine.js';
import { fmt, report } from './report.js';

const STREAMS = 100;
const CHANGES = 200;
const WARMUP_CHANGES = 20;
const ARRIVAL_TIMEOUT_MS = 10_000;
/** The slowest of 100 streams may take this much longer than the call alone (p50). */
const TARGET_RATIO = 3;
const BARE_SSE = fileURLToPath(new URL('./bare-sse-server.js', import.meta.url));

interface Measured {
  /** Round trip of each change's call, ms. */
  calls: number[];
  /** Every arrival, on every stream: ms after the call was sent. */
  arrivals: number[];
  /** Per change, the slowest stream's arrival. */
  slowest: number[];
  /** Per change, the slowest stream's arrival after the call's response arrived (negative: before). */
  afterResponse: number[];
  /** The server's resident memory with the streams open, when measured. */
  rssWithStreams?: number;
}

export async function eventsBenchmarks({ logLevel }: { logLevel: string }): Promise<void> {
  console.log(`11. events: a change (PATCH a link) → its event on ${STREAMS} open SSE streams, ${CHANGES} changes one after another`);

  const bare = await spawnBareSse();
  let floor: Measured;
  try {
    const change = (name: string) => post(`${bare.url}/change`, { name });
    for (let i = 0; i < WARMUP_CHANGES; i++) await change(`warm ${i}`);
    floor = await measure(`${bare.url}/events`, {}, change);
  } finally {
    await bare.stop();
  }

  const vn = await spawnVerifyNow({ logLevel });
  let alone: number[];
  let streamed: Measured;
  let rssBefore: number;
  try {
    const link = await createLink(vn.url, vn.apiKey, { name: 'Bench events', usageLimit: null });
    const change = async (name: string) => {
      const answer = await call(vn.url, `/api/v1/links/${link.id}`, { method: 'PATCH', key: vn.apiKey, json: { name } });
      if (answer.status !== 200) throw new Error(`PATCH answered ${answer.status} ${answer.text}`);
    };
    for (let i = 0; i < WARMUP_CHANGES; i++) await change(`warm ${i}`);
    alone = [];
    for (let i = 0; i < CHANGES; i++) {
      const t0 = performance.now();
      await change(`alone ${i}`);
      alone.push(performance.now() - t0);
    }
    rssBefore = rssOf(vn.pid);
    streamed = await measure(`${vn.url}/api/v1/events`, { authorization: `Bearer ${vn.apiKey}` }, change, vn.pid);
  } finally {
    await vn.stop();
  }

  const base = percentile(alone, 0.5);
  const row = (name: string, samples: number[], target: string, met: boolean | null, detail: string) =>
    report(
      {
        name,
        value: `${fmt(percentile(samples, 0.5), 1)} ms p50`,
        p99: `${fmt(percentile(samples, 0.99), 1)} ms`,
        ratio: `${(percentile(samples, 0.5) / base).toFixed(2)}×`,
        cpu: '',
        target,
        met,
      },
      detail,
    );
  row('PATCH link alone (baseline)', alone, '', null, `${CHANGES} calls one after another, no stream open; each a durable write (WAL fsync) and its event`);
  row('PATCH link, 100 streams open', streamed.calls, '', null, 'the same call while the hub fans its events out');
  row('event → each of 100 streams', streamed.arrivals, '', null,
    `${fmt(streamed.arrivals.length)} arrivals, from sending the call; RSS ${fmt(rssBefore / 1e6, 1)} MB before the streams, ` +
      `${fmt((streamed.rssWithStreams ?? 0) / 1e6, 1)} MB with ${STREAMS} open`);
  const slowestRatio = percentile(streamed.slowest, 0.5) / base;
  row('event → all 100 streams (slowest)', streamed.slowest, `≤ ${TARGET_RATIO}× the call`, slowestRatio <= TARGET_RATIO,
    `per change, the last of the 100 streams to get it: ${fmt(percentile(streamed.afterResponse, 0.5), 1)} ms after the call's ` +
      `own response (p50; p99 ${fmt(percentile(streamed.afterResponse, 0.99), 1)} ms)`);
  row('  floor: bare push → each of 100', floor.arrivals, '', null,
    `a bare node:http server writing a small event to ${STREAMS} streams on a POST (no database); slowest p50 ` +
      `${fmt(percentile(floor.slowest, 0.5), 1)} ms, p99 ${fmt(percentile(floor.slowest, 0.99), 1)} ms`);
}

/**
 * Opens the streams, then makes the changes one at a time, each after the previous one reached
 * every stream; arrival times are taken when the bytes come in, before any parsing.
 */
async function measure(url: string, headers: Record<string, string>, change: (name: string) => Promise<void>, pid?: number): Promise<Measured> {
  const arrivedAt: number[][] = Array.from({ length: CHANGES }, () => []);
  let waiting: { index: number; resolve: () => void } | undefined;
  const onArrival = (index: number, at: number) => {
    const list = arrivedAt[index];
    if (!list) return;
    list.push(at);
    if (waiting?.index === index && list.length === STREAMS) waiting.resolve();
  };
  const streams = await Promise.all(Array.from({ length: STREAMS }, () => openStream(url, headers, onArrival)));
  const measured: Measured = { calls: [], arrivals: [], slowest: [], afterResponse: [] };
  try {
    if (pid !== undefined) measured.rssWithStreams = rssOf(pid);
    for (let i = 0; i < CHANGES; i++) {
      const all = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`change ${i} reached ${arrivedAt[i]!.length} of ${STREAMS} streams in ${ARRIVAL_TIMEOUT_MS} ms`)), ARRIVAL_TIMEOUT_MS);
        waiting = { index: i, resolve: () => (clearTimeout(timer), resolve()) };
        if (arrivedAt[i]!.length === STREAMS) waiting.resolve();
      });
      const t0 = performance.now();
      await change(`bench ${i}`);
      measured.calls.push(performance.now() - t0);
      await all;
      const latencies = arrivedAt[i]!.map((at) => at - t0);
      measured.arrivals.push(...latencies);
      measured.slowest.push(Math.max(...latencies));
      measured.afterResponse.push(Math.max(...latencies) - measured.calls.at(-1)!);
    }
  } finally {
    for (const stream of streams) stream.destroy();
  }
  return measured;
}

/** One SSE stream on its own connection; resolves once the server has sent its first bytes. */
function openStream(url: string, headers: Record<string, string>, onArrival: (index: number, at: number) => void) {
  return new Promise<ReturnType<typeof request>>((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = performance.now();
        resolve(req); // the preamble, first: the stream is open
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const match = /"name":"bench (\d+)"/.exec(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (match) onArrival(Number(match[1]), at);
        }
      });
      res.once('error', () => {});
    });
    req.end();
  });
}

function post(url: string, json: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(json);
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.once('end', () => resolve());
    });
    req.once('error', reject);
    req.end(body);
  });
}

async function spawnBareSse(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BARE_SSE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare SSE server did not start')), 10_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line).port);
    });
    child.once('exit', (code) => reject(new Error(`the bare SSE server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}
