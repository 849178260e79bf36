import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The raw body, as the verifier must see it. */
  body: string;
  /** performance.now() when the body was complete. */
  at: number;
}

/** What the receiver does with the nth request (0-based): answer with a status, or never answer. */
export type Behaviour = (request: Received, n: number) => number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** TCP connections accepted, answered or not. */
  connections: number;
  behaviour: Behaviour;
  /** Resolves once `count` requests match, or fails after `timeoutMs`. */
  waitFor(count: number, match?: (r: Received) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A merchant's backend on 127.0.0.1: records every webhook it gets, answers as told. */
export async function startReceiver(behaviour: Behaviour = () => 200): Promise<Receiver> {
  const hanging = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  const receiver: Receiver = {
    url: '',
    received: [],
    connections: 0,
    behaviour,
    async waitFor(count, match = () => true, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const matched = receiver.received.filter(match);
        if (matched.length >= count) return matched;
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`the receiver got ${matched.length} of ${count} expected requests in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(left, 200));
          waiters.add(wake);
        });
      }
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() };
      const n = receiver.received.length;
      receiver.received.push(request);
      for (const wake of [...waiters]) wake();
      const answer = receiver.behaviour(request, n);
      if (answer === 'hang') {
        hanging.add(res);
        res.once('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(answer < 300 ? 'ok' : `no thanks (${answer})`);
    });
  });
  server.on('connection', () => receiver.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  return receiver;
}
