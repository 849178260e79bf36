import { randomBytes } from 'node:crypto';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON for a `<script type="application/json">` block: nothing in it can close the element. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const BASE_STYLE = `
:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
main { box-sizing: border-box; width: min(100%, 32rem); padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .75rem; }
.eyebrow { font-size: .875rem; opacity: .75; margin: 0 0 .5rem; text-transform: uppercase; letter-spacing: .04em; }
.next { padding: .75rem 1rem; border-radius: .5rem; background: color-mix(in srgb, CanvasText 7%, Canvas); }
/* Headings take focus (tabindex=-1) when a step changes, for screen readers; they are not controls. */
h1:focus { outline: none; }
/* Controls: the page's own font and size, and targets a thumb can hit (44 px). */
button, select, input { font: inherit; color: inherit; }
button { min-height: 2.75rem; padding: .625rem 1.5rem; border: 0; border-radius: .5rem; background: #1d4ed8; color: #fff; font-weight: 600; cursor: pointer; }
button:hover:not(:disabled) { background: #1e40af; }
button:disabled { background: color-mix(in srgb, CanvasText 12%, Canvas); color: color-mix(in srgb, CanvasText 62%, Canvas); cursor: not-allowed; }
:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
.actions { margin: 1.5rem 0 1rem; }
.check { display: flex; gap: .75rem; align-items: flex-start; padding: .5rem 0; cursor: pointer; }
.check input { flex: none; width: 1.5rem; height: 1.5rem; margin: 0; accent-color: #1d4ed8; }
.field { margin: 0 0 1.25rem; }
.field[hidden] { display: none; }
.field label { display: block; font-weight: 600; margin-bottom: .375rem; }
select { box-sizing: border-box; width: 100%; min-height: 2.75rem; padding: .5rem .75rem; border: 1px solid color-mix(in srgb, CanvasText 45%, Canvas); border-radius: .5rem; background: Canvas; }
input[type=file] { box-sizing: border-box; width: 100%; max-width: 100%; }
input[type=file]::file-selector-button { font: inherit; min-height: 2.75rem; margin-right: .75rem; padding: .5rem 1rem; border: 1px solid color-mix(in srgb, CanvasText 45%, Canvas); border-radius: .5rem; background: color-mix(in srgb, CanvasText 6%, Canvas); color: inherit; cursor: pointer; }
.state { display: block; min-height: 1.5em; font-size: .9375rem; }
.state.ok { color: #15803d; }
.state.ok::before { content: "✓ "; }
.state.error, .error { color: #b91c1c; }
@media (prefers-color-scheme: dark) {
  button { background: #3b82f6; color: #0b1220; }
  button:hover:not(:disabled) { background: #60a5fa; }
  .state.ok { color: #4ade80; }
  .state.error, .error { color: #f87171; }
}
@media (max-width: 30rem) { .actions button { width: 100%; } }
`;

/**
 * Each page's Content-Security-Policy: the least it needs. `static` pages (dead links, the landing
 * page) run no script at all; the `flow` page runs its own modules, and MediaPipe's WebAssembly
 * needs 'wasm-unsafe-eval' (compiling wasm only; never 'unsafe-eval', which would let strings run
 * as JavaScript). The favicon is `data:,` on both.
 */
export type PagePolicy = 'static' | 'flow';

const POLICIES: Record<PagePolicy, (nonce: string, frameAncestors: string) => string[]> = {
  static: (nonce, frameAncestors) => [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ],
  flow: (nonce, frameAncestors) => [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ],
};

export interface PageOptions {
  language: string;
  title: string;
  body: string;
  policy: PagePolicy;
  /** Extra CSS, inlined under the response's nonce. */
  style?: string;
  /** Module scripts: only a `flow` page may have them. */
  scripts?: string[];
  stylesheets?: string[];
  /** Origins besides our own that may frame the page (the account's embedding setting; `*`: any). */
  frameAncestors?: string[];
}

/** A complete HTML page and the CSP that lets exactly its own style and scripts run. */
export function renderPage(options: PageOptions): { html: string; csp: string } {
  if (options.policy === 'static' && (options.scripts?.length || options.stylesheets?.length)) {
    throw new Error('a static page loads no script or stylesheet: its policy would refuse them');
  }
  const nonce = randomBytes(16).toString('base64');
  const html = `<!doctype html>
<html lang="${escapeHtml(options.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${escapeHtml(options.title)}</title>
<style nonce="${nonce}">${BASE_STYLE}${options.style ?? ''}</style>
${(options.stylesheets ?? []).map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
${(options.scripts ?? []).map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join('\n')}
</head>
<body>
${options.body}
</body>
</html>
`;
  const ancestors = options.frameAncestors ?? [];
  // The origins were validated on the way in (contract/account.ts): no space or ';' can reach here.
  const frameAncestors = ancestors.includes('*') ? '*' : ["'self'", ...ancestors].join(' ');
  return { html, csp: POLICIES[options.policy](nonce, frameAncestors).join('; ') };
}
