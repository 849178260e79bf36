/**
 * `BENCH_ONLY=webhooks`: the webhook outbox and its dispatcher.
 *  12. 1,000 changes (`PATCH /api/v1/links/:id`, each writing `link.updated`) made in a burst, 20
 *      at a time, with one endpoint on a local receiver (in this process): delivery throughput
 *      (events a second, from the first commit to the last arrival) and the latency from each
 *      change's commit (its call's response) to its arrival, p50 and p99. Against the burst's own
 *      commit rate (the changes a second the server acknowledged).
 *  13. The outbox's cost on a session start: session-start req/s (autocannon, 50 connections)
 *      with no endpoint, then with two endpoints taking every event (each start writes two
 *      delivery rows in its transaction, and the dispatcher sends both), as a ratio.
 */
import { call, createLink, tokenOf } from '../test/support/api.js';
import { startReceiver } from '../test/support/webhook-receiver.js';
import { spawnVerifyNow, type VerifyNowServer } from './children.js';
import { load } from './load.js';
import { fmt, report } from './report.js';

const EVENTS = 1000;
const BURST_CONCURRENCY = 20;
const START_CONNECTIONS = 50;

export async function webhooksBenchmarks({ logLevel, seconds, warmupSeconds }: { logLevel: string; seconds: number; warmupSeconds: number }): Promise<void> {
  const vn = await spawnVerifyNow({ logLevel, env: { ALLOW_PRIVATE_WEBHOOKS: '1', WEBHOOK_POLL_SECONDS: '1' } });
  const receivers = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
  try {
    await deliveryBurst(vn, receivers[0]!);
    await startCost(vn, receivers.slice(1), seconds, warmupSeconds);
  } finally {
    await vn.stop();
    await Promise.all(receivers.map((r) => r.close()));
  }
}

async function deliveryBurst(vn: VerifyNowServer, receiver: Awaited<ReturnType<typeof startReceiver>>): Promise<void> {
  console.log(`12. webhooks: ${fmt(EVENTS)} changes in a burst (${BURST_CONCURRENCY} at a time) → one endpoint on a local receiver`);
  const endpoint = await call(vn.url, '/api/v1/webhook-endpoints', { key: vn.apiKey, json: { url: receiver.url, eventTypes: ['link.updated'] } });
  if (endpoint.status !== 201) throw new Error(`endpoint not created: ${endpoint.status} ${endpoint.text}`);
  const link = await createLink(vn.url, vn.apiKey, { name: 'Bench webhooks', usageLimit: null });
  const committedAt = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: BURST_CONCURRENCY }, async () => {
    while (next < EVENTS) {
      const name = `wh ${next++}`;
      const answer = await call(vn.url, `/api/v1/links/${link.id}`, { method: 'PATCH', key: vn.apiKey, json: { name } });
      if (answer.status !== 200) throw new Error(`PATCH answered ${answer.status}`);
      committedAt.set(name, performance.now());
    }
  }));
  const committed = performance.now() - started;
  const arrivals = await receiver.waitFor(EVENTS, () => true, 120_000);
  const arrivedAt = new Map<string, number>();
  for (const r of arrivals) {
    const name = (JSON.parse(r.body) as { data: { name: string } }).data.name;
    if (!arrivedAt.has(name)) arrivedAt.set(name, r.at);
  }
  const latencies = [...committedAt].map(([name, at]) => Math.max(0, (arrivedAt.get(name) ?? NaN) - at));
  const lastArrival = Math.max(...arrivedAt.values());
  const rate = EVENTS / ((lastArrival - started) / 1000);
  const commitRate = EVENTS / (committed / 1000);
  const commitsEnded = started + committed;
  const afterBurst = [...arrivedAt.values()].filter((at) => at > commitsEnded).length;
  const drainRate = afterBurst / ((lastArrival - commitsEnded) / 1000);
  report(
    { name: 'webhook delivery throughput', value: `${fmt(rate)} ev/s`, p99: '', ratio: `${(rate / commitRate).toFixed(2)}×`, cpu: '', target: '', met: null },
    `${fmt(arrivedAt.size)} of ${fmt(EVENTS)} events arrived, ${fmt(arrivals.length - arrivedAt.size)} twice; ratio to the burst's commit rate ` +
      `(${fmt(commitRate)} changes/s acknowledged); ${fmt(afterBurst)} were still to send when the burst ended, sent at ${fmt(drainRate)} ev/s`,
  );
  report(
    { name: 'webhook commit → delivery', value: `${fmt(percentile(latencies, 0.5), 1)} ms p50`, p99: `${fmt(percentile(latencies, 0.99), 1)} ms`, ratio: '', cpu: '', target: '', met: null },
    'from the change\'s response (its commit) to the receiver having the whole request',
  );
}

async function startCost(vn: VerifyNowServer, receivers: Awaited<ReturnType<typeof startReceiver>>[], seconds: number, warmupSeconds: number): Promise<void> {
  console.log(`13. webhooks: the outbox's cost on a session start, ${START_CONNECTIONS} connections, without and with two endpoints`);
  const link = await createLink(vn.url, vn.apiKey, { usageLimit: null });
  const token = tokenOf(link.url);
  const run = () =>
    load(
      {
        url: `${vn.url}/api/v1/flow/sessions`,
        connections: START_CONNECTIONS,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      },
      201,
      { warmupS: warmupSeconds, serverPid: vn.pid },
    );
  // The burst's endpoint would take no session event, but leave nothing behind it: remove every endpoint.
  const existing = (await call(vn.url, '/api/v1/webhook-endpoints', { key: vn.apiKey })).json.data as { id: string }[];
  for (const e of existing) await call(vn.url, `/api/v1/webhook-endpoints/${e.id}`, { method: 'DELETE', key: vn.apiKey });
  const without = await run();
  for (const r of receivers) await call(vn.url, '/api/v1/webhook-endpoints', { key: vn.apiKey, json: { url: r.url } });
  const received = receivers.map((r) => r.received.length);
  const withTwo = await run();
  const ratio = withTwo.rps / without.rps;
  report(
    { name: 'session start, no endpoint', value: `${fmt(without.rps)} req/s`, p99: `${fmt(without.p99)} ms`, ratio: '1.00×', cpu: '', target: '', met: null },
    `${fmt(without.expected)} starts`,
  );
  report(
    {
      name: 'session start, two endpoints', value: `${fmt(withTwo.rps)} req/s`, p99: `${fmt(withTwo.p99)} ms`, ratio: `${ratio.toFixed(2)}×`, cpu: '',
      target: '', met: null,
    },
    `each start writes 2 delivery rows in its transaction and the same process sends them; the receivers got ${fmt(receivers.reduce((n, r, i) => n + r.received.length - received[i]!, 0))} webhooks meanwhile`,
  );
}

function percentile(samples: number[], p: number): number {
  const sorted = samples.filter((n) => Number.isFinite(n)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}
