/**
 * Chromium traces of a page, read as threads and tasks. Every task has its wall time and its
 * thread (CPU) time: on a machine where other work competes for the cores, wall time says what a
 * person would feel there and then, thread time what the page's own code cost, which does not
 * depend on the load.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];
const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  /** Wall time, µs. */
  dur?: number;
  /** Thread (CPU) time, µs. */
  tdur?: number;
  args?: { name?: string; data?: { frames?: { processId?: number; url?: string }[]; url?: string; functionName?: string } };
}

export interface Task {
  wallMs: number;
  cpuMs: number;
  event: TraceEvent;
}

/** Traces the browser while `run` runs; with BENCH_FLOW_TRACE_DIR set, keeps the trace there (open it in chrome://tracing or Perfetto). */
export async function traceWhile<T>(browser: Browser, page: Page, label: string, run: () => Promise<T>): Promise<{ result: T; trace: Trace }> {
  await browser.startTracing(page, { categories: CATEGORIES });
  let result: T;
  let buffer: Buffer;
  try {
    result = await run();
  } finally {
    buffer = await browser.stopTracing();
  }
  if (process.env.BENCH_FLOW_TRACE_DIR) writeFileSync(join(process.env.BENCH_FLOW_TRACE_DIR, `${label}.json`), buffer);
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return { result, trace: new Trace(Array.isArray(parsed) ? parsed : parsed.traceEvents, page.url()) };
}

export class Trace {
  readonly #events: TraceEvent[];
  readonly #threadNames = new Map<string, string>();
  /** Renderer processes that hosted a frame of the page's origin. */
  readonly #pids = new Set<number>();
  readonly #origin: string;

  constructor(events: TraceEvent[], url: string) {
    this.#events = events;
    this.#origin = new URL(url).origin;
    for (const e of events) {
      if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) this.#threadNames.set(key(e), e.args.name);
      for (const frame of e.args?.data?.frames ?? []) if (frame.url?.startsWith(this.#origin) && frame.processId) this.#pids.add(frame.processId);
    }
  }

  /** Threads of the page's renderer with this name (`CrRendererMain`, `DedicatedWorker thread`). */
  threads(name: string): string[] {
    return [...this.#threadNames].filter(([k, n]) => n === name && (!this.#pids.size || this.#pids.has(Number(k.split(':')[0])))).map(([k]) => k);
  }

  /** The thread's outermost tasks, in order. */
  tasks(thread: string): Task[] {
    const candidates = this.#events.filter((e) => e.ph === 'X' && TASK_NAMES.has(e.name) && key(e) === thread).sort((a, b) => a.ts - b.ts);
    const tasks: Task[] = [];
    let end = -Infinity;
    for (const e of candidates) {
      if (e.ts < end) continue; // nested in the previous one
      end = e.ts + (e.dur ?? 0);
      tasks.push({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000, event: e });
    }
    return tasks;
  }

  /** The heaviest events inside a task, by thread time, one per name: what it was busy with. */
  partsOf(task: Task, count = 4): string {
    const { ts, pid, tid } = task.event;
    const end = ts + (task.event.dur ?? 0);
    const byName = new Map<string, number>();
    for (const e of this.#events) {
      if (e.ph !== 'X' || e.pid !== pid || e.tid !== tid || e === task.event || TASK_NAMES.has(e.name) || e.ts < ts || e.ts + (e.dur ?? 0) > end) continue;
      const data = e.args?.data;
      const label = e.name === 'FunctionCall' && data?.url ? `FunctionCall ${data.functionName || '(anonymous)'} ${data.url.replace(this.#origin, '')}` : e.name;
      byName.set(label, Math.max(byName.get(label) ?? 0, (e.tdur ?? 0) / 1000));
    }
    return [...byName].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ');
  }
}

const key = (e: TraceEvent) => `${e.pid}:${e.tid}`;

export const longestBy = (tasks: Task[], by: 'wallMs' | 'cpuMs') => tasks.reduce<Task | undefined>((a, b) => (b[by] > (a?.[by] ?? -1) ? b : a), undefined);
export const sumOf = (tasks: Task[], by: 'wallMs' | 'cpuMs') => tasks.reduce((total, t) => total + t[by], 0);
