/**
 * The `<verify-now>` element: a button that opens the hosted flow in a modal, on the merchant's own
 * page. Kept to Lit alone: this file is what every merchant's visitor downloads, whether or not
 * they verify; the flow's weight loads only when the modal opens (an iframe made at that moment).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { labelsFor, type WidgetLabels } from './labels.js';
import { parseLink, widgetServerOrigin } from './link.js';

export interface VerifyCompleteDetail {
  sessionId: string;
  status: string;
}
export interface VerifyErrorDetail {
  code: string;
  message: string;
}
/** Where a close request came from. */
export type CloseReason = 'escape' | 'close-button' | 'flow' | 'method';
export interface VerifyCancelDetail {
  reason: Exclude<CloseReason, 'method'>;
}

declare global {
  interface HTMLElementTagNameMap {
    'verify-now': VerifyNow;
  }
  interface HTMLElementEventMap {
    'verify-complete': CustomEvent<VerifyCompleteDetail>;
    'verify-cancel': CustomEvent<VerifyCancelDetail>;
    'verify-error': CustomEvent<VerifyErrorDetail>;
  }
}

/** The flow's messages (flow/embed.ts), as they arrive: untrusted until checked. */
interface FlowMessage {
  source: 'verify-now';
  type: 'ready' | 'step' | 'complete' | 'cancel' | 'error';
  reason?: unknown;
  sessionId?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * The script's own URL, read while it is evaluated: `document.currentScript` is set only then, and
 * only for a classic script (the IIFE build); a module has `import.meta.url`.
 */
const SCRIPT_URL: string | undefined = (document.currentScript as HTMLScriptElement | null)?.src || import.meta.url;

/** How long the flow may take to say `ready` before the modal offers a new tab instead. */
export const DEFAULT_LOAD_TIMEOUT_MS = 15_000;

/** Where the modal is: closed, waiting for the flow's `ready`, showing the flow, or given up on it. */
type FlowState = 'closed' | 'loading' | 'ready' | 'unreachable';

/**
 * A button that opens identity verification in a modal dialog on the merchant's page.
 *
 * @example
 * <script type="module" src="https://verify.example/widget/verify-now.js"></script>
 * <verify-now link="https://verify.example/v/TOKEN" language="de"></verify-now>
 * <script>
 *   document.querySelector('verify-now').addEventListener('verify-complete', (e) => save(e.detail.sessionId));
 * </script>
 *
 * @tag verify-now
 *
 * @slot - The button's label. Default: "Verify now" in `language`.
 *
 * @event {CustomEvent<VerifyCompleteDetail>} verify-complete - The applicant sent their photos. `detail: {sessionId, status}`. The modal stays open on the flow's thank-you page until the applicant (or `close()`) closes it.
 * @event {CustomEvent<VerifyCancelDetail>} verify-cancel - The applicant left before finishing: the flow's Cancel, Escape or the close button. `detail: {reason}`. Not sent for `close()`.
 * @event {CustomEvent<VerifyErrorDetail>} verify-error - The flow failed in a way it could not recover from, or never loaded in the modal (`flow_unreachable`, after `loadTimeoutMs`). `detail: {code, message}`.
 *
 * @csspart button - The button that opens the modal.
 * @csspart dialog - The modal `<dialog>`.
 * @csspart close-button - The modal's close button.
 * @csspart frame - The `<iframe>` holding the flow.
 *
 * @cssproperty --verify-now-font - Font of the button. Default: inherited.
 * @cssproperty --verify-now-button-background - Default: #1a56db.
 * @cssproperty --verify-now-button-color - Default: #fff.
 * @cssproperty --verify-now-radius - Corner radius of the button and the dialog. Default: 0.5rem.
 * @cssproperty --verify-now-dialog-width - Default: min(40rem, 100vw - 2rem).
 * @cssproperty --verify-now-dialog-height - Default: min(52rem, 100dvh - 2rem).
 * @cssproperty --verify-now-backdrop - Colour behind the modal. Default: rgb(0 0 0 / 0.55).
 */
export class VerifyNow extends LitElement {
  static override styles = css`
    :host { display: inline-block; }
    :host([hidden]) { display: none; }
    [part='button'] {
      font: inherit; font-family: var(--verify-now-font, inherit); font-weight: 600;
      min-height: 44px; padding: 0.6em 1.2em; cursor: pointer; border: 0;
      border-radius: var(--verify-now-radius, 0.5rem);
      background: var(--verify-now-button-background, #1a56db); color: var(--verify-now-button-color, #fff);
    }
    [part='button']:focus-visible { outline: 3px solid var(--verify-now-button-background, #1a56db); outline-offset: 2px; }
    [part='button']:disabled { cursor: not-allowed; opacity: 0.5; }
    dialog {
      box-sizing: border-box; padding: 0; border: 0; overflow: hidden;
      width: var(--verify-now-dialog-width, min(40rem, 100vw - 2rem));
      height: var(--verify-now-dialog-height, min(52rem, 100dvh - 2rem));
      max-width: 100vw; max-height: 100dvh;
      border-radius: var(--verify-now-radius, 0.5rem); background: #fff;
    }
    dialog[open] { display: flex; flex-direction: column; }
    dialog::backdrop { background: var(--verify-now-backdrop, rgb(0 0 0 / 0.55)); }
    @media (max-width: 599.98px) {
      dialog { width: 100vw; height: 100dvh; margin: 0; border-radius: 0; }
    }
    .bar { display: flex; justify-content: flex-end; }
    [part='close-button'] {
      min-width: 44px; min-height: 44px; border: 0; background: transparent; color: #222;
      font: 1.75rem/1 system-ui, sans-serif; cursor: pointer;
    }
    [part='close-button']:focus-visible { outline: 3px solid #1a56db; outline-offset: -3px; }
    /* The frame and the status share one cell: the status shows over the frame while it loads. */
    .body { flex: 1; display: grid; min-height: 0; }
    .body > * { grid-area: 1 / 1; }
    iframe { width: 100%; height: 100%; border: 0; }
    /* Transparent rather than hidden: Chromium throttles hidden frames, which would slow the load. */
    iframe.loading { opacity: 0; }
    .status { align-self: center; justify-self: center; padding: 1rem; text-align: center; color: #222; font: 1rem/1.5 system-ui, sans-serif; }
    .status a {
      display: inline-block; min-height: 44px; box-sizing: border-box; padding: 0.6em 1.2em; font-weight: 600; text-decoration: none;
      border-radius: var(--verify-now-radius, 0.5rem);
      background: var(--verify-now-button-background, #1a56db); color: var(--verify-now-button-color, #fff);
    }
    .status a:focus-visible { outline: 3px solid var(--verify-now-button-background, #1a56db); outline-offset: 2px; }
    .sr-only {
      position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
      overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
    }
  `;

