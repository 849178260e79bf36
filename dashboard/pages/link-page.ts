import { html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Link, LinkStats } from '../../contract/links.js';
import { api } from '../api.js';
import { funnelChart, perDayChart, sizeFunnelBars } from '../charts.js';
import { FLOW_LABELS, formatDate, formatDateZone, LANGUAGE_NAMES, LINK_STATUS_LABELS, usageLabel, usesLabel } from '../format.js';
import { LightElement } from '../light-element.js';
import { follow } from '../live.js';
import { navigate } from '../router.js';
import type { LinkForm } from './link-form.js';
import './link-form.js';
import './share-panel.js';

/**
 * One link: its URL to copy, its QR code (shown, downloadable as SVG and PNG), sharing by email
 * and SMS, the widget snippet, its funnel and sessions per day, and deactivation.
 */
@customElement('vn-link-page')
export class LinkPage extends LightElement {
  @property({ attribute: false }) linkId = '';
  @state() private link: Link | undefined;
  @state() private stats: LinkStats | undefined;
  @state() private qrUrl = '';
  @state() private problem = '';
  @state() private notice = '';
  @query('#deactivate-dialog') private deactivateDialog!: HTMLDialogElement;
  @query('vn-link-form') private form!: LinkForm;
  @query('.like') private likeButton!: HTMLButtonElement;
  private stopFollowing: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopFollowing = follow((event) => {
      const data = event.data as { id?: string; linkId?: string };
      if (data?.id === this.linkId && event.type.startsWith('link.')) this.link = event.data as Link;
      // A session of this link moved: its funnel did too.
      if (data?.linkId === this.linkId) void this.loadStats();
    }).stop;
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopFollowing?.();
    if (this.qrUrl) URL.revokeObjectURL(this.qrUrl);
  }

  override updated(): void {
    sizeFunnelBars(this);
  }

  private async load(): Promise<void> {
    try {
      this.link = await api.get<Link>(`/api/v1/links/${this.linkId}`);
      this.focusHeading();
      const qr = await api.blob(`/api/v1/links/${this.linkId}/qr.svg`);
      this.qrUrl = URL.createObjectURL(qr);
      await this.loadStats();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async loadStats(): Promise<void> {
    this.stats = await api.get<LinkStats>(`/api/v1/links/${this.linkId}/stats`);
  }

  private async copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.notice = `${what} copied.`;
    } catch {
      this.notice = `The browser did not allow copying: select the ${what.toLowerCase()} and copy it.`;
    }
  }

  /** A file download of the QR code, fetched with the cookie (the API answers no one else). */
  private async download(format: 'svg' | 'png'): Promise<void> {
    try {
      const blob = await api.blob(`/api/v1/links/${this.linkId}/qr.${format}${format === 'png' ? '?size=1024' : ''}`);
      const anchor = document.createElement('a');
      anchor.href = URL.createObjectURL(blob);
      anchor.download = `${(this.link?.name ?? 'link').replace(/[^\p{L}\p{N}_-]+/gu, '-')}-qr.${format}`;
      anchor.click();
      setTimeout(() => URL.revokeObjectURL(anchor.href), 10_000);
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async deactivate(): Promise<void> {
    try {
      this.link = await api.post<Link>(`/api/v1/links/${this.linkId}/deactivate`);
      this.notice = 'The link is deactivated: it no longer opens the verification.';
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.deactivateDialog.close();
    }
  }

  override render() {
    const link = this.link;
    if (!link) {
      return html`<main class="page">${this.problem ? html`<h1>Link</h1><p class="error" role="alert">${this.problem}</p>` : html`<p class="muted" role="status">Loading…</p>`}</main>`;
    }
    const snippet = `<script type="module" src="${location.origin}/widget/verify-now.js"></script>\n<verify-now link="${link.url}" language="${link.language}"></verify-now>`;
    const active = link.status === 'active';
    return html`<main class="page">
      <p><a href="/dashboard">← Links</a></p>
      <div class="page-head">
        <h1 tabindex="-1">${link.name}</h1>
        <span><span class="badge ${link.status}">${LINK_STATUS_LABELS[link.status]}</span>${link.mode === 'test' ? html` <span class="badge test">Test</span>` : nothing}</span>
      </div>
      <p role="status" class="notice">${this.notice}</p>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}

      <div class="grid">
        <section class="card" aria-labelledby="share-title">
          <h2 id="share-title">Share</h2>
          <div class="url-row">
            <code>${link.url}</code>
            <button type="button" class="secondary" @click=${() => void this.copy(link.url, 'Link')}>Copy link</button>
          </div>
          ${active
            ? html`<vn-share-panel .link=${link}></vn-share-panel>`
            : html`<p class="hint">This link is ${LINK_STATUS_LABELS[link.status].toLowerCase()}: sharing it would only disappoint. Create a new one like it.</p>`}
        </section>

        <section class="card" aria-labelledby="qr-title">
          <h2 id="qr-title">QR code</h2>
          ${this.qrUrl ? html`<img class="qr" src=${this.qrUrl} alt="QR code of the link" />` : nothing}
          <div class="actions">
            <button type="button" class="secondary" @click=${() => void this.download('svg')}>Download SVG</button>
            <button type="button" class="secondary" @click=${() => void this.download('png')}>Download PNG</button>
          </div>
        </section>

        <section class="card" aria-labelledby="details-title">
          <h2 id="details-title">Settings</h2>
          <dl class="facts">
            <dt>Flow</dt><dd>${FLOW_LABELS[link.flow]}</dd>
            <dt>Usage</dt><dd>${usageLabel(link)}</dd>
            <dt>Uses</dt><dd>${usesLabel(link)}</dd>
            <dt>Expires</dt><dd>${link.expiresAt ? formatDateZone(link.expiresAt) : 'Never'}</dd>
            <dt>Language</dt><dd>${LANGUAGE_NAMES[link.language] ?? link.language}</dd>
            <dt>Created</dt><dd>${formatDate(link.createdAt)}</dd>
            ${link.deactivatedAt ? html`<dt>Deactivated</dt><dd>${formatDate(link.deactivatedAt)}</dd>` : nothing}
          </dl>
          <p class="hint">The usage limit and the expiry cannot be changed: links are never extended or refreshed.</p>
          <div class="actions">
            <button type="button" class="secondary like" @click=${() => this.form.open(link)}>Create a new link like this</button>
            ${link.deactivatedAt ? nothing : html`<button type="button" class="danger" @click=${() => this.deactivateDialog.showModal()}>Deactivate</button>`}
          </div>
          <p><a href="/dashboard/sessions?link=${link.id}">Sessions of this link</a></p>
        </section>

        <section class="card" aria-labelledby="insight-title">
          <h2 id="insight-title">How it is doing</h2>
          ${this.stats ? html`${funnelChart(this.stats)}<h3>Sessions per day</h3>${perDayChart(this.stats)}` : html`<p class="muted">Loading…</p>`}
        </section>

        <section class="card" aria-labelledby="button-title">
          <h2 id="button-title">"Verify now" button for your site</h2>
          <pre class="snippet" tabindex="0" aria-label="Snippet"><code>${snippet}</code></pre>
          <div class="actions"><button type="button" class="secondary" @click=${() => void this.copy(snippet, 'Snippet')}>Copy snippet</button></div>
          <p class="hint">Your site's origin must be allowed to frame the flow (Account → Embedding).</p>
        </section>
      </div>

      <vn-link-form .returnFocus=${this.likeButton} @link-created=${(e: CustomEvent<Link>) => navigate({ view: 'link', id: e.detail.id })}></vn-link-form>
      <dialog id="deactivate-dialog" aria-labelledby="deactivate-title">
        <h2 id="deactivate-title">Deactivate "${link.name}"?</h2>
        <p>Applicants who open it will be told it no longer works. This cannot be undone; sessions already started can still finish.</p>
        <div class="actions">
          <button type="button" class="danger" @click=${() => void this.deactivate()}>Deactivate</button>
          <button type="button" class="secondary" autofocus @click=${() => this.deactivateDialog.close()}>Keep it active</button>
        </div>
      </dialog>
    </main>`;
  }
}
