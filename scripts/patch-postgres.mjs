// Runs after every `npm install` / `npm ci` (package.json "postinstall"). It fixes two lines of
// the PostgreSQL driver, postgres 3.4.9, the newest release (porsager/postgres#1189, #823; the
// fix proposed upstream in #1207 and #1218, not released):
//
// 1. A transaction's BEGIN that is the query filling a connection's pipeline (100 in flight) was
//    sent without the connection being reserved for the transaction: PostgreSQL began it, the
//    driver's `begin` failed (or threw where nothing could catch it), and the connection went back
//    to the pool inside that transaction, where other requests' writes were never committed.
//    Now the reservation is made whenever BEGIN is sent.
// 2. A socket's "drain" put a connection back in the pool while it was reserved for a transaction
//    (between two of its queries). Now a reserved connection goes back when its transaction ends.
//
// The patch is applied to the exact text of 3.4.9 and fails the install when it no longer
// matches: a new release may have fixed it (then delete this script and its test's note) or
// moved the code (then look again). test/postgres-driver.test.ts checks the first fix holds.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const EXPECTED_VERSION = '3.4.9';
const MARK = '/* verify-now: patched, see scripts/patch-postgres.mjs */';

const FIXES = [
  {
    from: `      return write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
        && (!q.options.onexecute || q.options.onexecute(connection))`,
    to: `      const written = write(toBuffer(q)) ${MARK}
      if (q.options.onexecute)
        return q.options.onexecute(connection)
      return written
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline`,
  },
  {
    from: `    !query && onopen(connection)`,
    to: `    !query && !connection.reserved && onopen(connection) ${MARK}`,
  },
];

// The package's own directory: its exports map hides package.json, so from its CommonJS entry up.
const entry = createRequire(import.meta.url).resolve('postgres'); // …/postgres/cjs/src/index.js
const root = dirname(dirname(dirname(entry)));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (version !== EXPECTED_VERSION) {
  fail(`postgres is ${version}, the patch is for ${EXPECTED_VERSION}: check whether ${version} fixes porsager/postgres#1189, then update or remove scripts/patch-postgres.mjs.`);
}

// The same connection code ships as ES modules, CommonJS and a Cloudflare build.
for (const file of ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js']) {
  const path = join(root, file);
  let text = readFileSync(path, 'utf8');
  if (text.includes(MARK)) continue; // patched by an earlier install
  for (const { from, to } of FIXES) {
    if (text.split(from).length !== 2) fail(`postgres ${version}: ${file} does not hold the text to patch exactly once.`);
    text = text.replace(from, to);
  }
  writeFileSync(path, text);
}

function fail(message) {
  console.error(`verify-now: could not patch the PostgreSQL driver: ${message}`);
  process.exit(1);
}
