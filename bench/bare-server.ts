/**
 * The baseline: a bare node:http server answering `{"ok":true}`, run as a child process so that
 * it does not share an event loop with the load generator. Prints `{"port":N}` once listening.
 *
 * With `BARE_MODE=refuse` it is the floor under the forged-token benchmark instead: it reads a
 * small JSON body, computes one HMAC and answers a 410 JSON error with verify-now's API headers,
 * and nothing else: what any server must do for that request, with no routing or validation.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const body = JSON.stringify({ ok: true });
const refusal = JSON.stringify({ error: { code: 'link_not_found', message: 'This verification link does not exist.' } });
const key = Buffer.alloc(32, 7);

function answerOk(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function answerRefusal(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { token } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token: string };
    createHmac('sha256', key).update(token).digest();
    res.writeHead(410, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(refusal),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-site',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    });
    res.end(refusal);
  });
}

const server = createServer(process.env.BARE_MODE === 'refuse' ? answerRefusal : answerOk);
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }) + '\n');
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
