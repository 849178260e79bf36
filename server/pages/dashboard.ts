import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { HttpError } from '../http/errors.js';
import { route } from '../http/route.js';
import { preferredCopy } from './assets.js';
import { escapeHtml } from './html.js';

/** The dashboard's own sections (client-side routes); anything else under /dashboard is a 404. */
const SECTIONS = ['login', 'links', 'sessions', 'account'] as const;

/**
 * The dashboard page holds nothing but the app's script: every figure comes from the API with the
 * sign-in cookie. No framing at all (clickjacking a "Deny" or "Erase" button), scripts and styles
 * from our origin only, images also from blob: (captures are fetched with the cookie, then shown).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': CSP,
  'x-robots-tag': 'noindex, nofollow',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export function dashboardRoutes({ webRoot }: Deps) {
  const root = join(webRoot, 'dashboard');
  let entry: { script: string; styles: string[] } | undefined;
  const page = () => {
    entry ??= dashboardEntry(root);
    if (!entry) throw new HttpError(503, 'not_built', 'The dashboard is not built: run `npm run build` (npm start does).');
    return {
      headers: HEADERS,
      body: `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>verify-now dashboard</title>
${entry.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
<script type="module" src="${escapeHtml(entry.script)}"></script>
</head>
<body>
<vn-dashboard><noscript>The dashboard needs JavaScript.</noscript></vn-dashboard>
</body>
</html>
`,
    };
  };

  const common = { tag: 'pages', auth: 'public', hidden: true, responses: { 200: { description: 'The dashboard app.' } } } as const;
  return [
    // First: the router takes the first match, and `assets` would also fit `:section/:id`.
    route({
      ...common, method: 'GET', path: '/dashboard/assets/:file', summary: 'The dashboard\'s built files (hashed names: cached for good)',
      params: z.object({ file: z.string().regex(/^[A-Za-z0-9_.-]+$/).refine((f) => !f.startsWith('.')) }),
      async handle({ params, req }) {
        return preferredCopy(join(root, 'assets', params.file), req.headers['accept-encoding'], { 'cache-control': 'public, max-age=31536000, immutable' });
      },
    }),
    route({ ...common, method: 'GET', path: '/dashboard', summary: 'The merchant dashboard', async handle() { return page(); } }),
    route({
      ...common, method: 'GET', path: '/dashboard/:section', summary: 'The merchant dashboard (a section)',
      params: z.object({ section: z.enum(SECTIONS) }),
      async handle() { return page(); },
    }),
    route({
      ...common, method: 'GET', path: '/dashboard/:section/:id', summary: 'The merchant dashboard (one link or session)',
      params: z.object({ section: z.enum(['links', 'sessions']), id: z.string().regex(/^(lnk|ses)_[A-Za-z0-9_-]{22}$/) }),
      async handle() { return page(); },
    }),
  ];
}

function dashboardEntry(root: string): { script: string; styles: string[] } | undefined {
  const manifestPath = join(root, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { file: string; css?: string[] }>;
  const main = manifest['dashboard/main.ts'];
  return main ? { script: `/dashboard/${main.file}`, styles: (main.css ?? []).map((c) => `/dashboard/${c}`) } : undefined;
}
