import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './support/api.js';
import { spawnServer } from './support/server-process.js';
import { isPostgresRun } from './support/test-store.js';

test('a first start creates the data directory and a secret, and says how to create an account', async () => {
  const server = await spawnServer({ bootstrap: false, dataDir: join(await import('node:os').then((os) => os.tmpdir()), `vn-fresh-${process.pid}`, 'data') });
  try {
    await new Promise((r) => setTimeout(r, 100));
    const printed = server.logs.join('\n');
    assert.match(printed, new RegExp(`verify-now is running at ${server.url.replace(/[.]/g, '\\.')}`));
    assert.match(printed, /No merchant account exists yet/);
    assert.match(printed, /npm run admin -- create-account --name "My shop" --credits 100/);
    assert.match(printed, /npm run admin -- create-api-key --account/);
    const secret = statSync(join(server.dataDir, 'secret.key'));
    assert.equal(secret.mode & 0o777, 0o600, 'the secret is readable by the server user only');
    assert.equal(statSync(server.dataDir).mode & 0o777, 0o700);
    if (!isPostgresRun) assert.equal(statSync(join(server.dataDir, 'verify-now.db')).mode & 0o777, 0o600, 'the database too');
    assert.equal((await call(server.url, '/api/v1/account')).status, 401);
    const home = await call(server.url, '/');
    assert.equal(home.status, 200);
    assert.match(home.text, /openapi\.json/);
  } finally {
    await server.stop();
  }
});

test('a bad setting stops the start with a message that names it', async () => {
  await assert.rejects(spawnServer({ env: { SESSION_TTL_SECONDS: 'soon' } }), /SESSION_TTL_SECONDS/);
  await assert.rejects(spawnServer({ apiKey: 'not-a-key' }), /BOOTSTRAP_API_KEY must look like vn_live_/);
});
