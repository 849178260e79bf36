import { html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { Link } from '../../contract/links.js';
import { api } from '../api.js';
import { FLOW_LABELS, formatDate, formatDateZone, LINK_STATUS_LABELS, usesLabel } from '../format.js';
import { LightElement } from '../light-element.js';
import { follow, type LiveEvent } from '../live.js';
import { navigate } from '../router.js';
import type { LinkForm } from './link-form.js';
import './link-form.js';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** The links, newest first, with their status and uses; kept current by the account's events. */
@customElement('vn-links')
export class LinksPage extends LightElement {
  @state() private links: Link[] = [];
  @state() private next: string | null = null;
  @state() private status = '';
  @state() private loading = true;
  @state() private problem = '';
  @query('vn-link-form') private form!: LinkForm;
  @query('.page-head button') private newButton!: HTMLButtonElement;
  private stopFollowing: (() => void) | undefined;
  /** Events that arrive while a page of the list loads: applied after it, so none is lost. */
  private pending: LiveEvent[] | undefined = [];

  override connectedCallback(): void {
    super.connectedCallback();
    const live = follow((event) => this.onEvent(event));
    this.stopFollowing = live.stop;
    void live.ready.then(() => this.load());
    this.focusHeading();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopFollowing?.();
  }

  private async load(more = false): Promise<void> {
    this.loading = true;
    this.problem = '';
    if (!more) this.pending = [];
    try {
      const query = new URLSearchParams({ limit: '50' });
      if (this.status) query.set('status', this.status);
      if (more && this.next) query.set('cursor', this.next);
      const page = await api.get<Page<Link>>(`/api/v1/links?${query}`);
      this.links = more ? [...this.links, ...page.data] : page.data;
      this.next = page.nextCursor;
      for (const event of this.pending ?? []) this.apply(event);
      this.pending = undefined;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  private onEvent(event: LiveEvent): void {
    if (!event.type.startsWith('link.')) return;
    if (this.pending) this.pending.push(event);
    else this.apply(event);
  }

  private apply(event: LiveEvent): void {
    const link = event.data as Link;
    if (!link?.id) return;
    const index = this.links.findIndex((l) => l.id === link.id);
    if (index >= 0) this.links = this.links.map((l) => (l.id === link.id ? link : l));
    else if (event.type === 'link.created' && (!this.status || this.status === link.status)) this.links = [link, ...this.links];
  }

  private onCreated(event: CustomEvent<Link>): void {
    if (!this.links.some((l) => l.id === event.detail.id)) this.links = [event.detail, ...this.links];
    navigate({ view: 'link', id: event.detail.id });
  }

  override render() {
    return html`<main class="page">
      <div class="page-head">
        <h1 tabindex="-1">Links</h1>
        <button type="button" @click=${() => this.form.open()}>New link</button>
      </div>
      <vn-link-form .returnFocus=${this.newButton} @link-created=${this.onCreated}></vn-link-form>
      <label class="field inline-filter">Status
        <select @change=${(e: Event) => { this.status = (e.target as HTMLSelectElement).value; void this.load(); }}>
          <option value="">All</option>
          ${Object.entries(LINK_STATUS_LABELS).map(([value, label]) => html`<option value=${value} ?selected=${this.status === value}>${label}</option>`)}
        </select>
      </label>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${!this.loading && this.links.length === 0 && !this.problem
        ? html`<div class="card"><p>${this.status ? 'No link has this status.' : 'No links yet.'}</p>
            ${this.status ? nothing : html`<p class="hint">Create one, then copy it, send it by email or SMS, show its QR code, or put a "Verify now" button on your site.</p>`}</div>`
        : html`<table>
            <caption class="sr-only">Your links</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Flow</th><th scope="col">Uses</th><th scope="col">Expires</th><th scope="col">Created</th></tr></thead>
            <tbody>
              ${this.links.map((link) => html`<tr>
                <td data-label="Name"><a href="/dashboard/links/${link.id}">${link.name}</a>${link.mode === 'test' ? html` <span class="badge test">Test</span>` : nothing}</td>
                <td data-label="Status"><span class="badge ${link.status}">${LINK_STATUS_LABELS[link.status]}</span></td>
                <td data-label="Flow">${FLOW_LABELS[link.flow]}</td>
                <td data-label="Uses">${usesLabel(link)}</td>
                <td data-label="Expires">${link.expiresAt ? formatDateZone(link.expiresAt) : 'Never'}</td>
                <td data-label="Created">${formatDate(link.createdAt)}</td>
              </tr>`)}
            </tbody>
          </table>`}
      ${this.loading ? html`<p class="muted" role="status">Loading…</p>` : nothing}
      ${this.next && !this.loading ? html`<div class="actions"><button type="button" class="secondary" @click=${() => void this.load(true)}>Show more</button></div>` : nothing}
    </main>`;
  }
}
