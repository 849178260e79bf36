/**
 * The designers' playground: a pretend shop's checkout with the real `<verify-now>` button (loaded
 * from verify-now's origin by a script tag, as a merchant's page does), controls for the flow,
 * language and theme that update the button and the modal live, the exact snippet to paste, and
 * every screen of the flow side by side.
 */
import { html, nothing, render } from 'lit';
// Types only: values from contract/ other than the preview list would bring zod into this page.
import type { Language } from '../contract/common.js';
import type { Flow } from '../contract/links.js';
import type { DemoPageData } from '../server/demo/demo-page.js';
import { renderGallery, type Widths } from './previews.js';
import './demo.css';
import { DEFAULT_THEME, FONTS, snippetFor, themeProperties, type FontChoice, type Theme } from './snippet.js';

interface TestLink {
  id: string;
  url: string;
  flow: Flow;
  language: Language;
  expiresAt: string;
}

interface LogEntry {
  at: Date;
  text: string;
}

const FLOWS: { id: Flow; label: string }[] = [
  { id: 'document+selfie', label: 'Document and selfie' },
  { id: 'document', label: 'Document only' },
  { id: 'selfie', label: 'Selfie only' },
];

const LANGUAGES: { id: Language; label: string }[] = [
  { id: 'en', label: 'English' }, { id: 'de', label: 'Deutsch' }, { id: 'es', label: 'Español' }, { id: 'fr', label: 'Français' },
  { id: 'it', label: 'Italiano' }, { id: 'lt', label: 'Lietuvių' }, { id: 'nl', label: 'Nederlands' }, { id: 'pt', label: 'Português' },
];

const page = JSON.parse(document.getElementById('demo-page')!.textContent!) as DemoPageData;
const root = document.getElementById('demo')!;

const state = {
  flow: 'document+selfie' as Flow,
  language: 'en' as Language,
  theme: { ...DEFAULT_THEME } as Theme,
  link: undefined as TestLink | undefined,
  creating: false,
  problem: '',
  copied: false,
  log: [] as LogEntry[],
  widths: { phone: true, desktop: true } as Widths,
};
/** Links made this visit, one per flow and language: switching back reuses one rather than making another. */
const links = new Map<string, TestLink>();

function update(changes: Partial<typeof state>): void {
  Object.assign(state, changes);
  render(template(), root);
  // Through the CSSOM, as a merchant's stylesheet would: a style attribute is refused by this
  // page's CSP (the policy the README gives merchants), and Lit's styleMap writes one at first.
  const button = root.querySelector<HTMLElement>('verify-now');
  for (const [name, value] of Object.entries(themeProperties(state.theme))) button?.style.setProperty(name, value);
}

async function createLink(fresh: boolean): Promise<void> {
  const key = `${state.flow}/${state.language}`;
  if (!fresh && links.has(key)) return update({ link: links.get(key), problem: '' });
  update({ creating: true, problem: '' });
  try {
    const response = await fetch('/demo/api/test-links', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flow: state.flow, language: state.language }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message ?? `The demo shop answered ${response.status}.`);
    links.set(key, body as TestLink);
    update({ link: body as TestLink });
  } catch (error) {
    update({ problem: `No test link: ${error instanceof Error ? error.message : String(error)}` });
  } finally {
    update({ creating: false });
  }
}

/** Flow and language belong to the link: once the designer has one, a change makes (or reuses) another. */
function choose(changes: Partial<Pick<typeof state, 'flow' | 'language'>>): void {
  update({ ...changes, copied: false });
  if (state.link) void createLink(false);
}

function setTheme(changes: Partial<Theme>): void {
  update({ theme: { ...state.theme, ...changes }, copied: false });
}

function note(text: string): void {
  update({ log: [{ at: new Date(), text }, ...state.log].slice(0, 20) });
}

