/**
 * Sends the captures still on the device, one after another, retrying with backoff through
 * dropped connections and server hiccups, and waiting for the network while offline. A capture
 * is marked uploaded in the resume store only when the server has acknowledged it, so a reload at
 * any moment resends exactly what is missing.
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

export async function uploadCaptures(
  session: { sessionId: string; sessionToken: string },
  kinds: CaptureKind[],
  store: ResumeStore,
  onState: (state: UploadState) => void,
  signal: AbortSignal,
): Promise<void> {
  for (const kind of kinds) {
    const capture = await store.capture(kind);
    if (!capture || capture.uploaded) continue;
    await uploadOne(session, capture, onState, signal);
    await store.saveCapture({ ...capture, uploaded: true });
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
