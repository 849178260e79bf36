/**
 * What a merchant's `link` attribute must be: a verification link (`https://host/v/TOKEN`) and,
 * when this script came from a verify-now server, a link of that same server.
 */

const LINK_PATH = /^\/v\/[A-Za-z0-9_~.-]+\/?$/;
/** The paths a verify-now server serves this script at (server/pages/widget.ts). */
const WIDGET_SCRIPT_PATH = /^\/widget\/verify-now(\.classic)?\.js$/;

/**
 * The verify-now server this script was loaded from, when it was (its URL's path is
 * /widget/verify-now.js or /widget/verify-now.classic.js); undefined when it was bundled from
 * npm into the merchant's own code, whose URL says nothing about which server its links live on.
 */
export function widgetServerOrigin(scriptUrl: string | undefined): string | undefined {
  if (!scriptUrl) return undefined;
  try {
    const url = new URL(scriptUrl);
    return WIDGET_SCRIPT_PATH.test(url.pathname) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The link's URL, or why a merchant's `link` attribute cannot be one. `serverOrigin` (from
 * `widgetServerOrigin`): a link must live on the server the script came from, the only one whose
 * flow this copy of the widget is sure to speak with.
 */
export function parseLink(link: string | null | undefined, serverOrigin?: string): { url: URL } | { problem: string } {
  if (!link) return { problem: 'the `link` attribute is missing. Set it to the link URL the API answered, e.g. <verify-now link="https://verify.example/v/TOKEN">.' };
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { problem: `the \`link\` attribute "${link}" is not an absolute URL. Use the link's full "url" from the API.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `the \`link\` "${link}" must be an https:// URL.` };
  if (!LINK_PATH.test(url.pathname)) return { problem: `the \`link\` "${link}" is not a verification link: its path must be /v/TOKEN.` };
  if (serverOrigin && url.origin !== serverOrigin) {
    return {
      problem: `the \`link\` "${link}" is on ${url.origin}, but this script was loaded from ${serverOrigin}. ` +
        `Load the script from the link's own server (${url.origin}/widget/verify-now.js), or use a link made by ${serverOrigin}.`,
    };
  }
  return { url };
}
