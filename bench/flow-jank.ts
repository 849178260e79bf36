/**
 * The page's main thread while detection runs: a capture step with the camera live and the worker
 * analysing every frame the flow sends it (the bench camera shows a card too far away to be taken,
 * so the step never auto-captures), watched for a fixed window under a Chromium trace. The trace
 * has every task the main thread ran, however short, with its wall time (what the applicant
 * feels: on a loaded machine, mostly waiting for a core) and its thread time (what the page's code
 * cost). The page's own `longtask` and `long-animation-frame` observers and its animation-frame
 * gaps are reported beside them.
 *
 * Baseline, in the same browser: a bare page showing the same camera in a <video>, watched the
 * same way for as long: what showing a camera costs the main thread on this machine right now.
 */
import type { Browser, Page } from 'playwright-core';
import { waitInPage } from './flow-probes.js';
import { longestBy, sumOf, traceWhile, type Task } from './flow-trace.js';
import { DETAIL_INDENT, fmt, report } from './report.js';

/** A task longer than this delays a tap or a frame enough to be felt (the RAIL model's 50 ms). */
const TARGET_LONGEST_TASK_MS = 50;
/** Detection answers to see before the window opens: the worker is past its start-up. */
const ANSWERS_BEFORE_WINDOW = 10;

interface Probe {
  longTasks: { start: number; duration: number }[];
  longFrames: { start: number; duration: number; blocking: number; scripts: { duration: number; invoker: string; source: string }[] }[];
  frameGaps: [number, number][];
  workerMessages: number;
}

interface Longest {
  wallMs: number;
  cpuMs: number;
  parts: string;
}

export interface MainThreadWindow {
  seconds: number;
  /** The longest task by wall time, and the longest by thread time (often not the same task). */
  byWall: Longest;
  byCpu: Longest;
  tasksOver50: number;
  /** Thread time of the main thread, and of the busiest worker thread, per second of the window. */
  mainCpuShare: number;
  workerCpuShare: number;
  longTasks: Probe['longTasks'];
  longFrames: Probe['longFrames'];
  maxFrameGapMs: number;
  framesPerSecond: number;
  workerMessagesPerSecond: number;
}

