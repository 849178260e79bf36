import { html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../contract/webhooks.js';
import { api } from '../api.js';
import { formatDate } from '../format.js';
import { LightElement } from '../light-element.js';
import { EVENT_TYPES } from '../live.js';

type WithSecret = WebhookEndpoint & { secret: string };

/**
 * The account's webhook endpoints: add one (its signing secret shown once), enable or disable,
 * rotate the secret, send a test event, look at the deliveries and their attempts, resend one,
 * delete. Everything through `/api/v1/webhook-endpoints`.
 */
@customElement('vn-webhooks')
export class WebhooksPanel extends LightElement {
  @state() private endpoints: WebhookEndpoint[] = [];
  @state() private deliveries = new Map<string, WebhookDelivery[]>();
  @state() private secret: { endpoint: string; value: string } | undefined;
  @state() private problem = '';
  @state() private notice = '';
  @state() private allTypes = true;
  @state() private deleting: WebhookEndpoint | undefined;
  @query('#delete-endpoint-dialog') private deleteDialog!: HTMLDialogElement;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.problem = '';
    try {
      await work();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private load(): Promise<void> {
    return this.run(async () => {
      this.endpoints = (await api.get<{ data: WebhookEndpoint[] }>('/api/v1/webhook-endpoints')).data;
    });
  }

  private add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    return this.run(async () => {
      const chosen = data.getAll('eventTypes').map(String);
      const made = await api.post<WithSecret>('/api/v1/webhook-endpoints', {
        url: String(data.get('url')).trim(),
        eventTypes: this.allTypes || chosen.length === 0 ? ['*'] : chosen,
        ...(String(data.get('description') ?? '').trim() ? { description: String(data.get('description')).trim() } : {}),
      });
      this.secret = { endpoint: made.url, value: made.secret };
      form.reset();
      this.allTypes = true;
      await this.load();
    });
  }

  private setEnabled(endpoint: WebhookEndpoint, enabled: boolean): Promise<void> {
    return this.run(async () => {
      await api.patch(`/api/v1/webhook-endpoints/${endpoint.id}`, { enabled });
      this.notice = `${endpoint.url} is ${enabled ? 'enabled' : 'disabled'}.`;
      await this.load();
    });
  }

  private rotate(endpoint: WebhookEndpoint): Promise<void> {
    return this.run(async () => {
      const rotated = await api.post<WithSecret>(`/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { graceHours: 24 });
      this.secret = { endpoint: rotated.url, value: rotated.secret };
      this.notice = 'A new secret: the old one keeps signing beside it for 24 hours.';
      await this.load();
    });
  }

  private sendTest(endpoint: WebhookEndpoint): Promise<void> {
    return this.run(async () => {
      await api.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`);
      this.notice = `A test event is on its way to ${endpoint.url}.`;
      await this.loadDeliveries(endpoint);
    });
  }

  private loadDeliveries(endpoint: WebhookEndpoint): Promise<void> {
    return this.run(async () => {
      const page = await api.get<{ data: WebhookDelivery[] }>(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=20`);
      this.deliveries = new Map(this.deliveries).set(endpoint.id, page.data);
      // A delivery on its way (its first try, a retry soon): look again until it settles.
      const soon = page.data.some((d) => d.status === 'pending' && (!d.nextAttemptAt || Date.parse(d.nextAttemptAt) - Date.now() < 60_000));
      if (soon && this.isConnected) setTimeout(() => this.isConnected && void this.loadDeliveries(endpoint), 2000);
    });
  }

  private resend(endpoint: WebhookEndpoint, delivery: WebhookDelivery): Promise<void> {
    return this.run(async () => {
      await api.post(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}/resend`);
      this.notice = `${delivery.eventType} is sent again.`;
      await this.loadDeliveries(endpoint);
    });
  }

  private deleteEndpoint(): Promise<void> {
    const endpoint = this.deleting;
    this.deleteDialog.close();
    if (!endpoint) return Promise.resolve();
    return this.run(async () => {
      await api.delete(`/api/v1/webhook-endpoints/${endpoint.id}`);
      this.notice = `${endpoint.url} is deleted.`;
      await this.load();
    });
  }

  override render() {
    return html`
      <p role="status" class="notice">${this.notice}</p>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${this.secret
        ? html`<div class="callout warn" role="alert">
            <p><strong>The signing secret for ${this.secret.endpoint}: copy it now, it is shown only once.</strong></p>
            <p><code>${this.secret.value}</code></p>
            <button type="button" class="secondary" @click=${() => void navigator.clipboard?.writeText(this.secret!.value).then(() => (this.notice = 'Secret copied.'))}>Copy secret</button>
            <button type="button" class="link" @click=${() => (this.secret = undefined)}>I have stored it</button>
          </div>`
        : nothing}
      ${this.endpoints.length === 0 ? html`<p class="hint">No endpoint yet: results reach your backend once you add one.</p>` : nothing}
      <ul class="endpoints">
        ${this.endpoints.map((endpoint) => this.renderEndpoint(endpoint))}
      </ul>
      <form @submit=${this.add}>
        <h3>Add an endpoint</h3>
        <label class="field">URL <input type="url" name="url" required placeholder="https://shop.example/verify-now/webhook" /></label>
        <label class="field">Description <span class="hint">(optional)</span><input type="text" name="description" maxlength="200" /></label>
        <fieldset>
          <legend>Events</legend>
          <label class="choice"><input type="radio" name="which" .checked=${this.allTypes} @change=${() => (this.allTypes = true)} /> All events</label>
          <label class="choice"><input type="radio" name="which" .checked=${!this.allTypes} @change=${() => (this.allTypes = false)} /> Only these:</label>
          ${this.allTypes
            ? nothing
            : EVENT_TYPES.map((type) => html`<label class="choice"><input type="checkbox" name="eventTypes" value=${type} /> <code>${type}</code></label>`)}
        </fieldset>
        <div class="actions"><button type="submit">Add endpoint</button></div>
      </form>
      <dialog id="delete-endpoint-dialog" aria-labelledby="delete-endpoint-title">
        <h2 id="delete-endpoint-title">Delete the endpoint ${this.deleting?.url}?</h2>
        <p>Its deliveries and their log go with it; events stop reaching that address.</p>
        <div class="actions">
          <button type="button" class="danger" @click=${() => void this.deleteEndpoint()}>Delete</button>
          <button type="button" class="secondary" autofocus @click=${() => this.deleteDialog.close()}>Keep it</button>
        </div>
      </dialog>`;
  }

  private renderEndpoint(endpoint: WebhookEndpoint) {
    const deliveries = this.deliveries.get(endpoint.id);
    return html`<li class="endpoint">
      <p><code>${endpoint.url}</code> ${endpoint.enabled ? html`<span class="badge active">Enabled</span>` : html`<span class="badge denied">Disabled</span>`}</p>
      ${endpoint.description ? html`<p class="hint">${endpoint.description}</p>` : nothing}
      ${endpoint.disabledReason ? html`<p class="error">${endpoint.disabledReason}</p>` : nothing}
      <p class="hint">Events: ${endpoint.eventTypes.includes('*') ? 'all' : endpoint.eventTypes.join(', ')} · secret <code>${endpoint.secretPrefix}…</code>
        ${endpoint.previousSecretExpiresAt ? html` · the old secret signs too until ${formatDate(endpoint.previousSecretExpiresAt)}` : nothing}
        ${endpoint.consecutiveFailures ? html` · ${endpoint.consecutiveFailures} failures in a row` : nothing}</p>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => void this.sendTest(endpoint)}>Send test event</button>
        <button type="button" class="secondary" @click=${() => void this.loadDeliveries(endpoint)}>${deliveries ? 'Refresh deliveries' : 'Show deliveries'}</button>
        <button type="button" class="secondary" @click=${() => void this.setEnabled(endpoint, !endpoint.enabled)}>${endpoint.enabled ? 'Disable' : 'Enable'}</button>
        <button type="button" class="secondary" @click=${() => void this.rotate(endpoint)}>Rotate secret</button>
        <button type="button" class="danger" @click=${() => { this.deleting = endpoint; this.deleteDialog.showModal(); }}>Delete</button>
      </div>
      ${deliveries
        ? deliveries.length === 0
          ? html`<p class="hint">No delivery yet.</p>`
          : html`<table>
              <caption class="sr-only">Deliveries to ${endpoint.url}</caption>
              <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
              <tbody>${deliveries.map((d) => {
                const last = d.attempts.at(-1);
                return html`<tr>
                  <td data-label="Event"><code>${d.eventType}</code><br /><span class="hint">${formatDate(d.createdAt)}</span></td>
                  <td data-label="Status"><span class="badge ${d.status === 'succeeded' ? 'approved' : d.status === 'failed' ? 'denied' : 'created'}">${d.status}</span></td>
                  <td data-label="Attempts">${d.attempts.length}${d.nextAttemptAt && d.status === 'pending' ? html`, next ${formatDate(d.nextAttemptAt)}` : nothing}</td>
                  <td data-label="Last answer">${last ? `${last.statusCode ?? last.error} in ${last.latencyMs} ms` : '—'}</td>
                  <td data-label="Action"><button type="button" class="secondary" @click=${() => void this.resend(endpoint, d)}>Resend</button></td>
                </tr>`;
              })}</tbody>
            </table>`
        : nothing}
    </li>`;
  }
}
