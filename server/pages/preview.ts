import QRCode from 'qrcode';
import { LANGUAGES } from '../../contract/common.js';
import { PREVIEW_FLOWS, previewQuerySchema, type FlowPageData, type FlowPreview, type LinkRefusal } from '../../contract/flow.js';
import type { Deps } from '../deps.js';
import { route } from '../http/route.js';
import { flowEntry, PAGE_HEADERS, renderDeadLinkPage, renderFlowPage, type PageBanner } from './page-routes.js';

/**
 * The banner says, in every screen, that nothing is real. In English whatever the screen speaks:
 * it is for the designers looking at the gallery, not for an applicant (`lang` says so to screen
 * readers). The page's grid gets a row for it, above the flow's own.
 */
const BANNER: PageBanner = {
  // An aside (a landmark of its own, so that everything on the page sits in one) holding the note.
  html: '<aside class="vn-preview" aria-label="Preview" lang="en"><p role="note">Preview — no session is created</p></aside>\n',
  style: `
body { grid-template-rows: auto 1fr; }
.vn-preview p { margin: 0; }
.vn-preview { justify-self: stretch; align-self: start; padding: .5rem 1rem; text-align: center; font-size: .875rem; font-weight: 600; background: #fef3c7; color: #713f12; border-bottom: 2px solid #d97706; }
@media (prefers-color-scheme: dark) { .vn-preview { background: #422006; color: #fde68a; } }
`,
};

const PREVIEW_HEADERS = {
  ...PAGE_HEADERS,
  // Nothing on these pages may use the camera: the capture screens show still pictures.
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** The phone and new-tab screens' made-up address: `.invalid` can never resolve, so the QR code leads nowhere. */
const PREVIEW_HANDOFF_URL = 'https://example.invalid/v/preview#handoff=vnh_preview';
let handoffQr: Promise<string> | undefined;

/**
 * The flow's preview mode for the designers' demo page (contract/preview.ts): one screen of the
 * real flow, with made-up content. It reads nothing from the store and writes nothing: no link,
 * no session, no credit. Any site may frame it; it holds nothing personal.
 */
export function previewRoutes({ webRoot, clock }: Deps) {
  const entry = flowEntry(webRoot);
  return [
    route({
      method: 'GET',
      path: '/preview/flow',
      tag: 'pages',
      summary: "One screen of the applicant's flow with made-up content, for the demo page",
      auth: 'public',
      hidden: true,
      query: previewQuerySchema,
      responses: { 200: { description: 'The screen.' }, 400: { description: 'A query field is not valid (the message names it).' } },
      async handle({ query }) {
        const { screen, language } = query;
        if (screen.startsWith('refusal:')) {
          // The same page a dead /v/TOKEN answers, but 200: nothing is refused here.
          const refusal = screen.slice('refusal:'.length) as LinkRefusal;
          const { html, csp } = renderDeadLinkPage({ language, refusal, entry: undefined, banner: BANNER, frameAncestors: ['*'] });
          return { headers: { ...PREVIEW_HEADERS, 'content-security-policy': csp }, body: html };
        }
        const preview: FlowPreview = { screen, documentType: query.document };
        if (screen === 'phone' || screen === 'new_tab') {
          handoffQr ??= QRCode.toString(PREVIEW_HANDOFF_URL, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
          const expiresAt = new Date(clock.now() + 10 * 60_000).toISOString();
          preview.handoff = { url: PREVIEW_HANDOFF_URL, expiresAt, qrSvg: await handoffQr };
        }
        const pageData: FlowPageData = {
          language,
          flow: PREVIEW_FLOWS[query.flow],
          merchant: query.merchant,
          languages: [...LANGUAGES],
          preview,
        };
        const { html, csp } = renderFlowPage({ pageData, entry, frameAncestors: ['*'], banner: BANNER });
        return { headers: { ...PREVIEW_HEADERS, 'content-security-policy': csp }, body: html };
      },
    }),
  ];
}
