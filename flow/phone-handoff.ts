/**
 * "Continue on your phone": a QR code and a link that carry this session to a phone (a
 * single-use handoff token, valid 10 minutes, in the URL's fragment so no server log sees it),
 * then this page follows the phone's progress and finishes when the phone has sent everything.
 * Emits `phone-finished` (detail: the final FlowStatus) and `phone-close`.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FlowStatus } from '../contract/flow.js';
import { FlowApiError, flowApi, type Handoff } from './api.js';
import type { Catalogue } from './i18n/index.js';
import { flowStyles } from './styles.js';

const POLL_INTERVAL_MS = 2000;
const OPEN = ['created', 'in_progress'];

@customElement('vn-phone-handoff')
export class PhoneHandoff extends LitElement {
  static override styles = flowStyles;

  @property({ attribute: false }) t!: Catalogue;
  @property({ attribute: false }) session!: { sessionId: string; sessionToken: string };

  @state() private handoff: Handoff | undefined;
  @state() private progress: FlowStatus | undefined;
  @state() private expired = false;
  @state() private copied = false;
  @state() private problem = '';
  #timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.newCode();
    this.#timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  private async newCode(): Promise<void> {
    this.problem = '';
    this.expired = false;
    try {
      this.handoff = await flowApi.createHandoff(this.session.sessionId, this.session.sessionToken);
    } catch (error) {
      this.problem = error instanceof FlowApiError && error.code === 'network' ? this.t.errorNetwork : this.t.errorUnknown(String((error as FlowApiError).code ?? 'error'));
    }
  }

  private async poll(): Promise<void> {
    if (this.handoff && Date.parse(this.handoff.expiresAt) <= Date.now()) this.expired = true;
    try {
      const status = await flowApi.status(this.session.sessionId, this.session.sessionToken);
      this.progress = status;
      if (!OPEN.includes(status.status)) {
        clearInterval(this.#timer);
        this.dispatchEvent(new CustomEvent('phone-finished', { detail: status, bubbles: true, composed: true }));
      }
    } catch {
      // A missed poll is retried at the next tick; the phone's work is safe on the server.
    }
  }

  private async copy(): Promise<void> {
    if (!this.handoff) return;
    try {
      await navigator.clipboard.writeText(this.handoff.url);
      this.copied = true;
    } catch {
      this.copied = false;
    }
  }

  override render() {
    const t = this.t;
    const required = this.progress?.steps.filter((s) => s.required) ?? [];
    const done = required.filter((s) => s.done).length;
    return html`
      <h1 tabindex="-1">${t.phoneTitle}</h1>
      <p class="hint">${t.phoneHint}</p>
      ${this.handoff && !this.expired
        ? html`<img class="qr" alt=${t.phoneQrAlt} src=${`data:image/svg+xml;charset=utf-8,${encodeURIComponent(this.handoff.qrSvg)}`} />
            <p class="url">${this.handoff.url}</p>
            <div class="actions">
              <button type="button" class="secondary" @click=${() => void this.copy()}>${t.phoneCopy}</button>
              <span role="status" class="ok">${this.copied ? t.phoneCopied : ''}</span>
            </div>`
        : nothing}
      ${this.expired
        ? html`<p class="note">${t.phoneExpired}</p>
            <div class="actions"><button type="button" @click=${() => void this.newCode()}>${t.phoneNewCode}</button></div>`
        : nothing}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      <p role="status" aria-live="polite">${done > 0 ? t.phoneProgress(done, required.length) : t.phoneWaiting}</p>
      <div class="actions">
        <button type="button" class="link" @click=${() => this.dispatchEvent(new CustomEvent('phone-close', { bubbles: true, composed: true }))}>
          ${t.phoneStayHere}
        </button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vn-phone-handoff': PhoneHandoff;
  }
}
