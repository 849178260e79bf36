/**
 * The applicant's flow behind a magic link: intro and consent → document type → each capture →
 * review → upload → done. Every move is saved (resume-store.ts), so a reload lands on the same
 * step with the same photos. Loading the page never starts a session: only Start does (link
 * scanners in mail clients open pages too).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Language } from '../contract/common.js';
// Types only: importing values from contract/ would bring zod into the applicant's bundle.
import type { FlowPageData, FlowSession, FlowStatus, Handoff, LinkRefusal } from '../contract/flow.js';
import type { CaptureKind, DocumentType } from '../contract/sessions.js';
import { FlowApiError, flowApi } from './api.js';
import type { CaptureDetail, CapturePreview } from './capture-step.js';
import { isFramed, tellEmbedder } from './embed.js';
import { fallbackCatalogue, loadCatalogue, type Catalogue } from './i18n/index.js';
import type { HandoffTarget } from './phone-handoff.js';
import { handoffTokenInUrl, type ResumeStore, type SavedSession } from './resume-store.js';
import { stepsOf, type StepId } from './steps.js';
import { flowStyles } from './styles.js';
import { Uploader, type UploadState } from './uploader.js';
import './capture-step.js';
import './phone-handoff.js';

const OPEN = ['created', 'in_progress'];
const DOCUMENT_TYPES: DocumentType[] = ['id_card', 'passport', 'driving_licence'];
/** contract/flow.ts's list, copied: importing a value from contract/ would bring zod into the bundle. */
const LINK_REFUSALS = ['link_not_found', 'link_deactivated', 'link_expired', 'link_exhausted', 'no_credits'] as const satisfies readonly LinkRefusal[];
/** Wide screens without touch are desktops: the phone's camera is usually the better one. */
const looksLikeDesktop = () => matchMedia('(pointer: fine) and (min-width: 48rem)').matches;

/**
 * Preview mode (flow/preview.ts, for the designers' demo page): one screen's state, set as is
 * once the catalogue is loaded. Nothing starts: no session, no request, no camera, no worker, and
 * the buttons that would leave the screen do nothing.
 */
export interface FlowPreviewState {
  state: {
    step: StepId;
    documentType?: DocumentType;
    previews?: Map<CaptureKind, string>;
    upload?: UploadState;
    problem?: string;
    handoffTo?: HandoffTarget;
    session?: SavedSession;
  };
  capture?: CapturePreview;
  handoff?: Handoff;
}

@customElement('vn-flow')
export class FlowApp extends LitElement {
  static override styles = [
    flowStyles,
    css`
      :host { box-sizing: border-box; width: min(100%, 36rem); margin: 0 auto; padding: 0.75rem 1rem 2rem; align-self: start; }
      .bar {
        display: grid; grid-template-columns: 1fr auto auto; grid-template-areas: 'merchant language cancel' 'progress progress progress';
        align-items: center; gap: 0.25rem 0.75rem; padding: 0.25rem 0 1rem; font-size: 0.9375rem;
      }
      .merchant { grid-area: merchant; font-weight: 700; overflow-wrap: anywhere; }
      .progress { grid-area: progress; color: var(--vn-muted); }
      .language { grid-area: language; }
      .bar > button { grid-area: cancel; }
      .language select {
        font: inherit; min-height: 2.75rem; padding: 0.25rem 0.5rem; border-radius: var(--vn-radius);
        border: 1px solid color-mix(in srgb, CanvasText 45%, Canvas); background: Canvas; color: inherit;
      }
      .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    `,
  ];

  @property({ attribute: false }) page!: FlowPageData;
  @property({ attribute: false }) linkToken!: string;
  @property({ attribute: false }) preview: FlowPreviewState | undefined;

