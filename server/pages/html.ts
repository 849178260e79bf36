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
`;

export interface PageOptions {
  language: string;
  title: string;
  body: string;
  /** Extra CSS, inlined under the response's nonce. */
  style?: string;
  scripts?: string[];
  stylesheets?: string[];
}

/** A complete HTML page and the CSP that lets exactly its own style and scripts run. */
export function renderPage(options: PageOptions): { html: string; csp: string } {
  const nonce = randomBytes(16).toString('base64');
  const html = `<!doctype html>
<html lang="${escapeHtml(options.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
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
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
  return { html, csp };
}
