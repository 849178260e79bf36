import { html, nothing, svg } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Capture, SessionDetail } from '../../contract/sessions.js';
import { api } from '../api.js';
import { CAPTURE_LABELS, FLOW_LABELS, formatDate, SESSION_STATUS_LABELS, shortId } from '../format.js';
import { LightElement } from '../light-element.js';
import { follow } from '../live.js';

const DECIDABLE = ['submitted', 'review', 'approved', 'denied'];

/**
 * One session for review: its photos (fetched with the sign-in, shown from memory, never by a
 * public URL) with the document's corners and the faces the flow found drawn over them, the
 * quality figures, the timeline, a decision with a note, and erasure.
 */
@customElement('vn-session-page')
export class SessionPage extends LightElement {
  @property({ attribute: false }) sessionId = '';
  @state() private session: SessionDetail | undefined;
  @state() private images = new Map<string, string>();
  @state() private problem = '';
  @state() private notice = '';
  @state() private busy = false;
  @query('#erase-dialog') private eraseDialog!: HTMLDialogElement;
  private stopFollowing: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopFollowing = follow((event) => {
      if ((event.data as { id?: string })?.id === this.sessionId) void this.load();
    }).stop;
    void this.load().then(() => this.focusHeading());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopFollowing?.();
    for (const url of this.images.values()) URL.revokeObjectURL(url);
  }

  private async load(): Promise<void> {
    try {
      this.session = await api.get<SessionDetail>(`/api/v1/sessions/${this.sessionId}`);
      const images = new Map(this.images);
      for (const capture of this.session.captures) {
        const key = `${capture.kind}@${capture.uploadedAt}`;
        if (images.has(key)) continue;
        images.set(key, URL.createObjectURL(await api.blob(`/api/v1/sessions/${this.sessionId}/captures/${capture.kind}`)));
      }
      this.images = images;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async decide(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const submitter = event.submitter as HTMLButtonElement | null;
    const note = String(new FormData(event.target as HTMLFormElement).get('note') ?? '').trim();
    this.busy = true;
    this.problem = '';
    try {
      const status = submitter?.value === 'denied' ? 'denied' : 'approved';
      await api.post(`/api/v1/sessions/${this.sessionId}/decision`, { status, ...(note ? { note } : {}) });
      this.notice = status === 'approved' ? 'Approved.' : 'Denied.';
      await this.load();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  private async erase(): Promise<void> {
    try {
      await api.delete(`/api/v1/sessions/${this.sessionId}`);
      for (const url of this.images.values()) URL.revokeObjectURL(url);
      this.images = new Map();
      this.notice = 'The applicant\'s photos and data are erased. The record that the session happened stays.';
      await this.load();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.eraseDialog.close();
    }
  }

  override render() {
    const s = this.session;
    if (!s) return html`<main class="page">${this.problem ? html`<h1>Session</h1><p class="error" role="alert">${this.problem}</p>` : html`<p class="muted" role="status">Loading…</p>`}</main>`;
    return html`<main class="page">
      <p><a href="/dashboard/sessions">← Sessions</a></p>
      <div class="page-head">
        <h1 tabindex="-1">Session <code>${shortId(s.id)}</code></h1>
        <span><span class="badge ${s.status}">${SESSION_STATUS_LABELS[s.status] ?? s.status}</span>${s.mode === 'test' ? html` <span class="badge test">Test</span>` : nothing}</span>
      </div>
      <p role="status">${this.notice}</p>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}

      <section aria-labelledby="photos-title">
        <h2 id="photos-title">Photos</h2>
        ${s.erasedAt
          ? html`<p class="muted">Erased ${formatDate(s.erasedAt)}.</p>`
          : s.captures.length === 0
            ? html`<p class="muted">No photo yet.</p>`
            : html`<div class="captures">${s.captures.map((c) => this.renderCapture(c))}</div>`}
      </section>

      <div class="grid">
        <section class="card" aria-labelledby="decision-title">
          <h2 id="decision-title">Decision</h2>
          ${s.decision
            ? html`<p>${s.decision.status === 'approved' ? 'Approved' : 'Denied'} ${formatDate(s.decision.decidedAt)}${s.decision.note ? html`: “${s.decision.note}”` : nothing}</p>`
            : nothing}
          ${DECIDABLE.includes(s.status) && !s.erasedAt
            ? html`<form @submit=${this.decide}>
                <label class="field">Note <span class="hint">(optional, for your team)</span><textarea name="note" maxlength="2000"></textarea></label>
                <div class="actions">
                  <button type="submit" value="approved" ?disabled=${this.busy}>Approve</button>
                  <button type="submit" value="denied" class="danger" ?disabled=${this.busy}>Deny</button>
                </div>
              </form>`
            : html`<p class="hint">${s.erasedAt ? 'An erased session cannot be decided.' : 'A decision is possible once the applicant has submitted.'}</p>`}
        </section>

        <section class="card" aria-labelledby="facts-title">
          <h2 id="facts-title">Details</h2>
          <dl class="facts">
            <dt>Link</dt><dd><a href="/dashboard/links/${s.linkId}">${shortId(s.linkId)}</a></dd>
            <dt>Flow</dt><dd>${FLOW_LABELS[s.flow]}</dd>
            <dt>Document</dt><dd>${s.documentType ? s.documentType.replace('_', ' ') : '—'}</dd>
            <dt>Language</dt><dd>${s.language}</dd>
            <dt>Started</dt><dd>${formatDate(s.createdAt)}</dd>
            <dt>Submitted</dt><dd>${formatDate(s.submittedAt)}</dd>
            <dt>Open until</dt><dd>${formatDate(s.expiresAt)}</dd>
          </dl>
        </section>

        <section class="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <ol class="timeline">
            ${s.timeline.map((e) => html`<li><time datetime=${e.createdAt}>${formatDate(e.createdAt)}</time> · ${e.type.replace('session.', '').replace('_', ' ')}</li>`)}
          </ol>
        </section>

        ${s.erasedAt
          ? nothing
          : html`<section class="card" aria-labelledby="erase-title">
              <h2 id="erase-title">Erase</h2>
              <p class="hint">Deletes the photos and the applicant's data for good; the record that a session happened stays for your audit.</p>
              <button type="button" class="danger" @click=${() => this.eraseDialog.showModal()}>Erase the applicant's data</button>
            </section>`}
      </div>

      <dialog id="erase-dialog" aria-labelledby="erase-dialog-title">
        <h2 id="erase-dialog-title">Erase this applicant's data?</h2>
        <p>The photos and personal data of session <code>${shortId(s.id)}</code> are deleted for good. This cannot be undone.</p>
        <div class="actions">
          <button type="button" class="danger" @click=${() => void this.erase()}>Erase</button>
          <button type="button" class="secondary" autofocus @click=${() => this.eraseDialog.close()}>Keep</button>
        </div>
      </dialog>
    </main>`;
  }

  private renderCapture(capture: Capture) {
    const url = this.images.get(`${capture.kind}@${capture.uploadedAt}`);
    const m = capture.metrics;
    const label = CAPTURE_LABELS[capture.kind] ?? capture.kind;
    const figures = [
      ['Taken by', m.source === 'upload' ? 'file upload' : m.autoCaptured ? 'camera, automatically' : m.source === 'camera' ? 'camera, shutter' : '—'],
      ['Sharpness', m.sharpness === undefined ? '—' : Math.round(m.sharpness).toString()],
      ['Brightness', m.brightness === undefined ? '—' : `${Math.round(m.brightness * 100)}%`],
      ['Glare', m.glare === undefined ? '—' : `${Math.round(m.glare * 100)}%`],
      ['Faces found', m.faces === undefined ? '—' : String(m.faces.length)],
      ['Size', capture.width ? `${capture.width}×${capture.height}` : '—'],
    ];
    return html`<div class="capture"><figure>
      <div class="frame">
        ${url ? html`<img src=${url} alt=${label} />` : html`<p class="muted">Loading…</p>`}
        <svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
          ${m.quad ? svg`<polygon class="quad" points=${m.quad.map((p) => `${p.x},${p.y}`).join(' ')}></polygon>` : nothing}
          ${(m.faces ?? []).map((f) => svg`<rect class="face" x=${f.x} y=${f.y} width=${f.width} height=${f.height}></rect>`)}
        </svg>
      </div>
      <figcaption>${label}${m.quad || m.faces?.length ? html` <span class="hint">(green: document found; amber: faces)</span>` : nothing}</figcaption>
      <dl class="facts">${figures.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>
    </figure></div>`;
  }
}
