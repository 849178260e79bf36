/**
 * Runs the live video through the detection worker, one frame in flight at a time, and decides
 * when to take the photo: after a few good frames in a row. The frames go as transferred
 * ImageBitmaps scaled to 640 px wide, so the main thread only copies pixels, and never analyses.
 */
import * as Comlink from 'comlink';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CameraController } from './camera.js';
import { startVision } from './vision/client.js';
import type { AnalyseOptions, FrameAnalysis } from './vision/types.js';

/** Good frames in a row before the auto-capture: about a third of a second at 10–15 fps. */
export const AUTO_CAPTURE_FRAMES = 4;
const ANALYSIS_WIDTH = 640;
/** At most this often, so detection leaves the phone's CPU room for the video and the page. */
const MIN_FRAME_INTERVAL_MS = 50;

/** Resolves at the video's next presented frame (at once where the browser cannot tell). */
function nextVideoFrame(video: HTMLVideoElement): Promise<void> {
  if (!('requestVideoFrameCallback' in video)) return Promise.resolve();
  return new Promise((resolve) => {
    video.requestVideoFrameCallback(() => resolve());
    // A paused or ended video presents no frame: never wait for ever.
    setTimeout(resolve, 1000);
  });
}

export class DetectionController implements ReactiveController {
  analysis: FrameAnalysis | undefined;
  goodStreak = 0;
  /** False when the worker could not start: the shutter and the upload remain. */
  available = true;
  #run = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Analyses frames until stopped; calls `onReady` once when the streak of good frames is long enough. */
  async start(camera: CameraController, options: AnalyseOptions, onReady: (analysis: FrameAnalysis) => void): Promise<void> {
    const run = ++this.#run;
    this.analysis = undefined;
    this.goodStreak = 0;
    const vision = startVision();
    const abilities = await vision.ready;
    if (run !== this.#run) return;
    if (!abilities) {
      this.available = false;
      this.host.requestUpdate();
      return;
    }
    await vision.api.reset();
    while (run === this.#run) {
      const video = camera.video;
      if (!video) break;
      const started = performance.now();
      const height = Math.round((ANALYSIS_WIDTH * video.videoHeight) / video.videoWidth);
      let analysis: FrameAnalysis;
      try {
        const frame = await createImageBitmap(video, { resizeWidth: ANALYSIS_WIDTH, resizeHeight: height, resizeQuality: 'low' });
        analysis = await vision.api.analyse(Comlink.transfer(frame, [frame]), options);
      } catch (error) {
        if (run !== this.#run) return;
        console.warn('verify-now: frame analysis failed:', error);
        this.available = false;
        this.host.requestUpdate();
        return;
      }
      if (run !== this.#run) return;
      this.analysis = analysis;
      this.goodStreak = analysis.good ? this.goodStreak + 1 : 0;
      this.host.requestUpdate();
      if (this.goodStreak >= AUTO_CAPTURE_FRAMES) {
        this.#run++;
        onReady(analysis);
        return;
      }
      const wait = MIN_FRAME_INTERVAL_MS - (performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      // A new camera frame, not the same one again: "4 good frames" must be 4 moments, also when
      // a phone in low light drops to a few frames per second.
      await nextVideoFrame(video);
    }
  }

  /** Stops analysing and forgets the last result (its outline must not linger on the next step). */
  stop(): void {
    this.#run++;
    this.analysis = undefined;
    this.goodStreak = 0;
  }
}
