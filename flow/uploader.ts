/**
 * Sends the captures still on the device, one after another, retrying with backoff through
 * dropped connections and server hiccups, and waiting for the network while offline. A capture
 * is marked uploaded in the resume store only when the server has acknowledged it (and only if it
 * was not retaken meanwhile), so a reload at any moment resends exactly what is missing.
 */
import type { CaptureKind } from '../contract/sessions.js';
import { backoffMs, FlowApiError, flowApi, sleep } from './api.js';
import type { ResumeStore, SavedCapture } from './resume-store.js';

export type UploadState =
  | { phase: 'sending'; kind: CaptureKind; fraction: number }
  | { phase: 'retrying'; kind: CaptureKind; seconds: number }
  | { phase: 'offline'; kind: CaptureKind };

/** Attempts per capture before we stop and let the applicant press "Try again". */
const MAX_ATTEMPTS = 6;

/**
 * Photos go as soon as they are taken, in the background: Send then has little or nothing left to
 * wait for, and a desktop following a phone sees each photo arrive. `send()` starts a pass over
 * what is pending, or, while one runs, makes it go round once more (a photo taken or retaken
 * meanwhile); it resolves when nothing is pending, and rejects when a photo could not be sent.
 */
export class Uploader {
  #running: Promise<void> | undefined;
  #again = false;

  constructor(
    private readonly session: { sessionId: string; sessionToken: string },
    private readonly store: ResumeStore,
    private readonly kinds: () => CaptureKind[],
    private readonly onState: (state: UploadState) => void,
    private readonly signal: AbortSignal,
  ) {}

  send(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = (async () => {
      try {
        do {
          this.#again = false;
          await this.#pass();
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    this.#running = run;
    return run;
  }

  async #pass(): Promise<void> {
    for (const kind of this.kinds()) {
      const capture = await this.store.capture(kind);
      if (!capture || capture.uploaded) continue;
      await uploadOne(this.session, capture, this.onState, this.signal);
      // Retaken while it was on its way: the new photo stays pending (the next pass sends it).
      const current = await this.store.capture(kind);
      if (current?.takenAt === capture.takenAt) await this.store.saveCapture({ ...capture, uploaded: true });
    }
  }
}

async function uploadOne(
  session: { sessionId: string; sessionToken: string },
  capture: SavedCapture,
  onState: (state: UploadState) => void,
  signal: AbortSignal,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (!navigator.onLine) {
      onState({ phase: 'offline', kind: capture.kind });
      await onlineAgain(signal);
    }
    if (signal.aborted) throw new FlowApiError(0, 'aborted', 'The upload was cancelled.');
    try {
      onState({ phase: 'sending', kind: capture.kind, fraction: 0 });
      await flowApi.uploadCapture(session.sessionId, session.sessionToken, capture.kind, capture.image, capture.metrics,
        (fraction) => onState({ phase: 'sending', kind: capture.kind, fraction }), signal);
      return;
    } catch (error) {
      if (!(error instanceof FlowApiError) || !error.isRetryable || attempt + 1 >= MAX_ATTEMPTS) throw error;
      const wait = backoffMs(attempt);
      onState({ phase: 'retrying', kind: capture.kind, seconds: Math.ceil(wait / 1000) });
      await sleep(wait, signal);
    }
  }
}

function onlineAgain(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      window.removeEventListener('online', done);
      resolve();
    };
    window.addEventListener('online', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
