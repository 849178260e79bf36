import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Link } from '../../contract/links.js';
import type { Session } from '../../contract/sessions.js';
import { api } from '../api.js';
import { FLOW_LABELS, formatDate, SESSION_STATUS_LABELS, shortId } from '../format.js';
import { LightElement } from '../light-element.js';
import { LiveList, type Page } from '../live-list.js';
import type { LiveEvent } from '../live.js';
import { navigate } from '../router.js';

/**
 * Sessions, newest first, as they happen: a new one appears at the top and a status changes in
 * place, with no reload (the account's event stream), and a polite announcement for screen readers.
 */
@customElement('vn-sessions')
export class SessionsPage extends LightElement {
  @property({ attribute: false }) linkFilter = '';
  @property({ attribute: false }) statusFilter = '';
  @state() private links = new Map<string, Link>();
  @state() private announcement = '';
  /** Rows that arrived live, highlighted for a moment. */
  private fresh = new Set<string>();
  private readonly list = new LiveList<Session>(this, {
    fetchPage: async (cursor) => {
      const query = new URLSearchParams({ limit: '50' });
      if (this.linkFilter) query.set('link', this.linkFilter);
      if (this.statusFilter) query.set('status', this.statusFilter);
      if (cursor) query.set('cursor', cursor);
      // The links' names, once: the rows show a link by its name.
      if (this.links.size === 0) this.links = new Map((await api.get<Page<Link>>('/api/v1/links?limit=100')).data.map((l) => [l.id, l]));
      return api.get<Page<Session>>(`/api/v1/sessions?${query}`);
    },
    apply: (sessions, event) => this.apply(sessions, event),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.focusHeading();
  }

  private apply(sessions: Session[], event: LiveEvent): Session[] {
    if (event.type.startsWith('link.')) {
      const link = event.data as Link;
      if (link?.id) this.links = new Map(this.links).set(link.id, link);
      return sessions;
    }
    const session = event.data as Session;
    if (!event.type.startsWith('session.') || !session?.id) return sessions;
    const matches = (!this.linkFilter || session.linkId === this.linkFilter) && (!this.statusFilter || session.status === this.statusFilter);
    if (sessions.some((s) => s.id === session.id)) {
      if (matches) this.announcement = `Session ${shortId(session.id)} is now ${SESSION_STATUS_LABELS[session.status]?.toLowerCase()}.`;
      return matches ? sessions.map((s) => (s.id === session.id ? session : s)) : sessions.filter((s) => s.id !== session.id);
    }
    if (!matches) return sessions;
    this.fresh.add(session.id);
    this.announcement = `New session on ${this.links.get(session.linkId)?.name ?? 'a link'}.`;
    return [session, ...sessions];
  }

  private filter(changes: { link?: string; status?: string }): void {
    navigate({ view: 'sessions', link: changes.link ?? this.linkFilter, status: changes.status ?? this.statusFilter });
  }

  override render() {
    const { items: sessions, loading, problem, next } = this.list;
    return html`<main class="page">
      <div class="page-head"><h1 tabindex="-1">Sessions</h1><span class="hint">Updated live</span></div>
      <div class="grid filters">
        <label class="field">Link
          <select @change=${(e: Event) => this.filter({ link: (e.target as HTMLSelectElement).value })}>
            <option value="">All links</option>
            ${[...this.links.values()].map((l) => html`<option value=${l.id} ?selected=${this.linkFilter === l.id}>${l.name}</option>`)}
          </select>
        </label>
        <label class="field">Status
          <select @change=${(e: Event) => this.filter({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">All statuses</option>
            ${Object.entries(SESSION_STATUS_LABELS).map(([value, label]) => html`<option value=${value} ?selected=${this.statusFilter === value}>${label}</option>`)}
          </select>
        </label>
      </div>
      <p class="sr-only" role="status" aria-live="polite">${this.announcement}</p>
      ${problem ? html`<p class="error" role="alert">${problem}</p>` : nothing}
      ${!loading && sessions.length === 0
        ? html`<div class="card"><p>No sessions${this.linkFilter || this.statusFilter ? ' match these filters' : ' yet'}.</p>
            <p class="hint">They appear here the moment an applicant starts, without reloading.</p></div>`
        : html`<table>
            <caption class="sr-only">Sessions, newest first</caption>
            <thead><tr><th scope="col">Started</th><th scope="col">Session</th><th scope="col">Link</th><th scope="col">Status</th><th scope="col">Flow</th><th scope="col">Photos</th></tr></thead>
            <tbody>
              ${sessions.map((s) => html`<tr class=${this.fresh.has(s.id) ? 'new' : ''} data-session=${s.id}>
                <td data-label="Started">${formatDate(s.createdAt)}</td>
                <td data-label="Session"><a href="/dashboard/sessions/${s.id}"><code>${shortId(s.id)}</code></a>${s.mode === 'test' ? html` <span class="badge test">Test</span>` : nothing}</td>
                <td data-label="Link">${this.links.get(s.linkId)?.name ?? shortId(s.linkId)}</td>
                <td data-label="Status"><span class="badge ${s.status}">${SESSION_STATUS_LABELS[s.status] ?? s.status}</span></td>
                <td data-label="Flow">${FLOW_LABELS[s.flow]}</td>
                <td data-label="Photos">${s.steps.filter((step) => step.done).length} of ${s.steps.filter((step) => step.required).length}</td>
              </tr>`)}
            </tbody>
          </table>`}
      ${loading ? html`<p class="muted" role="status">Loading…</p>` : nothing}
      ${next && !loading ? html`<div class="actions"><button type="button" class="secondary" @click=${() => void this.list.more()}>Show more</button></div>` : nothing}
    </main>`;
  }
}
