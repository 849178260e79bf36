/**
 * Summarises a V8 .cpuprofile (from BENCH_CPU_PROF_DIR): self time by function and by package,
 * and inclusive time of a few functions of interest.
 *   node dist/bench/profile-top.js <file.cpuprofile> [rows] [name-to-include ...]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsText, ...focus] = process.argv.slice(2);
if (!file) {
  console.error('usage: node dist/bench/profile-top.js <file.cpuprofile> [rows] [function ...]');
  process.exit(2);
}
const rows = Number(rowsText ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url;
  const m = /\/dist\/(.+)$/.exec(url);
  return m ? m[1]! : url || '(native/v8)';
};
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;

const add = (map: Map<string, number>, key: string, v: number) => map.set(key, (map.get(key) ?? 0) + v);
const selfByFn = new Map<string, number>();
const selfByPkg = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  add(selfByFn, label(n), t);
  const w = where(n);
  add(selfByPkg, /^(server|contract|test|bench)\//.test(w) ? w.split('/').slice(0, 2).join('/') : w.startsWith('node:') ? 'node:*' : w, t);
}
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
const top = (map: Map<string, number>, title: string) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`  ${pct(t)}  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
top(selfByPkg, 'self time by package / file');
top(selfByFn, 'self time by function');

if (focus.length) {
  // Inclusive time: a sample counts once for every distinct focused function on its stack.
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      for (const f of focus) if (n.callFrame.functionName === f && !seen.has(f)) (seen.add(f), add(inclusive, f, t));
    }
  }
  console.log('\ninclusive time');
  for (const f of focus) console.log(`  ${pct(inclusive.get(f) ?? 0)}  ${f}`);
}