  /** The link's URL, as the API answered it (`https://host/v/TOKEN`). */
  @property() link = '';
  /** The language of the button and the modal's own labels: en, de, es, fr, it, lt, nl or pt. */
  @property() language = '';
  /**
   * How long (ms) the flow may take to say it is ready once the modal opens; past it the modal
   * offers the link in a new tab and sends `verify-error` `flow_unreachable`. Default: 15000.
   */
  @property({ attribute: false }) loadTimeoutMs = DEFAULT_LOAD_TIMEOUT_MS;

  @state() private flowState: FlowState = 'closed';
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('[part=button]') private button!: HTMLButtonElement;
  @query('iframe') private frame!: HTMLIFrameElement | null;

  private linkUrl: URL | undefined;
  private reportedProblem = '';
  private closeReason: CloseReason = 'method';
  private completed = false;
  private restoreOverflow = '';
  private loadTimer: ReturnType<typeof setTimeout> | undefined;

  private get isOpen(): boolean {
    return this.flowState !== 'closed';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('message', this.onMessage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.onMessage);
    clearTimeout(this.loadTimer);
    if (this.isOpen) this.dialog?.close();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('link')) return;
    const parsed = parseLink(this.link, widgetServerOrigin(SCRIPT_URL));
    this.linkUrl = 'url' in parsed ? parsed.url : undefined;
    if ('problem' in parsed && parsed.problem !== this.reportedProblem) {
      // One message per mistake, however often Lit re-renders: a merchant reads the console once.
      console.error(`<verify-now>: ${parsed.problem} The button stays disabled until it is fixed.`);
    }
    this.reportedProblem = 'problem' in parsed ? parsed.problem : '';
    if (!this.linkUrl && this.isOpen) this.close();
  }

  /** Opens the modal and loads the flow in it. Does nothing while the link is missing or wrong. */
  open(): void {
    if (!this.linkUrl || this.isOpen) return;
    this.completed = false;
    this.closeReason = 'method';
    this.flowState = 'loading';
    this.loadTimer = setTimeout(this.onLoadTimeout, this.loadTimeoutMs);
    // Modal dialogs leave the page behind scrollable; the applicant would scroll it by accident.
    this.restoreOverflow = document.documentElement.style.overflow;
    document.documentElement.style.overflow = 'hidden';
    this.dialog.showModal();
  }

  /** Closes the modal and drops the flow (its camera with it). Sends no `verify-cancel`. */
  close(): void {
    this.requestClose('method');
  }

  private requestClose(reason: CloseReason): void {
    if (!this.isOpen) return;
    this.closeReason = reason;
    this.dialog.close();
  }

  private onDialogCancel = () => {
    this.closeReason = 'escape';
  };

