/**
 * The npm package of the <verify-now> element (`@verify-now/widget`, built into
 * dist/widget-package/ by `npm run build`): what it describes, what it ships, and that a
 * TypeScript consumer gets its types.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from './support/server-process.js';

const PACKAGE_DIR = join(REPO_ROOT, 'dist', 'widget-package');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

interface Named {
  name: string;
  description?: string;
}
interface ElementDeclaration {
  tagName?: string;
  customElement?: boolean;
  attributes?: Named[];
  events?: (Named & { type?: { text: string } })[];
  cssParts?: Named[];
  cssProperties?: Named[];
  slots?: Named[];
  members?: (Named & { kind: string; privacy?: string })[];
}

describe('the @verify-now/widget package', () => {
  test('its custom-elements manifest describes the element: tag, attributes, events, parts, custom properties, slot', () => {
    const packageJson = readJson(join(PACKAGE_DIR, 'package.json'));
    const manifest = readJson(join(PACKAGE_DIR, packageJson.customElements));
    const module = manifest.modules.find((m: { path: string }) => m.path === 'verify-now.js');
    assert.ok(module, 'the manifest names the package\'s file, not the repository\'s source');
    const element = (module.declarations as ElementDeclaration[]).find((d) => d.customElement);
    assert.ok(element);
    assert.equal(element.tagName, 'verify-now');
    assert.deepEqual(
      module.exports.find((e: { kind: string }) => e.kind === 'custom-element-definition'),
      { kind: 'custom-element-definition', name: 'verify-now', declaration: { name: 'VerifyNow', module: 'verify-now.js' } },
    );
    const names = (list: Named[] | undefined) => (list ?? []).map((item) => item.name);
    assert.deepEqual(names(element.attributes), ['link', 'language']);
    assert.deepEqual(names(element.events), ['verify-complete', 'verify-cancel', 'verify-error']);
    assert.deepEqual(element.events!.map((e) => e.type?.text), ['CustomEvent<VerifyCompleteDetail>', 'CustomEvent<VerifyCancelDetail>', 'CustomEvent<VerifyErrorDetail>']);
    assert.deepEqual(names(element.cssParts), ['button', 'dialog', 'close-button', 'frame']);
    assert.deepEqual(names(element.cssProperties), [
      '--verify-now-font', '--verify-now-button-background', '--verify-now-button-color', '--verify-now-radius',
      '--verify-now-dialog-width', '--verify-now-dialog-height', '--verify-now-backdrop',
    ]);
    assert.deepEqual(names(element.slots), ['']);
    for (const item of [...element.attributes!, ...element.events!, ...element.cssParts!, ...element.cssProperties!, ...element.slots!]) {
      assert.ok(item.description, `${item.name || 'the default slot'} is described`);
    }
    assert.deepEqual(names(element.members?.filter((m) => m.kind === 'method')), ['open', 'close']);
    assert.deepEqual(element.members?.filter((m) => m.privacy === 'private'), [], 'no private member');
  });

  test('its package.json: version of the repository, an ES module, exports that resolve to files it ships', () => {
    const packageJson = readJson(join(PACKAGE_DIR, 'package.json'));
    const root = readJson(join(REPO_ROOT, 'package.json'));
    assert.equal(packageJson.name, '@verify-now/widget');
    assert.equal(packageJson.version, root.version);
    assert.equal(packageJson.type, 'module');
    assert.equal(packageJson.private, undefined, 'publishable');
    assert.deepEqual(packageJson.exports['.'], { types: './verify-now.d.ts', default: './verify-now.js' });
    assert.deepEqual(packageJson.dependencies, { lit: root.dependencies.lit });
    const targets = [packageJson.exports['.'].types, packageJson.exports['.'].default, packageJson.exports['./custom-elements.json'], packageJson.types, packageJson.main, packageJson.customElements];
    for (const target of targets) assert.ok(existsSync(join(PACKAGE_DIR, target)), `${target} exists`);
    // Node's own resolution, through `exports`, as a consumer's bundler would start it.
    const consumer = createRequire(join(mkdtempSync(join(tmpdir(), 'vn-resolve-')), 'x.js'));
    assert.equal(consumer.resolve(PACKAGE_DIR), join(PACKAGE_DIR, 'verify-now.js'));
    assert.equal(consumer.resolve(`${PACKAGE_DIR}/custom-elements.json`), join(PACKAGE_DIR, 'custom-elements.json'));
    assert.match(readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8'), /<script type="module" src="https:\/\/VERIFY-NOW-HOST\/widget\/verify-now\.js"><\/script>[\s\S]*frame-src/);
  });

  test('npm pack ships the modules, their declarations, the manifest and the README', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files = (packed.files as { path: string }[]).map((f) => f.path).sort();
    assert.deepEqual(files, [
      'README.md', 'custom-elements.json', 'labels.d.ts', 'labels.js', 'link.d.ts', 'link.js', 'package.json', 'verify-now.d.ts', 'verify-now.js',
    ]);
    assert.equal(packed.name, '@verify-now/widget');
  });

  describe('a TypeScript consumer', () => {
    let dir: string;
    before(() => {
      // A project with the package installed (a link to the built package, and Lit beside it).
      dir = mkdtempSync(join(tmpdir(), 'vn-consumer-'));
      mkdirSync(join(dir, 'node_modules', '@verify-now'), { recursive: true });
      symlinkSync(PACKAGE_DIR, join(dir, 'node_modules', '@verify-now', 'widget'), 'dir');
      symlinkSync(join(REPO_ROOT, 'node_modules', 'lit'), join(dir, 'node_modules', 'lit'), 'dir');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    function typecheck(source: string): { ok: boolean; output: string } {
      writeFileSync(join(dir, 'consumer.ts'), source);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false },
        files: ['consumer.ts'],
      }));
      const result = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
      return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
    }

    test('gets the element and its events typed', { timeout: 60_000 }, () => {
      const { ok, output } = typecheck(`import '@verify-now/widget';
import type { VerifyNow } from '@verify-now/widget';
const widget: VerifyNow = document.querySelector('verify-now')!;
document.querySelector('verify-now')!.addEventListener('verify-complete', (e) => e.detail.sessionId.toUpperCase());
widget.addEventListener('verify-cancel', (e) => { const reason: 'escape' | 'close-button' | 'flow' = e.detail.reason; return reason; });
widget.addEventListener('verify-error', (e) => e.detail.code.length);
widget.open();
`);
      assert.ok(ok, output);
    });

    test('and a wrong use fails', { timeout: 60_000 }, () => {
      const { ok, output } = typecheck(`import '@verify-now/widget';
document.querySelector('verify-now')!.addEventListener('verify-complete', (e) => e.detail.sessionId.toFixed(2));
`);
      assert.equal(ok, false);
      assert.match(output, /consumer\.ts\(2,\d+\): error TS2551: Property 'toFixed' does not exist on type 'string'/);
      assert.equal(output.trim().split('\n').length, 1, output);
    });
  });
});