/** Waits until the worker has answered a few frames (when asked to), then watches the page for `seconds`. */
export async function watchMainThread(browser: Browser, page: Page, seconds: number, waitForDetection: boolean): Promise<MainThreadWindow> {
  if (waitForDetection) await waitInPage(page, `window.__vnProbe.workerMessages >= ${ANSWERS_BEFORE_WINDOW}`, 30_000, 'detection answering frames');
  // The page's window lies inside the trace's, so that both see the same tasks.
  const { result, trace } = await traceWhile(browser, page, `main-thread-${waitForDetection ? 'flow' : 'bare'}`, async () => {
    const before = (await page.evaluate('({ now: performance.now(), messages: window.__vnProbe.workerMessages })')) as { now: number; messages: number };
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const after = (await page.evaluate('({ now: performance.now(), probe: window.__vnProbe })')) as { now: number; probe: Probe };
    return { before, after };
  });
  const { before, after } = result;
  const elapsedS = (after.now - before.now) / 1000;
  const inWindow = <T extends { start: number }>(list: T[]) => list.filter((e) => e.start >= before.now && e.start <= after.now);
  const gaps = after.probe.frameGaps.filter(([at]) => at > before.now && at <= after.now).map(([, gap]) => gap);

  const [main] = trace.threads('CrRendererMain');
  if (!main) throw new Error("the trace has no main thread for the page's renderer");
  const tasks = trace.tasks(main);
  const traceS = tasks.length ? (tasks.at(-1)!.event.ts - tasks[0]!.event.ts) / 1e6 : elapsedS;
  const workers = trace.threads('DedicatedWorker thread').map((t) => sumOf(trace.tasks(t), 'cpuMs'));
  const longest = (task: Task | undefined): Longest => (task ? { wallMs: task.wallMs, cpuMs: task.cpuMs, parts: trace.partsOf(task) } : { wallMs: 0, cpuMs: 0, parts: '' });
  return {
    seconds: elapsedS,
    byWall: longest(longestBy(tasks, 'wallMs')),
    byCpu: longest(longestBy(tasks, 'cpuMs')),
    tasksOver50: tasks.filter((t) => t.wallMs > 50).length,
    mainCpuShare: sumOf(tasks, 'cpuMs') / 1000 / traceS,
    workerCpuShare: Math.max(0, ...workers) / 1000 / traceS,
    longTasks: inWindow(after.probe.longTasks),
    longFrames: inWindow(after.probe.longFrames),
    maxFrameGapMs: Math.max(0, ...gaps),
    framesPerSecond: gaps.length / elapsedS,
    workerMessagesPerSecond: (after.probe.workerMessages - before.messages) / elapsedS,
  };
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

export function reportMainThread(flow: MainThreadWindow, bare: MainThreadWindow): void {
  console.log('8. the main thread of a live capture step while detection runs, against a page that only shows the camera');
  report(
    { name: 'bare camera page: longest task', value: `${fmt(bare.byWall.wallMs, 1)} ms`, p99: '', ratio: '1.00×', cpu: '', target: '', met: null },
    `${fmt(bare.seconds, 1)} s; its thread time ${fmt(bare.byWall.cpuMs, 1)} ms; longest by thread time ${fmt(bare.byCpu.cpuMs, 1)} ms; ` +
      `main thread busy ${percent(bare.mainCpuShare)} of a core; longest frame gap ${fmt(bare.maxFrameGapMs, 1)} ms, ${fmt(bare.framesPerSecond)} frames/s`,
  );
  const longFrame = flow.longFrames.reduce<MainThreadWindow['longFrames'][number] | undefined>((a, b) => (b.duration > (a?.duration ?? 0) ? b : a), undefined);
  report(
    {
      name: 'longest main-thread task, detecting',
      value: `${fmt(flow.byWall.wallMs, 1)} ms`,
      p99: '',
      ratio: `${(flow.byWall.wallMs / Math.max(bare.byWall.wallMs, 1)).toFixed(2)}×`,
      cpu: '',
      target: `< ${TARGET_LONGEST_TASK_MS} ms`,
      met: flow.byWall.wallMs < TARGET_LONGEST_TASK_MS,
    },
    `${fmt(flow.seconds, 1)} s on a live capture step, detection answering ${fmt(flow.workerMessagesPerSecond, 1)} frames/s; ` +
      `${flow.tasksOver50} tasks over 50 ms; the longest ran ${fmt(flow.byWall.cpuMs, 1)} ms of it (waited for a core the rest): ${flow.byWall.parts || '—'}\n` +
      `${DETAIL_INDENT}page observers: ${flow.longTasks.length} longtask entries (max ${fmt(Math.max(0, ...flow.longTasks.map((t) => t.duration)))} ms), ` +
      `${flow.longFrames.length} long animation frames; longest frame gap ${fmt(flow.maxFrameGapMs, 1)} ms, ${fmt(flow.framesPerSecond)} frames/s` +
      (longFrame ? `\n${DETAIL_INDENT}longest animation frame ${fmt(longFrame.duration)} ms: ${longFrame.scripts.map((s) => `${s.invoker} ${s.source} ${s.duration} ms`).join('; ') || 'no script in it'}` : ''),
  );
  report(
    {
      name: '  the same, thread time',
      value: `${fmt(flow.byCpu.cpuMs, 1)} ms`,
      p99: '',
      ratio: `${(flow.byCpu.cpuMs / Math.max(bare.byCpu.cpuMs, 1)).toFixed(2)}×`,
      cpu: '',
      target: `< ${TARGET_LONGEST_TASK_MS} ms`,
      met: flow.byCpu.cpuMs < TARGET_LONGEST_TASK_MS,
    },
    `the longest task by the main thread's own CPU time (what the page's code costs, whatever the load): ${flow.byCpu.parts || '—'}\n` +
      `${DETAIL_INDENT}main thread busy ${percent(flow.mainCpuShare)} of a core, the detection worker ${percent(flow.workerCpuShare)}`,
  );
}
