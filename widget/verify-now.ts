/**
 * The `<verify-now>` element: a button that opens the hosted flow in a modal, on the merchant's own
 * page. Kept to Lit alone: this file is what every merchant's visitor downloads, whether or not
 * they verify; the flow's weight loads only when the modal opens (an iframe made at that moment).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { labelsFor, type WidgetLabels } from './labels.js';

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

const LINK_PATH = /^\/v\/[A-Za-z0-9_~.-]+\/?$/;

/** The link's URL, or why a merchant's `link` attribute cannot be one. */
export function parseLink(link: string | null | undefined): { url: URL } | { problem: string } {
  if (!link) return { problem: 'the `link` attribute is missing. Set it to the link URL the API answered, e.g. <verify-now link="https://verify.example/v/TOKEN">.' };
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { problem: `the \`link\` attribute "${link}" is not an absolute URL. Use the link's full "url" from the API.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `the \`link\` "${link}" must be an https:// URL.` };
  if (!LINK_PATH.test(url.pathname)) return { problem: `the \`link\` "${link}" is not a verification link: its path must be /v/TOKEN.` };
  return { url };
}

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
 * @event verify-complete - The applicant sent their photos. `detail: {sessionId, status}`. The modal stays open on the flow's thank-you page until the applicant (or `close()`) closes it.
 * @event verify-cancel - The applicant left before finishing: the flow's Cancel, Escape or the close button. `detail: {reason}`. Not sent for `close()`.
 * @event verify-error - The flow failed in a way it could not recover from. `detail: {code, message}`.
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
    iframe { flex: 1; width: 100%; border: 0; }
    .sr-only {
      position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
      overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
    }
  `;

  /** The link's URL, as the API answered it (`https://host/v/TOKEN`). */
  @property() link = '';
  /** The language of the button and the modal's own labels: en, de, es, fr, it, lt, nl or pt. */
  @property() language = '';

  @state() private isOpen = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('[part=button]') private button!: HTMLButtonElement;
  @query('iframe') private frame!: HTMLIFrameElement | null;

  private linkUrl: URL | undefined;
  private reportedProblem = '';
  private closeReason: CloseReason = 'method';
  private completed = false;
  private restoreOverflow = '';

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('message', this.onMessage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.onMessage);
    if (this.isOpen) this.dialog?.close();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('link')) return;
    const parsed = parseLink(this.link);
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
    this.isOpen = true;
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

  private onDialogClose = () => {
    if (!this.isOpen) return;
    this.isOpen = false;
    document.documentElement.style.overflow = this.restoreOverflow;
    this.button?.focus();
    const reason = this.closeReason;
    if (!this.completed && reason !== 'method') this.emit('verify-cancel', { reason });
  };

  private onMessage = (event: MessageEvent) => {
    // Believe only our own frame, from the link's origin: any other frame or window may post too.
    const frameWindow = this.frame?.contentWindow;
    if (!this.linkUrl || !frameWindow || event.source !== frameWindow || event.origin !== this.linkUrl.origin) return;
    const data = event.data as FlowMessage | null;
    if (typeof data !== 'object' || data === null || data.source !== 'verify-now') return;
    if (data.type === 'complete' && typeof data.sessionId === 'string') {
      this.completed = true;
      this.emit('verify-complete', { sessionId: data.sessionId, status: String(data.status ?? '') });
    } else if (data.type === 'cancel') {
      this.requestClose(data.reason === 'escape' ? 'escape' : 'flow');
    } else if (data.type === 'error') {
      this.emit('verify-error', { code: String(data.code ?? 'flow_error'), message: String(data.message ?? '') });
    }
  };

  private emit<K extends 'verify-complete' | 'verify-cancel' | 'verify-error'>(type: K, detail: HTMLElementEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  protected override render() {
    const labels: WidgetLabels = labelsFor(this.language || document.documentElement.lang);
    return html`<button part="button" type="button" ?disabled=${!this.linkUrl} @click=${() => this.open()}>
        <slot>${labels.verifyNow}</slot>
      </button>
      <dialog part="dialog" aria-labelledby="title" @cancel=${this.onDialogCancel} @close=${this.onDialogClose}>
        <div class="bar">
          <h2 id="title" class="sr-only">${labels.title}</h2>
          <button part="close-button" type="button" autofocus aria-label=${labels.close} @click=${() => this.requestClose('close-button')}>×</button>
        </div>
        ${this.isOpen && this.linkUrl
          ? html`<iframe part="frame" title=${labels.title} src=${this.linkUrl.href} allow="camera; fullscreen"></iframe>`
          : nothing}
      </dialog>`;
  }
}

// A page that loads the script twice (the module and the classic build, say) keeps the first.
if (customElements.get('verify-now')) {
  console.warn('<verify-now>: the widget script is loaded more than once; the first copy is used. Include it once.');
} else {
  customElements.define('verify-now', VerifyNow);
}
