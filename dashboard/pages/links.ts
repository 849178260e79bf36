import { html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { Link } from '../../contract/links.js';
import { api } from '../api.js';
import { FLOW_LABELS, formatDate, formatDateZone, LINK_STATUS_LABELS, usesLabel } from '../format.js';
import { LightElement } from '../light-element.js';
import { LiveList, type Page } from '../live-list.js';
import { navigate } from '../router.js';
import type { LinkForm } from './link-form.js';
import './link-form.js';

/** The links, newest first, with their status and uses; kept current by the account's events. */
@customElement('vn-links')
export class LinksPage extends LightElement {
  @state() private status = '';
  @query('vn-link-form') private form!: LinkForm;
  @query('.page-head button') private newButton!: HTMLButtonElement;
  private readonly list = new LiveList<Link>(this, {
    fetchPage: (cursor) => {
      const query = new URLSearchParams({ limit: '50' });
      if (this.status) query.set('status', this.status);
      if (cursor) query.set('cursor', cursor);
      return api.get<Page<Link>>(`/api/v1/links?${query}`);
    },
    apply: (links, event) => {
      const link = event.data as Link;
      if (!event.type.startsWith('link.') || !link?.id) return links;
      if (links.some((l) => l.id === link.id)) return links.map((l) => (l.id === link.id ? link : l));
      return event.type === 'link.created' && (!this.status || this.status === link.status) ? [link, ...links] : links;
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.focusHeading();
  }

  private onCreated(event: CustomEvent<Link>): void {
    this.list.change((links) => (links.some((l) => l.id === event.detail.id) ? links : [event.detail, ...links]));
    navigate({ view: 'link', id: event.detail.id });
  }

  override render() {
    const { items: links, loading, problem, next } = this.list;
    return html`<main class="page">
      <div class="page-head">
        <h1 tabindex="-1">Links</h1>
        <button type="button" @click=${() => this.form.open()}>New link</button>
      </div>
      <vn-link-form .returnFocus=${this.newButton} @link-created=${this.onCreated}></vn-link-form>
      <label class="field inline-filter">Status
        <select @change=${(e: Event) => { this.status = (e.target as HTMLSelectElement).value; void this.list.reload(); }}>
          <option value="">All</option>
          ${Object.entries(LINK_STATUS_LABELS).map(([value, label]) => html`<option value=${value} ?selected=${this.status === value}>${label}</option>`)}
        </select>
      </label>
      ${problem ? html`<p class="error" role="alert">${problem}</p>` : nothing}
      ${!loading && links.length === 0 && !problem
        ? html`<div class="card"><p>${this.status ? 'No link has this status.' : 'No links yet.'}</p>
            ${this.status ? nothing : html`<p class="hint">Create one, then copy it, send it by email or SMS, show its QR code, or put a "Verify now" button on your site.</p>`}</div>`
        : html`<table>
            <caption class="sr-only">Your links</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Flow</th><th scope="col">Uses</th><th scope="col">Expires</th><th scope="col">Created</th></tr></thead>
            <tbody>
              ${links.map((link) => html`<tr>
                <td data-label="Name"><a href="/dashboard/links/${link.id}">${link.name}</a>${link.mode === 'test' ? html` <span class="badge test">Test</span>` : nothing}</td>
                <td data-label="Status"><span class="badge ${link.status}">${LINK_STATUS_LABELS[link.status]}</span></td>
                <td data-label="Flow">${FLOW_LABELS[link.flow]}</td>
                <td data-label="Uses">${usesLabel(link)}</td>
                <td data-label="Expires">${link.expiresAt ? formatDateZone(link.expiresAt) : 'Never'}</td>
                <td data-label="Created">${formatDate(link.createdAt)}</td>
              </tr>`)}
            </tbody>
          </table>`}
      ${loading ? html`<p class="muted" role="status">Loading…</p>` : nothing}
      ${next && !loading ? html`<div class="actions"><button type="button" class="secondary" @click=${() => void this.list.more()}>Show more</button></div>` : nothing}
    </main>`;
  }
}
