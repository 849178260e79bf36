/**
 * What the applicant's browser is sent, read from Vite's manifest (dist/web/.vite/manifest.json):
 * the flow's main-thread chunks, and the files of the detection worker. The benchmarks take the
 * built files rather than the sources, so they measure what production serves.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
const MANIFEST = `${WEB_ROOT}.vite/manifest.json`;
const FLOW_ENTRY = 'flow/main.ts';
const WASM_LOADER = 'vision_wasm_module_internal.js';
const WASM_BINARY = 'vision_wasm_module_internal.wasm';

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}

export interface FlowBuild {
  /** URL paths of the JS the page itself runs: the entry, its static imports, the lazy catalogues. */
  mainThreadScripts: ReadonlySet<string>;
  /** URL paths of the detection worker's own files. */
  worker: string;
  wasmLoader: string;
  wasmBinary: string;
  model: string;
}

export class FlowNotBuiltError extends Error {
  override name = 'FlowNotBuiltError';
}

export function readFlowBuild(): FlowBuild {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch (error) {
    throw new FlowNotBuiltError(`${MANIFEST} could not be read (${(error as Error).message}): run \`npm run build\` first.`);
  }
  const entry = manifest[FLOW_ENTRY];
  if (!entry) throw new FlowNotBuiltError(`${MANIFEST} has no ${FLOW_ENTRY} entry.`);

  const mainThread = new Set<string>();
  const visit = (key: string, seen = new Set<string>()) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    mainThread.add(`/${chunk.file}`);
    for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(next, seen);
  };
  visit(FLOW_ENTRY);

  const fileOf = (suffix: string) => {
    const key = Object.keys(manifest).find((k) => k.endsWith(suffix));
    if (!key) throw new FlowNotBuiltError(`${MANIFEST} lists no ${suffix}: the detection worker's files are not where this benchmark expects.`);
    return `/${manifest[key]!.file}`;
  };
  const wasmLoader = fileOf(WASM_LOADER);
  const assets = (entry.assets ?? []).map((a) => `/${a}`);
  // The worker is emitted as an asset of the entry (new URL('./worker.ts', import.meta.url)), beside MediaPipe's loader.
  const workers = assets.filter((a) => a.endsWith('.js') && a !== wasmLoader);
  const models = assets.filter((a) => a.endsWith('.tflite'));
  if (workers.length !== 1 || models.length !== 1) {
    throw new FlowNotBuiltError(`expected one worker script and one model among ${FLOW_ENTRY}'s assets, found ${assets.join(', ')}`);
  }
  return { mainThreadScripts: mainThread, worker: workers[0]!, wasmLoader, wasmBinary: fileOf(WASM_BINARY), model: models[0]! };
}

/** Size of the build's gzip copy of an asset (`/assets/x.js` → dist/web/assets/x.js.gz), if there is one. */
export function gzipSizeOf(path: string): number | undefined {
  return statSync(`${WEB_ROOT}${path.slice(1)}.gz`, { throwIfNoEntry: false })?.size;
}
