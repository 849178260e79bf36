/**
 * `<vn-dashboard>`: the shell. Finds out whether the browser is signed in, shows the sign-in or
 * the navigation and the current view, and follows the URL (router.ts). Views are elements of
 * their own, each loading what it shows from the API.
 */
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { DashboardSession } from '../contract/auth.js';
import { api } from './api.js';
import { LightElement } from './light-element.js';
import { hrefOf, interceptLinks, navigate, parseRoute, type Route } from './router.js';
import './pages/login.js';
import './pages/links.js';
import './pages/link-page.js';
import './pages/sessions.js';
import './pages/session-page.js';
import './pages/account.js';

const TITLES: Record<Route['view'], string> = {
  login: 'Sign in',
  links: 'Links',
  link: 'Link',
  sessions: 'Sessions',
  session: 'Session',
  account: 'Account',
};

@customElement('vn-dashboard')
export class DashboardApp extends LightElement {
  @state() private session: DashboardSession | undefined;
  @state() private route: Route = parseRoute(location);
  @state() private loading = true;
  @state() private problem = '';

  override connectedCallback(): void {
    super.connectedCallback();
    interceptLinks(this);
    addEventListener('popstate', this.onLocation);
    addEventListener('vn-navigate', this.onLocation);
    api.onSignedOut = () => {
      this.session = undefined;
      navigate({ view: 'login' }, { replace: true });
    };
    void this.boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this.onLocation);
    removeEventListener('vn-navigate', this.onLocation);
  }

  private onLocation = () => {
    this.route = parseRoute(location);
    if (!this.session && this.route.view !== 'login') navigate({ view: 'login' }, { replace: true });
  };

  private async boot(): Promise<void> {
    try {
      this.session = await api.currentSession();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
    this.loading = false;
    if (!this.session && this.route.view !== 'login') navigate({ view: 'login' }, { replace: true });
    else if (this.session && this.route.view === 'login') navigate({ view: 'links' }, { replace: true });
  }

  protected override updated(): void {
    document.title = `${TITLES[this.route.view]} · verify-now`;
  }

  private onSignedIn(event: CustomEvent<DashboardSession>): void {
    this.session = event.detail;
    const back = new URLSearchParams(location.search).get('next');
    navigate(back?.startsWith('/dashboard') ? back : hrefOf({ view: 'links' }), { replace: true });
  }

  private async signOut(everywhere: boolean): Promise<void> {
    try {
      await api.post(everywhere ? '/api/v1/auth/logout-everywhere' : '/api/v1/auth/logout');
    } finally {
      this.session = undefined;
      navigate({ view: 'login' }, { replace: true });
    }
  }

  override render() {
    if (this.loading) return html`<p class="muted" role="status">Loading…</p>`;
    if (this.problem) return html`<main class="page"><h1>The dashboard could not start</h1><p class="error" role="alert">${this.problem}</p></main>`;
    if (!this.session || this.route.view === 'login') return html`<vn-login @signed-in=${this.onSignedIn}></vn-login>`;
    const route = this.route;
    const current = (view: Route['view'][]) => (view.includes(route.view) ? 'page' : nothing);
    return html`
      <header class="top">
        <a class="brand" href="/dashboard">verify-now</a>
        <nav aria-label="Main">
          <ul>
            <li><a href="/dashboard" aria-current=${current(['links', 'link'])}>Links</a></li>
            <li><a href="/dashboard/sessions" aria-current=${current(['sessions', 'session'])}>Sessions</a></li>
            <li><a href="/dashboard/account" aria-current=${current(['account'])}>Account</a></li>
          </ul>
        </nav>
        <div class="who">
          <span class="muted">${this.session.user.email}</span>
          <button type="button" class="secondary" @click=${() => void this.signOut(false)}>Sign out</button>
        </div>
      </header>
      ${this.renderView(route)}
    `;
  }

  private renderView(route: Route) {
    switch (route.view) {
      case 'links':
        return html`<vn-links></vn-links>`;
      case 'link':
        // Keyed: another link is another page, loaded afresh.
        return keyed(route.id, html`<vn-link-page .linkId=${route.id}></vn-link-page>`);
      case 'sessions':
        return keyed(`${route.link}/${route.status}`, html`<vn-sessions .linkFilter=${route.link ?? ''} .statusFilter=${route.status ?? ''}></vn-sessions>`);
      case 'session':
        return keyed(route.id, html`<vn-session-page .sessionId=${route.id}></vn-session-page>`);
      case 'account':
        return html`<vn-account .session=${this.session!} @sign-out-everywhere=${() => void this.signOut(true)}></vn-account>`;
      default:
        return nothing;
    }
  }
}
