/**
 * The page behind a magic link. The server rendered the merchant's name and the link's language
 * into `#vn-page`; the flow takes over `#flow`, and the detection worker starts loading its wasm
 * and model at once, while the applicant reads the intro.
 *
 * On a dead link's page (`refusal` set) the server's explanation stays, unless this browser holds
 * an open session of the link or arrives with a handoff: then the flow takes over and carries on.
 *
 * A preview page (`preview` set, /preview/flow) loads its own module instead, which shows one
 * screen and starts nothing: no worker, no storage, no session.
 */
import type { FlowPageData } from '../contract/flow.js';
import { forwardEscapeToEmbedder } from './embed.js';
import { FlowApp } from './flow-app.js';
import { handoffTokenInUrl, ResumeStore } from './resume-store.js';
import { startVision } from './vision/client.js';

async function startFlow(page: FlowPageData): Promise<void> {
  // The token is the path's last segment; the flow sends it in a POST body, never in another URL.
  const linkToken = decodeURIComponent(location.pathname.split('/').pop() ?? '');
  const store = new ResumeStore(linkToken);
  if (page.refusal && handoffTokenInUrl() === null && !(await store.session())) return;
  const app = new FlowApp();
  app.page = page;
  app.linkToken = linkToken;
  app.store = store;
  document.getElementById('flow')!.replaceWith(app);
  startVision();
  forwardEscapeToEmbedder();
}

const page = JSON.parse(document.getElementById('vn-page')!.textContent!) as FlowPageData;
// No top-level await: the preview's chunk imports the flow from this one, which must have run.
if (page.preview) void import('./preview.js').then((preview) => preview.showPreview(page, page.preview!));
else void startFlow(page);
