/**
 * The flow's preview mode (/preview/flow, for the designers' demo page; contract/preview.ts): the
 * real `<vn-flow>` with one screen's state injected, made-up content, and nothing started: no
 * session, no request to the API, no IndexedDB (the store stays in memory), no camera and no
 * detection worker. Loaded only on a preview page, so the applicant's bundle does not carry it.
 */
import type { FlowPageData, FlowPreview } from '../contract/flow.js';
import type { PreviewScreen } from '../contract/preview.js';
import type { CaptureKind, DocumentType } from '../contract/sessions.js';
import type { CameraState } from './camera.js';
import { FlowApp, type FlowPreviewState } from './flow-app.js';
import { loadCatalogue, type Catalogue } from './i18n/index.js';
import { captureScene } from './preview-scenes.js';
import { ResumeStore, type SavedSession } from './resume-store.js';
import { stepsOf } from './steps.js';
import type { UploadState } from './uploader.js';
import type { Guidance } from './vision/types.js';

export async function showPreview(page: FlowPageData, preview: FlowPreview): Promise<void> {
  const app = new FlowApp();
  app.page = page;
  app.linkToken = 'preview';
  app.store = new ResumeStore('preview', true);
  app.preview = previewState(page, preview, await loadCatalogue(page.language));
  document.getElementById('flow')!.replaceWith(app);
}

const CAMERA_SCREENS: Partial<Record<PreviewScreen, CameraState>> = {
  camera_denied: 'denied',
  camera_missing: 'missing',
  camera_in_app: 'in_app',
  camera_blocked: 'blocked',
};

const CAPTURE_SCREENS: Record<string, CaptureKind> = {
  capture_front: 'document_front',
  capture_back: 'document_back',
  capture_selfie: 'selfie',
};

/** What `<vn-flow>` shows for a screen; `t` for the sentences a screen carries in its state. */
function previewState(page: FlowPageData, preview: FlowPreview, t: Catalogue): FlowPreviewState {
  const { screen, documentType } = preview;
  const kinds = captureKinds(page, documentType);
  // The capture step a flow starts with: where camera problems show, and what the phone screen covers.
  const firstCapture: CaptureKind = page.flow === 'selfie' ? 'selfie' : 'document_front';

  const [prefix, guidance] = screen.split(':') as [string, Guidance | undefined];
  if (prefix in CAPTURE_SCREENS && guidance) {
    const kind = CAPTURE_SCREENS[prefix]!;
    // A passport has no back: its back screen shows an ID card's.
    const type = kind === 'document_back' && documentType === 'passport' ? 'id_card' : documentType;
    const scene = captureScene(kind, guidance, type);
    return { state: { step: `capture:${kind}`, documentType: type }, capture: { camera: 'live', analysis: scene.analysis, still: scene.url } };
  }
  const camera = CAMERA_SCREENS[screen];
  if (camera) return { state: { step: `capture:${firstCapture}`, documentType }, capture: { camera } };

  switch (screen) {
    case 'intro':
    case 'document_type':
    case 'done':
      return { state: { step: screen, documentType } };
    case 'phone': {
      // The screen the applicant left for the phone stays under it (closing the phone screen shows it).
      const scene = captureScene(firstCapture, firstCapture === 'selfie' ? 'no_face' : 'searching', documentType);
      return {
        state: { step: page.flow === 'selfie' ? 'capture:selfie' : 'document_type', documentType, handoffTo: 'phone', session: previewSession(page, preview) },
        capture: { camera: 'live', analysis: scene.analysis, still: scene.url },
        handoff: preview.handoff,
      };
    }
    case 'new_tab':
      // Left from the capture step whose camera the frame blocks.
      return {
        state: { step: `capture:${firstCapture}`, documentType, handoffTo: 'tab', session: previewSession(page, preview) },
        capture: { camera: 'blocked' },
        handoff: preview.handoff,
      };
    case 'review':
      return { state: { step: 'review', documentType, previews: reviewPhotos(kinds, documentType) } };
    case 'upload':
    case 'upload_retrying':
    case 'upload_offline':
      return { state: { step: 'upload', documentType, upload: uploadState(screen, kinds) } };
    case 'upload_failed':
      // As after a failed Send: the upload's state is gone, the reason stays.
      return { state: { step: 'upload', documentType, problem: t.errorNetwork } };
    default:
      // The refusal screens are the server's own pages: no script runs on them.
      return { state: { step: 'intro', documentType } };
  }
}

/** A session for the screens that follow one (phone, new tab): never sent anywhere, its token is empty. */
function previewSession(page: FlowPageData, preview: FlowPreview): SavedSession {
  return { sessionId: 'ses_preview', sessionToken: '', expiresAt: preview.handoff?.expiresAt ?? '', flow: page.flow, language: page.language, step: 'intro' };
}

function captureKinds(page: FlowPageData, documentType: DocumentType): CaptureKind[] {
  return stepsOf(page.flow, documentType)
    .filter((s) => s.startsWith('capture:'))
    .map((s) => s.slice('capture:'.length) as CaptureKind);
}

/** The photos as the review shows them: each capture's scene when the photo was taken. */
function reviewPhotos(kinds: CaptureKind[], documentType: DocumentType): Map<CaptureKind, string> {
  return new Map(kinds.map((kind) => [kind, captureScene(kind, 'good', documentType).url]));
}

/** About 60% sent: part way through the photo that brings the total there. */
function uploadState(screen: 'upload' | 'upload_retrying' | 'upload_offline', kinds: CaptureKind[]): UploadState {
  const sent = 0.6 * kinds.length;
  const current = Math.floor(sent);
  const kind = kinds[current] ?? kinds[0]!;
  if (screen === 'upload_retrying') return { phase: 'retrying', kind, seconds: 4 };
  if (screen === 'upload_offline') return { phase: 'offline', kind };
  return { phase: 'sending', kind, fraction: sent - current };
}
