import { html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Account } from '../../contract/account.js';
import type { ApiKey, DashboardSession } from '../../contract/auth.js';
import { api } from '../api.js';
import { formatDate } from '../format.js';
import { LightElement } from '../light-element.js';
import './webhooks-panel.js';

/** Credits, API keys (a new one shown once), the origins allowed to embed the flow, signing out everywhere. */
@customElement('vn-account')
export class AccountPage extends LightElement {
  @property({ attribute: false }) session!: DashboardSession;
  @state() private account: Account | undefined;
  @state() private keys: ApiKey[] = [];
  @state() private newKey = '';
  @state() private problem = '';
  @state() private notice = '';
  @state() private revoking: ApiKey | undefined;
  @query('#revoke-dialog') private revokeDialog!: HTMLDialogElement;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load().then(() => this.focusHeading());
  }

  private async load(): Promise<void> {
    try {
      [this.account, { data: this.keys }] = await Promise.all([
        api.get<Account>('/api/v1/account'),
        api.get<{ data: ApiKey[] }>('/api/v1/api-keys'),
      ]);
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async createKey(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const mode = new FormData(event.target as HTMLFormElement).get('mode');
    try {
      const made = await api.post<ApiKey & { key: string }>('/api/v1/api-keys', { mode });
      this.newKey = made.key;
      await this.load();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async revoke(): Promise<void> {
    const key = this.revoking;
    this.revokeDialog.close();
    if (!key) return;
    try {
      await api.delete(`/api/v1/api-keys/${key.id}`);
      this.notice = `The key ${key.prefix}… is revoked.`;
      await this.load();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async saveOrigins(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('origins') ?? '');
    const embedOrigins = text.split(/[\s,]+/).map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
    try {
      this.account = await api.patch<Account>('/api/v1/account', { embedOrigins });
      this.notice = 'Embedding origins saved.';
      this.problem = '';
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  override render() {
    const account = this.account;
    return html`<main class="page">
      <div class="page-head"><h1 tabindex="-1">Account</h1></div>
      <p role="status">${this.notice}</p>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      <div class="grid">
        <section class="card" aria-labelledby="credits-title">
          <h2 id="credits-title">Credits</h2>
          ${account
            ? html`<dl class="facts">
                <dt>Account</dt><dd>${account.name}</dd>
                <dt>Available</dt><dd>${account.credits.available}</dd>
                <dt>Held</dt><dd>${account.credits.held} <span class="hint">(sessions in progress; charged when submitted, released if they expire)</span></dd>
              </dl>`
            : html`<p class="muted">Loading…</p>`}
        </section>

        <section class="card" aria-labelledby="keys-title">
          <h2 id="keys-title">API keys</h2>
          ${this.newKey
            ? html`<div class="callout warn" role="alert">
                <p><strong>Copy this key now: it is shown only once.</strong></p>
                <p><code>${this.newKey}</code></p>
                <button type="button" class="secondary" @click=${() => void navigator.clipboard?.writeText(this.newKey).then(() => (this.notice = 'Key copied.'))}>Copy key</button>
                <button type="button" class="link" @click=${() => (this.newKey = '')}>I have stored it</button>
              </div>`
            : nothing}
          <table>
            <caption class="sr-only">API keys</caption>
            <thead><tr><th scope="col">Key</th><th scope="col">Mode</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
            <tbody>${this.keys.map((k) => html`<tr>
              <td data-label="Key"><code>${k.prefix}…</code></td>
              <td data-label="Mode">${k.mode === 'test' ? html`<span class="badge test">Test</span>` : 'Live'}</td>
              <td data-label="Created">${formatDate(k.createdAt)}</td>
              <td data-label="State">${k.revokedAt
                ? html`Revoked ${formatDate(k.revokedAt)}`
                : html`<button type="button" class="secondary" aria-label="Revoke ${k.prefix}…" @click=${() => { this.revoking = k; this.revokeDialog.showModal(); }}>Revoke</button>`}</td>
            </tr>`)}</tbody>
          </table>
          <form class="actions" @submit=${this.createKey}>
            <label class="field">Mode
              <select name="mode"><option value="live">Live</option><option value="test">Test (nothing is billed)</option></select>
            </label>
            <button type="submit">Create a key</button>
          </form>
        </section>

        <section class="card" aria-labelledby="embed-title">
          <h2 id="embed-title">Embedding</h2>
          <form @submit=${this.saveOrigins}>
            <label class="field">Sites allowed to show the verification in a frame (the "Verify now" button's modal)
              <textarea name="origins" .value=${account?.embedOrigins.join('\n') ?? ''} placeholder="https://shop.example"></textarea>
              <span class="hint">One origin per line, like https://shop.example; * allows any site.</span>
            </label>
            <div class="actions"><button type="submit">Save</button></div>
          </form>
        </section>

        <section class="card wide" aria-labelledby="webhooks-title">
          <h2 id="webhooks-title">Webhooks</h2>
          <p class="hint">Every result, pushed to your backend and signed (<code>Verify-Signature</code>; check it with <code>verifyWebhook</code> from <code>verify-now/webhooks</code>).</p>
          <vn-webhooks></vn-webhooks>
        </section>

        <section class="card" aria-labelledby="signin-title">
          <h2 id="signin-title">Signed in as ${this.session.user.email}</h2>
          <p class="hint">Lost a laptop, or used a shared computer? End every sign-in of this user at once.</p>
          <button type="button" class="secondary" @click=${() => this.dispatchEvent(new CustomEvent('sign-out-everywhere'))}>Sign out everywhere</button>
        </section>
      </div>

      <dialog id="revoke-dialog" aria-labelledby="revoke-title">
        <h2 id="revoke-title">Revoke the key ${this.revoking?.prefix}…?</h2>
        <p>Programs using it stop working within seconds. This cannot be undone.</p>
        <div class="actions">
          <button type="button" class="danger" @click=${() => void this.revoke()}>Revoke</button>
          <button type="button" class="secondary" autofocus @click=${() => this.revokeDialog.close()}>Keep it</button>
        </div>
      </dialog>
    </main>`;
  }
}
