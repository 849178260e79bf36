import { html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Flow, Link } from '../../contract/links.js';
import { api } from '../api.js';
import { FLOW_LABELS, LANGUAGE_NAMES, timeZoneName } from '../format.js';
import { LightElement } from '../light-element.js';

type Usage = 'single' | 'multi' | 'unlimited';

/**
 * "Create New Magic Link", in a modal dialog: exactly the seed's settings (name, flow, usage
 * limit, optional expiry with its time zone, language). `open(template?)` starts it empty or
 * like an existing link ("create a new link like this"); emits `link-created` with the link.
 */
@customElement('vn-link-form')
export class LinkForm extends LightElement {
  @state() private usage: Usage = 'single';
  @state() private expires = false;
  @state() private busy = false;
  @state() private problem = '';
  @state() private template: Link | undefined;
  /** Each opening gets a fresh form (keyed): nothing typed last time stays. */
  @state() private generation = 0;
  @query('dialog') private dialog!: HTMLDialogElement;
  @property({ attribute: false }) returnFocus: HTMLElement | undefined;

  open(template?: Link): void {
    this.template = template;
    this.usage = !template || template.usageLimit === 1 ? 'single' : template.usageLimit === null ? 'unlimited' : 'multi';
    this.expires = false;
    this.problem = '';
    this.generation++;
    void this.updateComplete.then(() => this.dialog.showModal());
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const usageLimit = this.usage === 'single' ? 1 : this.usage === 'unlimited' ? null : Number(data.get('limit'));
    const expiresLocal = String(data.get('expiresAt') ?? '');
    if (this.usage === 'multi' && !(Number.isInteger(usageLimit) && (usageLimit ?? 0) >= 2)) {
      this.problem = 'A multi-use link needs a number of uses, 2 or more.';
      return;
    }
    if (this.expires && !expiresLocal) {
      this.problem = 'Choose when the link expires, or untick "Expires".';
      return;
    }
    this.busy = true;
    this.problem = '';
    try {
      const link = await api.post<Link>('/api/v1/links', {
        name: String(data.get('name')),
        flow: data.get('flow') as Flow,
        usageLimit,
        // The input is in the browser's time zone; the API takes an instant.
        expiresAt: this.expires ? new Date(expiresLocal).toISOString() : null,
        language: String(data.get('language')),
      });
      this.dialog.close();
      this.dispatchEvent(new CustomEvent('link-created', { detail: link, bubbles: true }));
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = this.template;
    const minimum = new Date(Date.now() + 5 * 60_000);
    const localMinimum = new Date(minimum.getTime() - minimum.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    return html`<dialog aria-labelledby="link-form-title" @close=${() => this.returnFocus?.focus()}>
      ${keyed(this.generation, html`<form @submit=${this.submit}>
        <h2 id="link-form-title">${t ? 'New link like this one' : 'New magic link'}</h2>
        <label class="field">Name
          <input type="text" name="name" required maxlength="120" .value=${t ? `${t.name} (new)` : ''} placeholder="e.g. Onboarding, March" />
        </label>
        <fieldset>
          <legend>Verification flow</legend>
          ${(Object.keys(FLOW_LABELS) as Flow[]).map((flow) => html`<label class="choice">
            <input type="radio" name="flow" value=${flow} .checked=${(t?.flow ?? 'document+selfie') === flow} /> ${FLOW_LABELS[flow]}
          </label>`)}
        </fieldset>
        <fieldset>
          <legend>Usage limit</legend>
          <label class="choice"><input type="radio" name="usage" .checked=${this.usage === 'single'} @change=${() => (this.usage = 'single')} /> Single-use</label>
          <label class="choice"><input type="radio" name="usage" .checked=${this.usage === 'multi'} @change=${() => (this.usage = 'multi')} /> Multi-use</label>
          ${this.usage === 'multi'
            ? html`<label class="field inline-number">Number of uses
                <input type="number" name="limit" min="2" max="1000000" step="1" required .value=${String(t?.usageLimit && t.usageLimit > 1 ? t.usageLimit : 10)} />
              </label>`
            : nothing}
          <label class="choice"><input type="radio" name="usage" .checked=${this.usage === 'unlimited'} @change=${() => (this.usage = 'unlimited')} /> Unlimited</label>
        </fieldset>
        <fieldset>
          <legend>Expiration</legend>
          <label class="choice"><input type="checkbox" .checked=${this.expires} @change=${(e: Event) => (this.expires = (e.target as HTMLInputElement).checked)} /> Expires</label>
          ${this.expires
            ? html`<label class="field">Expires at
                <input type="datetime-local" name="expiresAt" required min=${localMinimum} />
                <span class="hint">Time zone: ${timeZoneName()}</span>
              </label>`
            : html`<p class="hint">Without an expiry, the link works until its uses run out or you deactivate it.</p>`}
        </fieldset>
        <label class="field">Language
          <select name="language">
            ${Object.entries(LANGUAGE_NAMES).map(([code, name]) => html`<option value=${code} lang=${code} ?selected=${(t?.language ?? 'en') === code}>${name}</option>`)}
          </select>
        </label>
        <p class="callout">The usage limit and the expiry can never be changed later: a link is not extended or refreshed. Create a new one instead.</p>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
        <div class="actions">
          <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Creating…' : 'Create link'}</button>
          <button type="button" class="secondary" @click=${() => this.dialog.close()}>Cancel</button>
        </div>
      </form>`)}
    </dialog>`;
  }
}