  private onDialogClose = async () => {
    if (!this.isOpen) return;
    this.flowState = 'closed';
    clearTimeout(this.loadTimer);
    document.documentElement.style.overflow = this.restoreOverflow;
    const reason = this.closeReason;
    if (!this.completed && reason !== 'method') this.emit('verify-cancel', { reason });
    // The dialog gives the focus back to the button as it closes, but the button is still disabled
    // (loading) then: give it again once it is enabled.
    await this.updateComplete;
    if (!this.isOpen) this.button?.focus();
  };

  /**
   * The flow never said `ready`: its server refused to be framed here (the page's origin is not
   * in the account's embedOrigins), the page's CSP refused the frame, the network failed, or the
   * link is unknown (that page runs no script).
   */
  private onLoadTimeout = () => {
    if (this.flowState !== 'loading' || !this.linkUrl) return;
    this.flowState = 'unreachable';
    const flowOrigin = this.linkUrl.origin;
    console.error(
      `<verify-now>: the verification flow from ${flowOrigin} did not load in the modal within ${this.loadTimeoutMs / 1000} s. ` +
        `Most likely this page's origin (${location.origin}) is not among the account's embedOrigins ` +
        `(PATCH ${flowOrigin}/api/v1/account {"embedOrigins": ["${location.origin}"]}), ` +
        `or this page's Content-Security-Policy lacks \`frame-src ${flowOrigin}\` (else: is the link known to that server?). ` +
        'The modal offers the link in a new tab instead.',
    );
    this.emit('verify-error', { code: 'flow_unreachable', message: `The verification flow from ${flowOrigin} did not load in the modal.` });
  };

  private onMessage = (event: MessageEvent) => {
    // Believe only our own frame, from the link's origin: any other frame or window may post too.
    const frameWindow = this.frame?.contentWindow;
    if (!this.linkUrl || !frameWindow || event.source !== frameWindow || event.origin !== this.linkUrl.origin) return;
    const data = event.data as FlowMessage | null;
    if (typeof data !== 'object' || data === null || data.source !== 'verify-now') return;
    if ((data.type === 'ready' || data.type === 'step') && this.flowState === 'loading') {
      clearTimeout(this.loadTimer);
      this.flowState = 'ready';
    } else if (data.type === 'complete' && typeof data.sessionId === 'string') {
      this.completed = true;
      this.emit('verify-complete', { sessionId: data.sessionId, status: String(data.status ?? '') });
    } else if (data.type === 'cancel') {
      this.requestClose(data.reason === 'escape' ? 'escape' : 'flow');
    } else if (data.type === 'error') {
      this.emit('verify-error', { code: String(data.code ?? 'flow_error'), message: String(data.message ?? '') });
    }
  };

  private emit<K extends 'verify-complete' | 'verify-cancel' | 'verify-error'>(type: K, detail: HTMLElementEventMap[K]['detail']): void {
    /** @ignore The events are listed in the class's JSDoc (the manifest would list one named `type`). */
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  protected override render() {
    const labels: WidgetLabels = labelsFor(this.language || document.documentElement.lang);
    const isLoading = this.flowState === 'loading';
    return html`<button part="button" type="button" ?disabled=${!this.linkUrl || isLoading} aria-busy=${isLoading ? 'true' : nothing}
        @click=${() => this.open()}>
        <slot>${labels.verifyNow}</slot>
      </button>
      <dialog part="dialog" aria-labelledby="title" @cancel=${this.onDialogCancel} @close=${this.onDialogClose}>
        <div class="bar">
          <h2 id="title" class="sr-only">${labels.title}</h2>
          <button part="close-button" type="button" autofocus aria-label=${labels.close} @click=${() => this.requestClose('close-button')}>×</button>
        </div>
        <div class="body">
          ${(isLoading || this.flowState === 'ready') && this.linkUrl
            ? html`<iframe part="frame" class=${isLoading ? 'loading' : ''} title=${labels.title} src=${this.linkUrl.href} allow="camera; fullscreen"></iframe>`
            : nothing}
          <div class="status" role="status">${isLoading
            ? html`<p>${labels.loading}</p>`
            : this.flowState === 'unreachable' && this.linkUrl
              ? html`<p>${labels.unreachable}</p><p><a href=${this.linkUrl.href} target="_blank" rel="noopener">${labels.openInNewTab}</a></p>`
              : nothing}</div>
        </div>
      </dialog>`;
  }
}

// A page that loads the script twice (the module and the classic build, say) keeps the first, and
// hears about it once however many copies follow.
const LOADED_TWICE = Symbol.for('verify-now.loaded-twice');
if (!customElements.get('verify-now')) {
  customElements.define('verify-now', VerifyNow);
} else if (!(globalThis as { [LOADED_TWICE]?: boolean })[LOADED_TWICE]) {
  (globalThis as { [LOADED_TWICE]?: boolean })[LOADED_TWICE] = true;
  console.warn('<verify-now>: the widget script is loaded more than once; the first copy is used. Include it once.');
}
