import { escapeHtml, inlineJson } from '../pages/html.js';

/** What the demo page's script needs to know (`#demo-page`). */
export interface DemoPageData {
  /** The verify-now server's origin: where the widget, the flow and the previews come from. */
  verifyNowOrigin: string;
  /** This page's own origin, for the snippet's explanation. */
  demoOrigin: string;
}

/**
 * The pretend merchant's page. Its Content-Security-Policy is the one the widget's README tells
 * merchants to use (script and frames from verify-now, nothing else from it), so the demo proves
 * the documented policy is enough.
 */
export function renderDemoPage(data: DemoPageData, assets: { script: string; style: string }): { html: string; csp: string } {
  const vn = data.verifyNowOrigin;
  const csp = [
    "default-src 'none'",
    `script-src 'self' ${vn}`,
    `frame-src ${vn}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>Demo shop · verify-now playground</title>
<link rel="stylesheet" href="${escapeHtml(assets.style)}">
<script type="module" src="${escapeHtml(vn)}/widget/verify-now.js"></script>
<script type="module" src="${escapeHtml(assets.script)}"></script>
</head>
<body>
<header class="site">
  <p class="brand">Demo shop</p>
  <p class="notice">A pretend merchant site on <code>${escapeHtml(data.demoOrigin)}</code>, embedding verify-now from <code>${escapeHtml(vn)}</code> exactly as a merchant would. Links made here are <strong>test links</strong>: the flow runs completely and nothing is billed.</p>
</header>
<main id="demo">
  <noscript><p>The playground needs JavaScript.</p></noscript>
</main>
<script type="application/json" id="demo-page">${inlineJson(data)}</script>
</body>
</html>
`;
  return { html, csp };
}
