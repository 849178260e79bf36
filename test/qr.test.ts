import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { call, createLink } from './support/api.js';
import { spawnServer, type ServerProcess } from './support/server-process.js';

// jsqr is CommonJS whose module.exports is the function; its types describe an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

let server: ServerProcess;
before(async () => {
  server = await spawnServer();
});
after(() => server.stop());

test("a link's PNG QR code scans to the link's URL, at the size asked for", async () => {
  const link = await createLink(server.url, server.apiKey, { usageLimit: 1 });
  const response = await fetch(`${server.url}/api/v1/links/${link.id}/qr.png?size=300`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/png');
  const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
  assert.equal(png.width, 300);
  const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.equal(scanned?.data, link.url);
});

test("a link's SVG QR code is a vector image of the same code", async () => {
  const link = await createLink(server.url, server.apiKey, { usageLimit: 1 });
  const svg = await call(server.url, `/api/v1/links/${link.id}/qr.svg`, { key: server.apiKey });
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  assert.match(svg.text, /^<svg[^>]+viewBox="0 0 (\d+) \1"/);
  assert.match(svg.text, /<path[^>]+d="M/);
  const other = await call(server.url, `/api/v1/links/${(await createLink(server.url, server.apiKey, { usageLimit: 1 })).id}/qr.svg`, { key: server.apiKey });
  assert.notEqual(other.text, svg.text, 'each link has its own code');
});