  @state() private t: Catalogue = fallbackCatalogue;
  @state() private language: Language = 'en';
  @state() private step: StepId | 'loading' | 'error' = 'loading';
  @state() private session: SavedSession | undefined;
  @state() private documentType: DocumentType = 'id_card';
  @state() private consented = false;
  @state() private busy = false;
  @state() private problem = '';
  @state() private previews = new Map<CaptureKind, string>();
  @state() private upload: UploadState | undefined;
  /** Continuing on a phone, or in a new tab (the frame may not use the camera): this page follows. */
  @state() private handoffTo: HandoffTarget | undefined;
  @state() private redirectUrl: string | null = null;
  /** After a retake from the review, go back to the review rather than on through the steps. */
  private returnToReview = false;
  store!: ResumeStore;
  private uploader: Uploader | undefined;
  private readonly stopUploads = new AbortController();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopUploads.abort();
    for (const url of this.previews.values()) URL.revokeObjectURL(url);
  }

  override updated(changed: PropertyValues): void {
    // Each new screen announces itself: focus its heading (screen readers read it, keyboard users start there).
    if (changed.has('step') || changed.has('handoffTo')) {
      void this.updateComplete.then(() => this.focusHeading());
      // The first screen after loading: the embedder may show the frame now.
      if (changed.get('step') === 'loading') tellEmbedder({ type: 'ready' });
      if (this.step !== 'loading') tellEmbedder({ type: 'step', step: this.handoffTo ?? this.step });
    }
  }

  private focusHeading(): void {
    const heading = this.renderRoot.querySelector<HTMLElement>('h1')
      ?? this.renderRoot.querySelector('vn-capture, vn-phone-handoff')?.shadowRoot?.querySelector<HTMLElement>('h1');
    heading?.focus();
  }

  private async boot(): Promise<void> {
    await this.setLanguage(this.page.language);
    if (this.preview) return this.showPreview(this.preview.state);
    const handoffToken = handoffTokenInUrl();
    if (handoffToken) {
      // The fragment held a secret: out of the address bar and the history at once.
      history.replaceState(null, '', location.pathname + location.search);
      await this.redeemHandoff(handoffToken);
    } else {
      await this.resume();
    }
  }

  private showPreview(state: FlowPreviewState['state']): void {
    this.documentType = state.documentType ?? this.documentType;
    this.previews = state.previews ?? this.previews;
    this.upload = state.upload;
    this.problem = state.problem ?? '';
    this.handoffTo = state.handoffTo;
    this.session = state.session;
    this.step = state.step;
  }

  private async setLanguage(language: Language): Promise<void> {
    try {
      this.t = await loadCatalogue(language);
      this.language = language;
    } catch {
      this.t = fallbackCatalogue;
      this.language = 'en';
    }
    document.documentElement.lang = this.language;
    document.title = this.t.introTitle;
    if (this.session) await this.save({ language: this.language });
  }

  /** A fresh start: the intro, unless the link is dead (then only its reason). */
  private begin(): void {
    if (this.page.refusal) this.fail(this.t[`refusal_${this.page.refusal}`], this.page.refusal);
    else this.go('intro');
  }

  /** Back to where this browser was, without taking a use of the link. */
  private async resume(): Promise<void> {
    const saved = await this.store.session();
    if (!saved) return this.begin();
    try {
      const status = await flowApi.status(saved.sessionId, saved.sessionToken);
      if (!OPEN.includes(status.status)) {
        await this.store.clear();
        return status.status === 'expired' ? this.begin() : this.finish(status);
      }
    } catch (error) {
      if (error instanceof FlowApiError && !error.isRetryable) {
        await this.store.clear();
        return this.begin();
      }
      // Offline or a server hiccup: carry on with what is saved; uploads wait for the network.
    }
    this.session = saved;
    this.consented = true;
    this.documentType = saved.documentType ?? 'id_card';
    if (saved.language !== this.language) await this.setLanguage(saved.language);
    await this.loadPreviews();
    this.go(saved.step === 'upload' ? 'review' : saved.step);
    void this.sendInBackground();
  }

  private async redeemHandoff(handoffToken: string): Promise<void> {
    try {
      await this.adopt(await flowApi.redeemHandoff(handoffToken), 'intro');
      this.go('intro');
    } catch (error) {
      this.fail(error instanceof FlowApiError && error.code.startsWith('handoff_') ? this.t.errorHandoff : this.messageOf(error));
    }
  }

  private async adopt(session: FlowSession, step: StepId): Promise<void> {
    this.session = {
      sessionId: session.sessionId,
      sessionToken: session.sessionToken,
      expiresAt: session.expiresAt,
      flow: session.flow,
      language: this.language,
      step,
      documentType: this.session?.documentType,
    };
    this.redirectUrl = session.redirectUrl;
    this.uploader = undefined; // it sends with the session it was made for
    await this.store.saveSession(this.session);
  }

  private async save(changes: Partial<SavedSession>): Promise<void> {
    if (!this.session) return;
    this.session = { ...this.session, ...changes };
    await this.store.saveSession(this.session);
  }

  private go(step: StepId): void {
    if (this.preview) return;
    this.problem = '';
    this.step = step;
    if (this.session && step !== 'done') void this.save({ step });
  }

  private fail(message: string, code = 'flow_error'): void {
    this.problem = message;
    this.step = 'error';
    tellEmbedder({ type: 'error', code, message });
  }

  private get steps(): StepId[] {
    return stepsOf(this.page.flow, this.page.flow === 'selfie' ? undefined : this.documentType);
  }

  private next(): void {
    if (this.returnToReview) {
      this.returnToReview = false;
      return this.go('review');
    }
    const steps = this.steps;
    this.go(steps[steps.indexOf(this.step as StepId) + 1] ?? 'review');
  }

  private async start(): Promise<void> {
    if (this.preview) return;
    if (!this.consented) {
      this.problem = this.t.consentNeeded;
      return;
    }
    this.busy = true;
    this.problem = '';
    try {
      const session = await flowApi.start(this.linkToken, this.session?.sessionToken);
      await this.adopt(session, 'intro');
      if (!OPEN.includes(session.status)) return this.finish(await flowApi.status(session.sessionId, session.sessionToken));
      this.next();
    } catch (error) {
      this.problem = this.messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private messageOf(error: unknown): string {
    if (!(error instanceof FlowApiError)) return this.t.errorUnknown('client');
    if (error.code === 'network') return this.t.errorNetwork;
    if (error.code === 'session_expired') return this.t.errorSessionExpired;
    if (error.code === 'session_closed') return this.t.errorSessionClosed;
    if ((LINK_REFUSALS as readonly string[]).includes(error.code)) return this.t[`refusal_${error.code as (typeof LINK_REFUSALS)[number]}`];
    return this.t.errorUnknown(error.code);
  }

  private async onCapture(event: CustomEvent<CaptureDetail>): Promise<void> {
    const { kind, image, metrics } = event.detail;
    await this.store.saveCapture({ kind, takenAt: Date.now(), image, metrics, uploaded: false });
    const previews = new Map(this.previews);
    if (previews.has(kind)) URL.revokeObjectURL(previews.get(kind)!);
    previews.set(kind, URL.createObjectURL(image));
    this.previews = previews;
    this.next();
    this.sendInBackground();
  }

  /** Starts (or extends) the uploads; a failure here is retried, with the applicant watching, at Send. */
  private sendInBackground(): Promise<void> {
    const session = this.session;
    if (!session) return Promise.resolve();
    this.uploader ??= new Uploader(session, this.store, () => this.captureKinds, (state) => (this.upload = state), this.stopUploads.signal);
    const sending = this.uploader.send();
    sending.catch(() => undefined);
    return sending;
  }

  private async loadPreviews(): Promise<void> {
    const previews = new Map<CaptureKind, string>();
    for (const kind of ['document_front', 'document_back', 'selfie'] as const) {
      const capture = await this.store.capture(kind);
      if (capture) previews.set(kind, URL.createObjectURL(capture.image));
    }
    this.previews = previews;
  }

  private get captureKinds(): CaptureKind[] {
    return this.steps.filter((s): s is `capture:${CaptureKind}` => s.startsWith('capture:')).map((s) => s.slice(8) as CaptureKind);
  }

  private async send(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.go('upload');
    this.problem = '';
    try {
      await this.sendInBackground();
      const status = await flowApi.submit(session.sessionId, session.sessionToken, this.page.flow === 'selfie' ? undefined : this.documentType);
      await this.finish(status);
    } catch (error) {
      if (this.stopUploads.signal.aborted) return;
      this.upload = undefined;
      this.problem = this.messageOf(error);
      if (error instanceof FlowApiError && (error.code === 'session_closed' || error.code === 'session_expired')) this.fail(this.problem);
    }
  }

  private async finish(status: FlowStatus): Promise<void> {
    await this.store.clear();
    this.session = undefined;
    this.handoffTo = undefined;
    this.redirectUrl = status.redirectUrl ?? this.redirectUrl;
    this.step = 'done';
    await this.updateComplete; // the embedder hears 'step: done', then 'complete'
    tellEmbedder({ type: 'complete', sessionId: status.sessionId, status: status.status });
    // Framed, the embedding page decides what comes next; full page, we take the applicant back.
    if (this.redirectUrl && !isFramed) setTimeout(() => location.assign(this.redirectUrl!), 4000);
  }

  override render() {
    if (this.step === 'loading') return html`<p role="status">${this.t.starting}</p>`;
    // Upload is the Send button's doing, not a step of its own; done is no step either.
    const steps: StepId[] = this.steps.filter((s) => s !== 'done' && s !== 'upload');
    const index = steps.indexOf(this.step as StepId);
    return html`
      <header class="bar">
        <span class="merchant">${this.page.merchant}</span>
        ${index > 0 && this.step !== 'upload' && !this.handoffTo ? html`<span class="progress">${this.t.stepOf(index + 1, steps.length)}</span>` : nothing}
        ${this.renderLanguage()}
        ${isFramed && this.step !== 'done' ? html`<button type="button" class="link" @click=${() => tellEmbedder({ type: 'cancel' })}>${this.t.cancel}</button>` : nothing}
      </header>
      <main>${this.handoffTo && this.session ? this.renderHandoff() : this.renderStep()}</main>
    `;
  }

  private renderLanguage() {
    if (this.page.languages.length < 2 || this.step === 'done') return nothing;
    return html`<label class="language">
      <span class="visually-hidden">${this.t.language}</span>
      <select @change=${(e: Event) => void this.setLanguage((e.target as HTMLSelectElement).value as Language)}>
        ${this.page.languages.map((l) => html`<option value=${l} ?selected=${l === this.language} lang=${l}>${LANGUAGE_NAMES[l]}</option>`)}
      </select>
    </label>`;
  }

  private continueElsewhere(target: HandoffTarget): void {
    if (!this.preview) this.handoffTo = target;
  }

  private renderHandoff() {
    return html`<vn-phone-handoff
      .t=${this.t}
      .session=${this.session!}
      .target=${this.handoffTo!}
      .preview=${this.preview?.handoff}
      @phone-close=${() => (this.handoffTo = undefined)}
      @phone-finished=${(e: CustomEvent<FlowStatus>) => void this.finish(e.detail)}
    ></vn-phone-handoff>`;
  }

  private renderStep() {
    const t = this.t;
    switch (this.step) {
      case 'intro':
        return this.renderIntro();
      case 'document_type':
        return html`
          <h1 tabindex="-1">${t.documentTypeTitle}</h1>
          <fieldset>
            <legend class="hint">${t.documentTypeHint}</legend>
            ${DOCUMENT_TYPES.map((type) => html`<label class="choice">
              <input type="radio" name="document-type" value=${type} .checked=${this.documentType === type}
                @change=${() => { this.documentType = type; void this.save({ documentType: type }); }} />
              <span>${t[DOCUMENT_TYPE_LABEL[type]]}</span>
            </label>`)}
          </fieldset>
          <div class="actions">
            <button type="button" @click=${() => { void this.save({ documentType: this.documentType }); this.next(); }}>${t.continue}</button>
            ${looksLikeDesktop() ? html`<button type="button" class="link" @click=${() => this.continueElsewhere('phone')}>${t.phoneOffer}</button>` : nothing}
          </div>`;
      case 'capture:document_front':
      case 'capture:document_back':
      case 'capture:selfie':
        // One element per step (keyed): a step starts with a fresh camera, detection and guidance.
        return keyed(this.step, html`<vn-capture
          .t=${t}
          kind=${this.step.slice(8)}
          documentType=${this.documentType}
          ?offerPhone=${looksLikeDesktop()}
          .preview=${this.preview?.capture}
          @capture=${(e: CustomEvent<CaptureDetail>) => void this.onCapture(e)}
          @phone=${() => this.continueElsewhere('phone')}
          @new-tab=${() => this.continueElsewhere('tab')}
        ></vn-capture>`);
      case 'review':
        return this.renderReview();
      case 'upload':
        return this.renderUpload();
      case 'done':
        return html`
          <h1 tabindex="-1">${t.doneTitle}</h1>
          <p>${t.doneBody(this.page.merchant)}</p>
          ${this.redirectUrl && !isFramed
            ? html`<p class="note">${t.doneRedirecting(this.page.merchant)}</p>
                <div class="actions"><a class="button" href=${this.redirectUrl}>${t.doneRedirect(this.page.merchant)}</a></div>`
            : html`<p class="note">${t.doneClose}</p>`}`;
      default:
        return html`
          <h1 tabindex="-1">${t.errorTitle}</h1>
          <p role="alert">${this.problem}</p>`;
    }
  }

  private renderIntro() {
    const t = this.t;
    const flow = this.page.flow;
    return html`
      <h1 tabindex="-1">${t.introTitle}</h1>
      <p>${t.introAsks(this.page.merchant)}</p>
      <ul>
        ${flow !== 'selfie' ? html`<li>${t.introWhatDocument}</li>` : nothing}
        ${flow !== 'document' ? html`<li>${flow === 'selfie' ? t.introWhatSelfieOnly : t.introWhatSelfie}</li>` : nothing}
      </ul>
      <p>${t.introWhy}</p>
      <p class="hint">${flow === 'selfie' ? t.introTipsSelfie : t.introTips}</p>
      <label class="check">
        <input type="checkbox" .checked=${this.consented} @change=${(e: Event) => { this.consented = (e.target as HTMLInputElement).checked; this.problem = ''; }} />
        <span>${t.consent(this.page.merchant)}</span>
      </label>
      <div class="actions">
        <button type="button" ?disabled=${this.busy} @click=${() => void this.start()}>${this.busy ? t.starting : t.start}</button>
      </div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}`;
  }

  private renderReview() {
    const t = this.t;
    const kinds = this.captureKinds;
    const missing = kinds.filter((k) => !this.previews.has(k));
    return html`
      <h1 tabindex="-1">${t.reviewTitle}</h1>
      <p class="hint">${t.reviewHint}</p>
      <ul class="review">
        ${kinds.map((kind) => html`<li><figure>
          ${this.previews.has(kind) ? html`<img src=${this.previews.get(kind)!} alt=${t[`kind_${kind}`]} />` : nothing}
          <figcaption>${t[`kind_${kind}`]}</figcaption>
          <button type="button" class="secondary" aria-label=${t.retakeNamed(t[`kind_${kind}`])}
            @click=${() => { this.returnToReview = missing.length === 0; this.go(`capture:${kind}`); }}>${t.retake}</button>
        </figure></li>`)}
      </ul>
      <div class="actions">
        <button type="button" ?disabled=${missing.length > 0} @click=${() => void this.send()}>${t.send}</button>
      </div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}`;
  }

  private renderUpload() {
    const t = this.t;
    const upload = this.upload;
    const kinds = this.captureKinds;
    const current = upload ? kinds.indexOf(upload.kind) : 0;
    const fraction = upload?.phase === 'sending' ? (current + upload.fraction) / kinds.length : current / kinds.length;
    const percent = Math.round(fraction * 100);
    return html`
      <h1 tabindex="-1">${t.uploadTitle}</h1>
      <progress max="100" .value=${percent} aria-label=${t.uploadTitle}></progress>
      <p role="status" aria-live="polite">
        ${upload?.phase === 'retrying' ? t.uploadRetrying(upload.seconds) : upload?.phase === 'offline' ? t.uploadOffline : t.uploadProgress(percent)}
      </p>
      ${this.problem
        ? html`<p class="error" role="alert">${t.uploadFailed} ${this.problem}</p>
            <div class="actions">
              <button type="button" @click=${() => void this.send()}>${t.tryAgain}</button>
              <button type="button" class="secondary" @click=${() => this.go('review')}>${t.back}</button>
            </div>`
        : nothing}`;
  }
}

const DOCUMENT_TYPE_LABEL: Record<DocumentType, 'idCard' | 'passport' | 'drivingLicence'> = {
  id_card: 'idCard',
  passport: 'passport',
  driving_licence: 'drivingLicence',
};

/** Each language in its own name, so the applicant finds theirs whatever the page speaks now. */
const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English', de: 'Deutsch', es: 'Español', fr: 'Français', it: 'Italiano', lt: 'Lietuvių', nl: 'Nederlands', pt: 'Português',
};

declare global {
  interface HTMLElementTagNameMap {
    'vn-flow': FlowApp;
  }
}
