import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../contract/common.js';
import type { FlowPageData, LinkRefusal } from '../../contract/flow.js';
import type { Flow } from '../../contract/links.js';
import type { Deps } from '../deps.js';
import { linkRefusal } from '../domain/links.js';
import { HttpError } from '../http/errors.js';
import { route } from '../http/route.js';
import { linkIdFromToken } from '../tokens.js';
import { escapeHtml, inlineJson, renderPage } from './html.js';
import { PAGE_TEXT } from './messages.js';

export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The link token is in the path: no page may hand it on as a Referer.
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
  'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
};

/** The built flow's script and styles (from Vite's manifest), or undefined before `npm run build`. */
export type FlowEntry = { script: string; styles: string[] };

/** Markup shown above a page's own content, with its CSS (the preview's banner). */
export interface PageBanner {
  html: string;
  style: string;
}

/** The flow's page: a placeholder the script replaces, and what the script needs, as JSON. */
export function renderFlowPage(options: {
  pageData: FlowPageData;
  entry: FlowEntry | undefined;
  frameAncestors: string[];
  banner?: PageBanner;
}): { html: string; csp: string } {
  const { pageData, entry } = options;
  const text = PAGE_TEXT[pageData.language];
  return renderPage({
    language: pageData.language,
    policy: 'flow',
    frameAncestors: options.frameAncestors,
    title: text.heading,
    scripts: entry ? [entry.script] : [],
    stylesheets: entry?.styles ?? [],
    style: options.banner?.style,
    body: `${options.banner?.html ?? ''}<main id="flow">
<p class="eyebrow">${escapeHtml(pageData.merchant)}</p>
<h1>${escapeHtml(text.heading)}</h1>
<noscript><p>${escapeHtml(text.noScript)}</p></noscript>
</main>
<script type="application/json" id="vn-page">${inlineJson(pageData)}</script>`,
  });
}

/**
 * A dead link's reason, in the link's language. When the link exists, the page also carries the
 * flow: a browser that already holds an open session of this link (a reload after a single-use
 * link's only use was taken by this very applicant) or a handoff takes over and carries on.
 */
export function renderDeadLinkPage(options: {
  language: Language;
  refusal: LinkRefusal;
  link?: { flow: Flow; merchant: string; frameAncestors: string[] };
  entry: FlowEntry | undefined;
  banner?: PageBanner;
  frameAncestors?: string[];
}): { status: number; html: string; csp: string } {
  const { language, refusal, link, entry } = options;
  const text = PAGE_TEXT[language];
  const reason = text[refusal];
  const carriesFlow = link !== undefined && entry !== undefined;
  const pageData: FlowPageData | undefined = link && { language, flow: link.flow, merchant: link.merchant, languages: [...LANGUAGES], refusal };
  const { html, csp } = renderPage({
    language,
    policy: carriesFlow ? 'flow' : 'static',
    frameAncestors: options.frameAncestors ?? link?.frameAncestors,
    title: reason.title,
    scripts: carriesFlow ? [entry.script] : [],
    stylesheets: carriesFlow ? entry.styles : [],
    style: options.banner?.style,
    body: `${options.banner?.html ?? ''}<main id="flow" data-reason="${refusal}">
<p class="eyebrow">${escapeHtml(text.heading)}</p>
<h1>${escapeHtml(reason.title)}</h1>
<p>${escapeHtml(reason.body)}</p>
<p class="next">${escapeHtml(reason.next)}</p>
</main>${carriesFlow ? `\n<script type="application/json" id="vn-page">${inlineJson(pageData)}</script>` : ''}`,
  });
  return { status: refusal === 'link_not_found' ? 404 : 410, html, csp };
}

