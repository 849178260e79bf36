/**
 * `BENCH_ONLY=dashboard`: what a merchant's browser downloads to open the dashboard, on the wire
 * (the precompressed copies the server sends), against a budget: the app is one chunk of Lit and
 * our code, no chart or UI library.
 */
import { readFileSync, statSync } from 'node:fs';
import { WEB_ROOT } from './flow-build.js';
import { report } from './report.js';

const BUDGET_BYTES = 40 * 1024;

interface ManifestEntry {
  file: string;
  css?: string[];
  imports?: string[];
}

export function dashboardSize(): void {
  const root = `${WEB_ROOT}dashboard/`;
  let manifest: Record<string, ManifestEntry>;
  try {
    manifest = JSON.parse(readFileSync(`${root}.vite/manifest.json`, 'utf8')) as Record<string, ManifestEntry>;
  } catch {
    throw new Error('the dashboard is not built: run `npm run build` first');
  }
  // The entry and every chunk it imports statically: all of it loads before the first view.
  const files = new Set<string>();
  const visit = (key: string) => {
    const entry = manifest[key];
    if (!entry || files.has(entry.file)) return;
    files.add(entry.file);
    for (const css of entry.css ?? []) files.add(css);
    for (const imported of entry.imports ?? []) visit(imported);
  };
  visit('dashboard/main.ts');
  const size = (file: string, suffix: string) => statSync(`${root}${file}${suffix}`, { throwIfNoEntry: false })?.size ?? statSync(`${root}${file}`).size;
  const scripts = [...files].filter((f) => f.endsWith('.js'));
  const styles = [...files].filter((f) => f.endsWith('.css'));
  const sum = (list: string[], suffix: string) => list.reduce((total, f) => total + size(f, suffix), 0);
  const gzip = sum(scripts, '.gz');
  report(
    {
      name: 'dashboard JavaScript (gzip)',
      value: `${(gzip / 1024).toFixed(1)} KB`,
      p99: '',
      ratio: `${(gzip / BUDGET_BYTES).toFixed(2)}×`,
      cpu: '',
      target: '≤ 40 KB',
      met: gzip <= BUDGET_BYTES,
    },
    `${scripts.length} script(s), brotli ${(sum(scripts, '.br') / 1024).toFixed(1)} KB, raw ${(sum(scripts, '') / 1024).toFixed(1)} KB; ` +
      `CSS ${(sum(styles, '.gz') / 1024).toFixed(1)} KB gzip; ratio against the budget`,
  );
}
