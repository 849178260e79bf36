/**
 * One capture step: the live camera with guidance and auto-capture, a shutter that is always
 * there once the video is live, and an upload of a photo instead — the way forward whenever the
 * camera cannot be used. Emits `capture` with the photo and what was measured when it was taken,
 * `phone` (continue on a phone) and `new-tab` (continue in a new tab: the frame around the flow
 * may not use the camera).
 */
import { LitElement, html, nothing, svg } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { CaptureKind, CaptureMetrics, DocumentType } from '../contract/sessions.js';
import { CAMERA_PROBLEMS, CameraController, type CameraState } from './camera.js';
import { DetectionController } from './detection.js';
import type { Catalogue } from './i18n/index.js';
import { normaliseUpload, UploadProblem } from './photo-file.js';
import { flowStyles } from './styles.js';
import { aspectOf } from './vision/document-shapes.js';
import type { FrameAnalysis, Guidance } from './vision/types.js';

/** Preview mode (flow/preview.ts): a camera state and an analysis shown as is, over a still picture. */
export interface CapturePreview {
  camera: CameraState;
  analysis?: FrameAnalysis;
  /** Shown where the video would be (the video element's poster). */
  still?: string;
}

export interface CaptureDetail {
  kind: CaptureKind;
  image: Blob;
  metrics: CaptureMetrics;
}

/** Guidance changes are announced; faster than this, a screen reader would only stutter. */
const GUIDANCE_MIN_INTERVAL_MS = 900;

const PROBLEM_TEXT: Record<Exclude<CameraState, 'idle' | 'starting' | 'live'>, [keyof Catalogue, keyof Catalogue]> = {
  denied: ['cameraDeniedTitle', 'cameraDenied'],
  blocked: ['cameraBlockedTitle', 'cameraBlocked'],
  missing: ['cameraMissingTitle', 'cameraMissing'],
  insecure: ['cameraInsecureTitle', 'cameraInsecure'],
  in_app: ['cameraInAppTitle', 'cameraInApp'],
  busy: ['cameraBusyTitle', 'cameraBusy'],
  failed: ['cameraFailedTitle', 'cameraFailed'],
};

@customElement('vn-capture')
export class CaptureStep extends LitElement {
  static override styles = flowStyles;

  @property() kind: CaptureKind = 'document_front';
  @property() documentType: DocumentType = 'id_card';
  @property({ attribute: false }) t!: Catalogue;
  /** Offer "continue on your phone" (desktops, and whenever the camera fails). */
  @property({ type: Boolean }) offerPhone = false;
  /** Preview mode: no camera, no detection worker; this state is shown. */
  @property({ attribute: false }) preview: CapturePreview | undefined;

  @state() private guidance: Guidance = 'starting';
  @state() private uploadError = '';
  @state() private taking = false;
  @query('video') private videoElement!: HTMLVideoElement;

  private readonly camera = new CameraController(this);
  private readonly detection = new DetectionController(this);
  // -Infinity: the first guidance shows at once, even in a page loaded less than the interval ago.
  #guidanceShownAt = -Infinity;

  private get isSelfie(): boolean {
    return this.kind === 'selfie';
  }

  override firstUpdated(): void {
    void this.startCamera();
  }

  override updated(): void {
    // Through the CSSOM: the page's CSP allows no style attributes in markup.
    this.renderRoot.querySelector<HTMLElement>('.viewport')?.style.setProperty('aspect-ratio', this.videoAspect);
  }

