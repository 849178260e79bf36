/**
 * The benchmark's rows: each printed as it is measured, and all of them again in the summary at the
 * end. Every part of `npm run bench` reports through here, so the summary has one shape.
 */

export interface Row {
  name: string;
  value: string;
  /** The tail: p99 for request loads; a row that measures something else says which (`p95 41 ms`). */
  p99: string;
  ratio: string;
  /** Server CPU time per request (µs), when measured. */
  cpu: string;
  target: string;
  /** null: informational, no target. */
  met: boolean | null;
}

const rows: Row[] = [];

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (text: string, width: number) => text.padEnd(width);
const lpad = (text: string, width: number) => text.padStart(width);
const verdict = (met: boolean | null) => (met === null ? '' : met ? 'ok' : 'MISSED');

/** Indent of a row's detail lines: under the value column. */
export const DETAIL_INDENT = ' '.repeat(37);

export function report(row: Row, detail: string): void {
  rows.push(row);
  const target = row.target ? `  target ${row.target}${row.met === false ? '  MISSED' : row.met ? '  ok' : ''}` : '';
  const tail = row.p99 === '' || /^[a-z]/.test(row.p99) ? lpad(row.p99, 12) : `p99 ${lpad(row.p99, 8)}`;
  console.log(`  ${pad(row.name, 34)} ${lpad(row.value, 14)}  ${tail}  ${lpad(row.ratio, 6)}${target}`);
  if (detail) console.log(`  ${' '.repeat(34)} ${detail}`);
}

export function summary(): void {
  console.log('');
  console.log('summary');
  const cols = [34, 14, 12, 6, 11, 16, 6];
  const line = (cells: string[]) =>
    console.log('  ' + cells.map((c, i) => (i >= 1 && i <= 4 ? lpad(c, cols[i]!) : pad(c, cols[i]!))).join('  ').trimEnd());
  line(['benchmark', 'result', 'p99', 'ratio', 'srv CPU/req', 'target', '']);
  line(cols.map((w) => '-'.repeat(w)));
  for (const row of rows) line([row.name, row.value, row.p99, row.ratio, row.cpu, row.target, verdict(row.met)]);
  const missed = rows.filter((r) => r.met === false).length;
  console.log('');
  console.log(missed ? `${missed} target${missed > 1 ? 's' : ''} MISSED (reported, not failed)` : 'all targets met');
}
