import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Link } from '../../contract/links.js';
import { api } from '../api.js';
import { LightElement } from '../light-element.js';

interface ShareAnswer {
  channel: 'email' | 'sms';
  delivered: 'smtp' | 'outbox' | 'provider';
  smsLink?: string;
}

/**
 * Send a link by email or SMS from the dashboard. The address or number goes to the server for
 * this one message and is kept nowhere; the form forgets it once sent. When the server has no
 * mail or SMS provider configured, it says the message went to its outbox instead.
 */
@customElement('vn-share-panel')
export class SharePanel extends LightElement {
  @property({ attribute: false }) link!: Link;
  @state() private channel: 'email' | 'sms' = 'email';
  @state() private busy = false;
  @state() private result = '';
  @state() private problem = '';
  @state() private phone = '';

  private async send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    this.problem = '';
    this.result = '';
    try {
      const message = String(data.get('message') ?? '').trim();
      const answer = await api.post<ShareAnswer>(`/api/v1/links/${this.link.id}/share`, {
        channel: this.channel,
        to: String(data.get('to')),
        ...(message ? { message } : {}),
      });
      const where = this.channel === 'email' ? 'email' : 'text message';
      this.result = answer.delivered === 'outbox'
        ? `No ${this.channel === 'email' ? 'mail server' : 'SMS provider'} is configured: the ${where} was written to the server's outbox, not sent.`
        : `The ${where} was sent.`;
      form.reset();
      this.phone = '';
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Opens the merchant's own messaging app with the text ready, in the link's language (the
   * server words it; the number goes in a POST body, never a URL): nothing is sent through us.
   */
  private async openOnPhone(): Promise<void> {
    this.problem = '';
    try {
      const to = this.phone.trim();
      const { smsLink } = await api.post<{ smsLink: string }>(`/api/v1/links/${this.link.id}/share/sms-link`, to ? { to } : {});
      location.href = smsLink;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  override render() {
    const email = this.channel === 'email';
    return html`
      <fieldset class="channel">
        <legend>Send it</legend>
        <label class="choice"><input type="radio" name="channel" .checked=${email} @change=${() => { this.channel = 'email'; this.result = ''; }} /> By email</label>
        <label class="choice"><input type="radio" name="channel" .checked=${!email} @change=${() => { this.channel = 'sms'; this.result = ''; }} /> By SMS</label>
      </fieldset>
      <form @submit=${this.send}>
        ${email
          ? html`<label class="field">Email address
              <input type="email" name="to" required maxlength="254" autocomplete="off" />
            </label>
            <label class="field">Message <span class="hint">(optional, shown above the link)</span>
              <textarea name="message" maxlength="500"></textarea>
            </label>`
          : html`<label class="field">Mobile number <span class="hint">with the country code, e.g. +49 170 1234567</span>
              <input type="tel" name="to" required autocomplete="off" .value=${this.phone} @input=${(e: Event) => (this.phone = (e.target as HTMLInputElement).value)} />
            </label>`}
        <div class="actions">
          <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Sending…' : email ? 'Send email' : 'Send SMS'}</button>
          ${email ? nothing : html`<button type="button" class="secondary" @click=${() => void this.openOnPhone()}>Open on my phone</button>`}
        </div>
      </form>
      <p role="status">${this.result}</p>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
    `;
  }
}
