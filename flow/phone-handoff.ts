/**
 * Continuing elsewhere with the same session: "on your phone" (a QR code and a link that carry
 * this session to a phone: a single-use handoff token, valid 10 minutes, in the URL's fragment so
 * no server log sees it) or, when the frame around the flow may not use the camera, "in a new
 * tab" (the same kind of link, opened in a tab of this browser). Then this page follows the
 * session's progress and finishes when the other one has sent everything.
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

export type HandoffTarget = 'phone' | 'tab';

@customElement('vn-phone-handoff')
export class PhoneHandoff extends LitElement {
  static override styles = flowStyles;

  @property({ attribute: false }) t!: Catalogue;
  @property({ attribute: false }) session!: { sessionId: string; sessionToken: string };
  @property() target: HandoffTarget = 'phone';
  /** Preview mode (flow/preview.ts): this made-up handoff is shown as is; the server is never asked. */
  @property({ attribute: false }) preview: Handoff | undefined;

  @state() private handoff: Handoff | undefined;
  /** The new tab: undefined until tried, false when the browser blocked it (then a link opens it). */
  @state() private tabOpened: boolean | undefined;
  @state() private progress: FlowStatus | undefined;
  @state() private expired = false;
  @state() private copied = false;
  @state() private problem = '';
  #timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.preview) {
      this.handoff = this.preview;
      return;
    }
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
      if (this.target === 'tab') this.openTab(this.handoff.url);
    } catch (error) {
      this.problem = error instanceof FlowApiError && error.code === 'network' ? this.t.errorNetwork : this.t.errorUnknown(String((error as FlowApiError).code ?? 'error'));
    }
  }

  private openTab(url: string): void {
    // Not window.open's 'noopener': with it, window.open answers null whether or not a tab opened,
    // and a blocked popup could not be told from an open one. The tab's link to us is cut here.
    const tab = window.open(url, '_blank');
    try {
      if (tab) tab.opener = null;
    } catch {
      // A browser that already counts the tab as another origin's refuses this; the tab is open all the same.
    }
    this.tabOpened = tab !== null;
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
    const text = this.target === 'tab'
      ? { title: t.tabTitle, hint: t.tabHint, waiting: t.tabWaiting, progress: t.tabProgress, expired: t.tabExpired, renew: t.tabNewLink, close: t.back }
      : { title: t.phoneTitle, hint: t.phoneHint, waiting: t.phoneWaiting, progress: t.phoneProgress, expired: t.phoneExpired, renew: t.phoneNewCode, close: t.phoneStayHere };
    const required = this.progress?.steps.filter((s) => s.required) ?? [];
    const done = required.filter((s) => s.done).length;
    // An opened tab took its link at once: only a link still waiting to be used can expire on screen.
    const expired = this.expired && !this.tabOpened;
    return html`
      <h1 tabindex="-1">${text.title}</h1>
      <p class="hint">${text.hint}</p>
      ${this.handoff && !expired ? (this.target === 'tab' ? this.renderTabLink(this.handoff) : this.renderCode(this.handoff)) : nothing}
      ${expired
        ? html`<p class="note">${text.expired}</p>
            <div class="actions"><button type="button" @click=${() => void this.newCode()}>${text.renew}</button></div>`
        : nothing}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      <p role="status" aria-live="polite">${done > 0 ? text.progress(done, required.length) : text.waiting}</p>
      <div class="actions">
        <button type="button" class="link" @click=${() => this.dispatchEvent(new CustomEvent('phone-close', { bubbles: true, composed: true }))}>
          ${text.close}
        </button>
      </div>
    `;
  }

  private renderCode(handoff: Handoff) {
    const t = this.t;
    return html`<img class="qr" alt=${t.phoneQrAlt} src=${`data:image/svg+xml;charset=utf-8,${encodeURIComponent(handoff.qrSvg)}`} />
      <p class="url">${handoff.url}</p>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => void this.copy()}>${t.phoneCopy}</button>
        <span role="status" class="ok">${this.copied ? t.phoneCopied : ''}</span>
      </div>`;
  }

  /** Only when the browser blocked the new tab: a link the applicant opens it with. */
  private renderTabLink(handoff: Handoff) {
    if (this.tabOpened !== false) return nothing;
    return html`<p class="note">${this.t.tabPopupBlocked}</p>
      <div class="actions">
        <a class="button" href=${handoff.url} target="_blank" rel="noopener" @click=${() => (this.tabOpened = true)}>${this.t.tabOpen}</a>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vn-phone-handoff': PhoneHandoff;
  }
}