/** Pages for people: the flow behind a magic link, dead-link pages, the landing page. */
export function pageRoutes({ store, keys, clock, log, webRoot, demoUrl }: Deps) {
  const entry = flowEntry(webRoot);

  const flowPage = (language: Language, flow: Flow, merchant: string, frameAncestors: string[]) => {
    const pageData: FlowPageData = { language, flow, merchant, languages: [...LANGUAGES] };
    const { html, csp } = renderFlowPage({ pageData, entry, frameAncestors });
    return { status: 200, headers: { ...PAGE_HEADERS, 'content-security-policy': csp }, body: html };
  };

  const deadPage = (language: Language, refusal: LinkRefusal, link?: { flow: Flow; merchant: string; frameAncestors: string[] }) => {
    const { status, html, csp } = renderDeadLinkPage({ language, refusal, link, entry });
    return { status, headers: { ...PAGE_HEADERS, 'content-security-policy': csp }, body: html };
  };

  return [
    route({
      method: 'GET',
      path: '/v/:token',
      tag: 'pages',
      summary: 'The verification page behind a magic link; never uses the link',
      auth: 'public',
      hidden: true,
      params: z.object({ token: z.string() }),
      responses: { 200: { description: 'The flow.' }, 404: { description: 'Unknown link.' }, 410: { description: 'Dead link.' } },
      async handle({ params, req }) {
        const now = clock.now();
        const linkId = linkIdFromToken(params.token, keys.linkToken);
        const link = linkId ? await store.findLink(linkId) : undefined;
        const language = link?.language ?? preferredLanguage(req);
        let refusal = linkRefusal(link, now);
        const account = link && (await store.getAccount(link.accountId));
        if (!refusal && link!.mode === 'live' && (!account || account.creditsAvailable < 1)) refusal = 'no_credits';
        const frameAncestors = account?.embedOrigins ?? [];
        // Reading only: the use is taken by the page's own POST when the applicant presses Start.
        if (!refusal) {
          // Counted for the link's funnel, without making the page wait for the write.
          if (req.method === 'GET') void store.recordLinkOpen(link!.id).catch((err) => log.warn({ err }, 'a link open was not counted'));
          return flowPage(language, link!.flow, link!.accountName, frameAncestors);
        }
        return deadPage(language, refusal, link && { flow: link.flow, merchant: link.accountName, frameAncestors });
      },
    }),

    route({
      method: 'GET',
      path: '/demo',
      tag: 'pages',
      summary: 'The designers\' demo, on its own origin',
      auth: 'public',
      hidden: true,
      responses: { 302: { description: 'To the demo site.' }, 404: { description: 'The demo is off.' } },
      async handle() {
        const demo = demoUrl();
        if (!demo) throw new HttpError(404, 'demo_off', 'The demo site is off on this server (DEMO_PORT=off).');
        return { status: 302, headers: { location: `${demo}/demo`, 'cache-control': 'no-store' } };
      },
    }),

    route({
      method: 'GET',
      path: '/',
      tag: 'pages',
      summary: 'Where to go from here',
      auth: 'public',
      hidden: true,
      responses: { 200: { description: 'Landing page.' } },
      async handle() {
        const { html, csp } = renderPage({
          language: 'en',
          policy: 'static',
          title: 'verify-now',
          body: `<main>
<p class="eyebrow">verify-now</p>
<h1>Identity verification by magic link</h1>
<p>This server answers the API under <code>/api/v1</code> (described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>) and the verification pages behind magic links (<code>/v/…</code>).</p>
<p class="next">Create a link with your API key: see the README's quick start.${demoUrl() ? ' Designers: the <a href="/demo">demo</a> shows the widget and every screen of the flow.' : ''}</p>
</main>`,
        });
        return { headers: { ...PAGE_HEADERS, 'content-security-policy': csp }, body: html };
      },
    }),
  ];
}

/** The built flow script (from Vite's manifest), or undefined before `npm run build`. */
export function flowEntry(webRoot: string): FlowEntry | undefined {
  const manifestPath = join(webRoot, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { file: string; css?: string[] }>;
  const flow = manifest['flow/main.ts'];
  return flow ? { script: `/${flow.file}`, styles: (flow.css ?? []).map((c) => `/${c}`) } : undefined;
}

function preferredLanguage(req: IncomingMessage): Language {
  const header = req.headers['accept-language'] ?? '';
  for (const part of header.split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(code)) return code as Language;
  }
  return 'en';
}

