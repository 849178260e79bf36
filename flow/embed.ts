/**
 * Tells the page that frames the flow (the <verify-now> widget's modal) what happened. Messages go
 * to one explicit origin, the framing page's, never to '*': the session id must not leak to
 * whatever page managed to frame us (frame-ancestors limits who can, this limits who hears).
 *
 * Message shape: `{source: 'verify-now', type, ...}` with type `ready` | `step` | `complete` |
 * `cancel` | `error`.
 */
export type EmbedMessage =
  | { type: 'ready' }
  | { type: 'step'; step: string }
  | { type: 'complete'; sessionId: string; status: string }
  | { type: 'cancel'; reason?: 'escape' }
  | { type: 'error'; code: string; message: string };

export const isFramed: boolean = (() => {
  try {
    return window.parent !== window;
  } catch {
    return true;
  }
})();

/**
 * The framing page's origin: `location.ancestorOrigins` where the browser has it (Chromium,
 * Safari), else the referrer's origin (Firefox: the frame's URL is loaded from the parent, which
 * sends its origin unless it set `Referrer-Policy: no-referrer`).
 */
function parentOrigin(): string | undefined {
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0] ?? undefined;
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
}

const targetOrigin = isFramed ? parentOrigin() : undefined;

export function tellEmbedder(message: EmbedMessage): void {
  if (!targetOrigin || targetOrigin === 'null') return;
  window.parent.postMessage({ source: 'verify-now', ...message }, targetOrigin);
}

/**
 * Escape inside the frame never reaches the modal `<dialog>` around it (keys go to the focused
 * document, and the flow focuses each step's heading), so the flow passes it on as a cancel the
 * widget treats like its own Escape.
 */
export function forwardEscapeToEmbedder(): void {
  if (!isFramed) return;
  addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && !event.isComposing) tellEmbedder({ type: 'cancel', reason: 'escape' });
  });
}
