/**
 * The page behind a magic link. The server rendered the merchant's name and the link's language
 * into `#vn-page`; the flow takes over `#flow`, and the detection worker starts loading its wasm
 * and model at once, while the applicant reads the intro.
 */
import type { FlowPageData } from '../contract/flow.js';
import { FlowApp } from './flow-app.js';
import { startVision } from './vision/client.js';

const page = JSON.parse(document.getElementById('vn-page')!.textContent!) as FlowPageData;
const app = new FlowApp();
app.page = page;
// The token is the path's last segment; the flow sends it in a POST body, never in another URL.
app.linkToken = decodeURIComponent(location.pathname.split('/').pop() ?? '');
document.getElementById('flow')!.replaceWith(app);
startVision();
