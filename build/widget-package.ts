/**
 * The <verify-now> element as an npm package, `@verify-now/widget`, built into
 * dist/widget-package/ by `npm run build`: the element's ES modules and their declarations (tsc,
 * build/tsconfig.widget-package.json), a custom-elements manifest (@custom-elements-manifest/analyzer,
 * from the same sources), its package.json and README. Publish with `npm publish dist/widget-package`.
 *
 * Not bundled and not minified, Lit a dependency: the merchant's bundler shares Lit with their own
 * elements and minifies once. Pages without a bundler take the server's /widget/verify-now.js.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as typescript from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WIDGET_PACKAGE_DIR = join(ROOT, 'dist', 'widget-package');
const SOURCES = ['verify-now.ts', 'labels.ts', 'link.ts'].map((file) => join(ROOT, 'widget', file));

interface RootPackage {
  version: string;
  license: string;
  dependencies: Record<string, string>;
}

interface Manifest {
  modules: { declarations?: { members?: { privacy?: string }[] }[] }[];
}

/** The manifest describes the package's files (`verify-now.js`), not the repository's (`widget/verify-now.ts`). */
async function customElementsManifest(): Promise<Manifest> {
  // The analyzer's declarations leave out `create`, `ts` (its own TypeScript, which its AST walks
  // expect) and the Lit plugin: paths in variables keep tsc from reading them.
  const analyzerPath = '@custom-elements-manifest/analyzer';
  const litPluginPath = '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';
  const { create, ts } = (await import(analyzerPath)) as {
    create(options: { modules: typescript.SourceFile[]; plugins: unknown[]; context: { dev: boolean } }): Manifest;
    ts: typeof typescript;
  };
  const { litPlugin } = (await import(litPluginPath)) as { litPlugin: () => unknown[] };
  const modules = SOURCES.map((file) =>
    ts.createSourceFile(basename(file).replace(/\.ts$/, '.js'), readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS),
  );
  const manifest = create({ modules, plugins: litPlugin(), context: { dev: false } });
  // Private members are no one's business: editors and docs read the manifest as the public surface.
  for (const module of manifest.modules) {
    for (const declaration of module.declarations ?? []) {
      if (declaration.members) declaration.members = declaration.members.filter((member) => member.privacy !== 'private');
    }
  }
  return manifest;
}

export async function buildWidgetPackage(): Promise<void> {
  rmSync(WIDGET_PACKAGE_DIR, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'build', 'tsconfig.widget-package.json')], { stdio: 'inherit' });
  writeFileSync(join(WIDGET_PACKAGE_DIR, 'custom-elements.json'), `${JSON.stringify(await customElementsManifest(), null, 2)}\n`);

  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as RootPackage;
  const packageJson = {
    name: '@verify-now/widget',
    version: root.version,
    description: 'The <verify-now> custom element: a button that opens identity verification by magic link in a modal.',
    license: root.license,
    type: 'module',
    main: './verify-now.js',
    module: './verify-now.js',
    types: './verify-now.d.ts',
    exports: {
      '.': { types: './verify-now.d.ts', default: './verify-now.js' },
      './custom-elements.json': './custom-elements.json',
      './package.json': './package.json',
    },
    customElements: 'custom-elements.json',
    // Importing it defines the element: bundlers must keep it even when nothing it exports is used.
    sideEffects: ['./verify-now.js'],
    files: ['*.js', '*.d.ts', 'custom-elements.json', 'README.md'],
    dependencies: { lit: root.dependencies['lit'] },
    keywords: ['web-components', 'custom-element', 'lit', 'identity-verification', 'kyc'],
  };
  writeFileSync(join(WIDGET_PACKAGE_DIR, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  copyFileSync(join(ROOT, 'build', 'widget-package.README.md'), join(WIDGET_PACKAGE_DIR, 'README.md'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWidgetPackage();