  override willUpdate(): void {
    if (this.preview) {
      this.camera.state = this.preview.camera;
      this.detection.analysis = this.preview.analysis;
      this.detection.goodStreak = this.preview.analysis?.good ? 1 : 0;
    }
    // Guidance follows the latest analysis, but is not rewritten more often than it can be read.
    // Before the first analysis: 'searching' reads "Show the whole document", wrong for a selfie.
    const waiting: Guidance = this.isSelfie ? 'no_face' : 'searching';
    const next = this.detection.analysis?.guidance ?? (this.camera.state === 'live' ? waiting : 'starting');
    const now = performance.now();
    if (next !== this.guidance && (next === 'good' || now - this.#guidanceShownAt > GUIDANCE_MIN_INTERVAL_MS)) {
      this.guidance = next;
      this.#guidanceShownAt = now;
    }
  }

  private async startCamera(): Promise<void> {
    if (this.preview) return;
    this.detection.stop();
    this.taking = false;
    await this.updateComplete;
    await this.camera.start(this.videoElement, this.isSelfie ? 'user' : 'environment');
    if (this.camera.state !== 'live') {
      if (this.camera.detail) console.warn('verify-now: camera unavailable:', this.camera.detail);
      return;
    }
    void this.detection.start(
      this.camera,
      { target: this.isSelfie ? 'selfie' : 'document', documentType: this.documentType, requirePortrait: this.kind === 'document_front' },
      (analysis) => void this.takePhoto(analysis, true),
    );
  }

  private async takePhoto(analysis: FrameAnalysis | undefined, autoCaptured: boolean): Promise<void> {
    if (this.taking || this.preview) return;
    this.taking = true;
    // A shutter press keeps what the last analysed frame showed.
    const measured = analysis ?? this.detection.analysis;
    this.detection.stop();
    try {
      const image = await this.camera.takePhoto();
      this.camera.stop();
      this.emit(image, { source: 'camera', autoCaptured, ...this.metricsOf(measured) });
    } catch (error) {
      console.warn('verify-now: the photo could not be taken:', error);
      void this.startCamera();
    }
  }

  private metricsOf(analysis: FrameAnalysis | undefined): CaptureMetrics {
    const metrics: CaptureMetrics = this.isSelfie ? {} : { documentType: this.documentType };
    if (!analysis) return metrics;
    const clamp = (n: number) => Math.min(1, Math.max(0, n));
    return {
      ...metrics,
      sharpness: Math.min(1e6, analysis.quality.sharpness),
      brightness: clamp(analysis.quality.brightness),
      glare: clamp(analysis.quality.glare),
      motion: clamp(analysis.quality.motion),
      ...(analysis.quad ? { quad: analysis.quad.map((p) => ({ x: clamp(p.x), y: clamp(p.y) })), fill: clamp(analysis.fill) } : {}),
      faces: analysis.faces.slice(0, 10).map((f) => ({
        x: clamp(f.x), y: clamp(f.y), width: clamp(f.width), height: clamp(f.height), score: clamp(f.score),
      })),
    };
  }

  private async onFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.uploadError = '';
    try {
      const image = await normaliseUpload(file);
      this.detection.stop();
      this.camera.stop();
      this.emit(image, { source: 'upload', ...(this.isSelfie ? {} : { documentType: this.documentType }) });
    } catch (error) {
      this.uploadError = error instanceof UploadProblem ? this.t[error.reason] : this.t.fileNotImage;
    }
  }

  private emit(image: Blob, metrics: CaptureMetrics): void {
    const detail: CaptureDetail = { kind: this.kind, image, metrics };
    this.dispatchEvent(new CustomEvent('capture', { detail, bubbles: true, composed: true }));
  }

  private headingText(): string {
    if (this.kind === 'selfie') return this.t.selfieTitle;
    if (this.documentType === 'passport') return this.t.passportTitle;
    return this.kind === 'document_front' ? this.t.documentFrontTitle : this.t.documentBackTitle;
  }

