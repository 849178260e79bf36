/**
 * Scripts the benchmarks put into pages before any of the page's own code runs (Playwright init
 * scripts, which the page's CSP does not apply to). Strings, not functions: bench/ is compiled
 * without the DOM's types.
 */

/**
 * What the main thread went through, from the first moment: `longtask` entries (tasks over 50 ms),
 * long animation frames (over 50 ms, with the scripts that ran in them), every gap between two
 * animation frames, and the messages each Worker the page starts sends back (detection answers;
 * the flow's first three are init, reset and the first frame's analysis). Read with `window.__vnProbe`.
 */
export const PROBES = `(() => {
  const probe = { longTasks: [], longFrames: [], frameGaps: [], workerMessages: 0, firstWorkerMessages: [] };
  window.__vnProbe = probe;
  const observe = (type, keep) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach((e) => keep(e))).observe({ type, buffered: true });
    } catch {}
  };
  observe('longtask', (e) => probe.longTasks.push({ start: e.startTime, duration: e.duration }));
  observe('long-animation-frame', (e) =>
    probe.longFrames.push({
      start: e.startTime,
      duration: e.duration,
      blocking: e.blockingDuration,
      scripts: (e.scripts || []).map((s) => ({
        duration: Math.round(s.duration),
        invoker: s.invoker,
        source: (s.sourceURL || '').replace(location.origin, '') + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : '') + (s.sourceCharPosition >= 0 ? ' @' + s.sourceCharPosition : ''),
      })),
    }));
  let last;
  const tick = (now) => {
    if (last !== undefined) probe.frameGaps.push([now, now - last]);
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        if (probe.workerMessages++ < 3) probe.firstWorkerMessages.push(performance.now());
      });
    }
  };
})();`;

/**
 * An applicant with no reaction time: on each animation frame it looks at the flow and, as soon as
 * it can, ticks the consent, presses Start, keeps the ID card chosen and presses Continue; then
 * notes when the capture step's video has a frame and when its shutter is enabled (the camera is
 * live), and stops. Times (performance.now(), from the start of the navigation) in
 * `window.__vnRobot`; `failure` says where it got stuck, if the flow's markup changed.
 */
export const ROBOT = `(() => {
  const marks = {};
  const robot = { marks, failure: '' };
  window.__vnRobot = robot;
  const mark = (name) => { if (!(name in marks)) marks[name] = performance.now(); };
  const step = () => {
    const flow = document.querySelector('vn-flow')?.shadowRoot;
    if (flow && !marks.startPressed) {
      const consent = flow.querySelector('input[type=checkbox]');
      const start = flow.querySelector('.actions button:not(.link)');
      if (consent && start && !start.disabled) {
        mark('introShown');
        if (!consent.checked) consent.click();
        start.click();
        mark('startPressed');
      }
    }
    if (flow && marks.startPressed && !marks.continuePressed) {
      const idCard = flow.querySelector('input[type=radio][value=id_card]');
      const next = flow.querySelector('.actions button:not(.link)');
      if (idCard && next) {
        mark('documentTypeShown');
        if (!idCard.checked) idCard.click();
        next.click();
        mark('continuePressed');
      }
    }
    const capture = flow?.querySelector('vn-capture')?.shadowRoot;
    if (capture) {
      mark('captureShown');
      const video = capture.querySelector('video');
      if (video && video.readyState >= 2) mark('videoHasFrame');
      const shutter = capture.querySelector('button.shutter');
      if (shutter && !shutter.disabled) return mark('live');
      if (capture.querySelector('.problem')) return (robot.failure = 'the capture step shows a camera problem: ' + capture.querySelector('.problem').textContent.trim());
    }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})();`;

/**
 * The camera and nothing else, for the baselines: opens it as flow/camera.ts does (same
 * constraints, muted inline video) and notes how long until the video has a frame.
 */
export const BARE_CAMERA = `
window.bareCamera = {
  async open() {
    const started = performance.now();
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 }, height: { ideal: 1080 } },
    });
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.style.width = '100%';
    document.body.append(video);
    video.srcObject = stream;
    await video.play();
    while (!(video.videoWidth > 0 && video.readyState >= 2)) await new Promise((resolve) => requestAnimationFrame(resolve));
    window.bareCamera.video = video;
    return { ms: performance.now() - started, width: video.videoWidth, height: video.videoHeight };
  },
  close() {
    const video = window.bareCamera.video;
    video?.srcObject?.getTracks().forEach((t) => t.stop());
    video?.remove();
  },
};
`;

/**
 * Resolves once `expression` is truthy in the page, polling with page.evaluate: Playwright's
 * waitForFunction compiles a string predicate inside the page, which the flow's CSP (no
 * 'unsafe-eval') refuses, and bypassCSP would measure a page production never serves.
 */
export async function waitInPage(page: PageLike, expression: string, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface PageLike {
  evaluate(expression: string): Promise<unknown>;
}