/** What the shop's backend does on verify-complete: ask verify-now, with its key, how the session stands. */
async function onComplete(event: CustomEvent<{ sessionId: string; status: string }>): Promise<void> {
  const { sessionId, status } = event.detail;
  note(`verify-complete: session ${sessionId}, status ${status}`);
  try {
    const response = await fetch(`/demo/api/sessions/${encodeURIComponent(sessionId)}`);
    const session = await response.json();
    if (!response.ok) throw new Error(session?.error?.message ?? String(response.status));
    note(`The shop's backend checked with the API: ${session.id} is "${session.status}" (${session.mode} mode).`);
  } catch (error) {
    note(`The shop's backend could not check the session: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function copySnippet(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    update({ copied: true });
  } catch {
    // No clipboard permission: select the text so that Ctrl+C does it.
    const code = root.querySelector('.snippet code');
    if (code) getSelection()?.selectAllChildren(code);
    update({ problem: 'The browser did not let the page copy: the snippet is selected, press Ctrl+C (⌘C).' });
  }
}

function template() {
  const { link, theme } = state;
  const snippet = snippetFor({
    verifyNowOrigin: page.verifyNowOrigin,
    linkUrl: link?.url ?? `${page.verifyNowOrigin}/v/YOUR_LINK_TOKEN`,
    language: state.language,
    theme,
  });
  return html`
    <section class="checkout" aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      <p class="order">Order #1042 · Noise-cancelling headphones · €249.00</p>
      <p>Before we ship, we need to confirm who you are. It takes about a minute.</p>
      <div class="verify">
        ${link
          ? html`<verify-now link=${link.url} language=${state.language}
              @verify-complete=${(e: CustomEvent<{ sessionId: string; status: string }>) => void onComplete(e)}
              @verify-cancel=${(e: CustomEvent<{ reason: string }>) => note(`verify-cancel: ${e.detail.reason}`)}
              @verify-error=${(e: CustomEvent<{ code: string; message: string }>) => note(`verify-error: ${e.detail.code} ${e.detail.message}`)}
            ></verify-now>`
          : html`<p class="hint">Create a test link in the playground (one click) and the shop's "Verify now" button appears here.</p>`}
      </div>
      <h2 class="small">What the shop's page heard</h2>
      <div role="log" aria-live="polite" aria-label="Events the shop's page received"><ol class="log">
        ${state.log.length === 0 ? html`<li class="hint">Nothing yet: events appear here as the widget sends them.</li>` : nothing}
        ${state.log.map((entry) => html`<li><time datetime=${entry.at.toISOString()}>${entry.at.toLocaleTimeString()}</time> ${entry.text}</li>`)}
      </ol></div>
    </section>

    <section class="playground" aria-labelledby="playground-title">
      <h2 id="playground-title">Playground</h2>
      <div class="controls">
        <fieldset>
          <legend>Verification flow</legend>
          ${FLOWS.map((f) => html`<label class="choice">
            <input type="radio" name="flow" value=${f.id} .checked=${state.flow === f.id} @change=${() => choose({ flow: f.id })} />
            ${f.label}
          </label>`)}
        </fieldset>
        <label class="field">
          <span>Language</span>
          <select @change=${(e: Event) => choose({ language: (e.target as HTMLSelectElement).value as Language })}>
            ${LANGUAGES.map((l) => html`<option value=${l.id} lang=${l.id} ?selected=${state.language === l.id}>${l.label}</option>`)}
          </select>
        </label>
        <fieldset>
          <legend>Theme</legend>
          <label class="field inline"><span>Button colour</span>
            <input type="color" .value=${theme.buttonBackground} @input=${(e: Event) => setTheme({ buttonBackground: (e.target as HTMLInputElement).value })} />
          </label>
          <label class="field inline"><span>Button text colour</span>
            <input type="color" .value=${theme.buttonColor} @input=${(e: Event) => setTheme({ buttonColor: (e.target as HTMLInputElement).value })} />
          </label>
          <label class="field inline"><span>Corner radius</span>
            <input type="range" min="0" max="24" .value=${String(theme.radius)} aria-valuetext=${`${theme.radius} pixels`}
              @input=${(e: Event) => setTheme({ radius: Number((e.target as HTMLInputElement).value) })} />
            <output>${theme.radius} px</output>
          </label>
          <label class="field inline"><span>Font</span>
            <select @change=${(e: Event) => setTheme({ font: (e.target as HTMLSelectElement).value as FontChoice })}>
              ${Object.entries(FONTS).map(([id, f]) => html`<option value=${id} ?selected=${theme.font === id}>${f.label}</option>`)}
            </select>
          </label>
          <button type="button" class="secondary" @click=${() => setTheme({ ...DEFAULT_THEME })}>Reset theme</button>
        </fieldset>
      </div>

      <div class="link-row">
        <button type="button" class="primary" ?disabled=${state.creating} @click=${() => void createLink(true)}>
          ${state.creating ? 'Creating…' : link ? 'New test link' : 'Create a test link'}
        </button>
        <p role="status">
          ${link
            ? html`Test link (unlimited uses, until ${new Date(link.expiresAt).toLocaleString()}):
                <a href=${link.url} target="_blank" rel="noopener">${link.url}</a>`
            : 'Made with the demo shop\'s vn_test_ key: the flow runs completely, nothing is billed.'}
        </p>
      </div>
      ${state.problem ? html`<p class="error" role="alert">${state.problem}</p>` : nothing}

      <h3>The snippet</h3>
      <pre class="snippet" tabindex="0" aria-label="Snippet to paste into your page"><code>${snippet}</code></pre>
      <div class="copy-row">
        <button type="button" class="secondary" @click=${() => void copySnippet(snippet)}>Copy snippet</button>
        <span role="status">${state.copied ? 'Copied.' : ''}</span>
      </div>
      <p class="hint">Your site's origin must be allowed to frame the flow:
        <code>PATCH /api/v1/account {"embedOrigins": ["https://your.shop"]}</code>. The demo shop's origin is allowed for its own links.
        The Content-Security-Policy your page needs is in the widget's README (this page uses exactly that).</p>
    </section>

    <section class="previews" aria-labelledby="previews-title">
      <h2 id="previews-title">Every screen of the flow</h2>
      <p>Rendered by the real flow in preview mode: no session is created, no link is used, no credit is spent.
        Flow and language follow the playground.</p>
      <fieldset class="widths">
        <legend>Widths</legend>
        <label class="choice"><input type="checkbox" .checked=${state.widths.phone} @change=${(e: Event) => update({ widths: { ...state.widths, phone: (e.target as HTMLInputElement).checked } })} /> Phone (360 px)</label>
        <label class="choice"><input type="checkbox" .checked=${state.widths.desktop} @change=${(e: Event) => update({ widths: { ...state.widths, desktop: (e.target as HTMLInputElement).checked } })} /> Desktop (1280 px)</label>
      </fieldset>
      ${renderGallery(page.verifyNowOrigin, state.flow, state.language, state.widths)}
    </section>
  `;
}

update({});