  override render() {
    const t = this.t;
    const problem = CAMERA_PROBLEMS.includes(this.camera.state) ? PROBLEM_TEXT[this.camera.state as keyof typeof PROBLEM_TEXT] : undefined;
    const live = this.camera.state === 'live';
    return html`
      <h1 tabindex="-1">${this.headingText()}</h1>
      <p class="hint" ?hidden=${!!problem}>${this.isSelfie ? t.selfieHint : t.documentHint}</p>
      ${problem
        ? html`<div class="problem" role="alert">
            <h2>${t[problem[0]]}</h2>
            <p>${t[problem[1]]}</p>
          </div>`
        : nothing}
      <div class="viewport ${this.isSelfie ? 'mirrored' : ''}" ?hidden=${!!problem}>
        <video aria-label=${t.videoLabel} playsinline muted poster=${this.preview?.still ?? nothing}></video>
        ${this.renderOverlay()}
        ${live ? nothing : html`<p class="viewport-status">${t.startingCamera}</p>`}
      </div>
      <p class="guidance" role="status" aria-live="polite" ?hidden=${!!problem || !this.detection.available}>
        ${live ? t[`guidance_${this.guidance}`] : ''}
      </p>
      <div class="actions">
        ${this.renderFirstAction(!!problem, live)}
        <label class="file ${problem && this.camera.state !== 'blocked' ? 'primary' : 'secondary'}">
          <input type="file" accept="image/*" capture=${this.isSelfie ? 'user' : 'environment'} @change=${this.onFile} />
          <span>${problem ? t.chooseFile : t.useUpload}</span>
        </label>
        ${this.offerPhone || problem
          ? html`<button type="button" class="link" @click=${() => this.dispatchEvent(new CustomEvent('phone', { bubbles: true, composed: true }))}>
              ${t.phoneOffer}
            </button>`
          : nothing}
      </div>
      ${this.uploadError ? html`<p class="error" role="alert">${this.uploadError}</p>` : nothing}
    `;
  }

  /** The shutter; under a camera problem "Try again", or "Continue in a new tab" when the frame may not use the camera. */
  private renderFirstAction(problem: boolean, live: boolean) {
    const t = this.t;
    if (this.camera.state === 'blocked') {
      return html`<button type="button" @click=${() => this.dispatchEvent(new CustomEvent('new-tab', { bubbles: true, composed: true }))}>
        ${t.newTabOffer}
      </button>`;
    }
    if (problem) return html`<button type="button" class="secondary" @click=${() => void this.startCamera()}>${t.tryAgain}</button>`;
    return html`<button type="button" class="shutter" ?disabled=${!live || this.taking} @click=${() => void this.takePhoto(undefined, false)}>
      ${t.shutter}
    </button>`;
  }

  private get videoAspect(): string {
    const video = this.camera.video;
    return video ? `${video.videoWidth} / ${video.videoHeight}` : '4 / 3';
  }

  /** The card-shaped frame to aim at, as fractions of the video: 80% of its width or height. */
  private get aimSize(): { width: number; height: number } {
    const video = this.camera.video;
    const frameAspect = video ? video.videoWidth / video.videoHeight : 4 / 3;
    const cardAspect = aspectOf(this.documentType);
    const height = (0.8 * frameAspect) / cardAspect;
    return height <= 0.8 ? { width: 0.8, height } : { width: (0.8 * cardAspect) / frameAspect, height: 0.8 };
  }

  /** The frame to aim at, and what the worker found, in the video's own coordinates (0..1). */
  private renderOverlay() {
    const analysis = this.detection.analysis;
    const good = (this.detection.goodStreak ?? 0) > 0;
    const aim = this.isSelfie
      ? svg`<ellipse class="aim" cx="0.5" cy="0.48" rx="0.2" ry="0.34"></ellipse>`
      : svg`<rect class="aim" x=${(1 - this.aimSize.width) / 2} y=${(1 - this.aimSize.height) / 2} width=${this.aimSize.width} height=${this.aimSize.height} rx="0.02"></rect>`;
    const found = analysis?.quad
      ? svg`<polygon class="found ${good ? 'good' : ''}" points=${analysis.quad.map((p) => `${p.x},${p.y}`).join(' ')}></polygon>`
      : this.isSelfie
        ? analysis?.faces.slice(0, 3).map((f) => svg`<rect class="found ${good ? 'good' : ''}" x=${f.x} y=${f.y} width=${f.width} height=${f.height}></rect>`)
        : nothing;
    return html`<svg class="overlay" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">${aim}${found}</svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vn-capture': CaptureStep;
  }
}
