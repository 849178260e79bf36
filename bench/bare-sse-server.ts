/**
 * The floor under the event-stream benchmark: a bare node:http server holding server-sent event
 * streams (`GET /events`) that, on `POST /change`, writes one small event to every open stream
 * and then answers 204. No database, no routing: what pushing to N sockets costs on this machine.
 * Prints `{"port":N}` once listening.
 */
import { createServer, type ServerResponse } from 'node:http';

const streams = new Set<ServerResponse>();
let seq = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    res.once('close', () => streams.delete(res));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { name } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string };
    seq++;
    const frame = Buffer.from(`id: ${seq}\nevent: link.updated\ndata: {"id":"evt_${seq}","type":"link.updated","data":{"name":"${name}"}}\n\n`);
    for (const stream of streams) stream.write(frame);
    res.writeHead(204);
    res.end();
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }) + '\n');
});
process.once('SIGTERM', () => {
  for (const stream of streams) stream.end();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
