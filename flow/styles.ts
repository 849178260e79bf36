/**
 * The flow's look: one column, thumb-sized targets (44 px), AA contrast in light and dark, no
 * motion for those who asked for none. Theme through custom properties (the widget's demo sets them).
 */
import { css } from 'lit';

export const flowStyles = css`
  :host {
    --vn-accent: #1d4ed8;
    --vn-accent-hover: #1e40af;
    --vn-on-accent: #ffffff;
    --vn-radius: 0.75rem;
    --vn-good: #15803d;
    --vn-error: #b91c1c;
    --vn-muted: color-mix(in srgb, CanvasText 72%, Canvas);
    --vn-surface: color-mix(in srgb, CanvasText 6%, Canvas);
    display: block;
    color: CanvasText;
    line-height: 1.5;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --vn-accent: #60a5fa;
      --vn-accent-hover: #93c5fd;
      --vn-on-accent: #0b1220;
      --vn-good: #4ade80;
      --vn-error: #fca5a5;
    }
  }
  [hidden] { display: none !important; }
  h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 0.5rem; }
  h1:focus { outline: none; }
  h2 { font-size: 1.125rem; margin: 0 0 0.25rem; }
  p { margin: 0 0 0.75rem; }
  .hint { color: var(--vn-muted); }
  ul { padding-left: 1.25rem; margin: 0 0 1rem; }
  li { margin-bottom: 0.25rem; }

  button, .file, a.button {
    box-sizing: border-box;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-height: 2.75rem;
    padding: 0.625rem 1.25rem;
    border: 2px solid transparent;
    border-radius: var(--vn-radius);
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }
  button, .file.primary, a.button {
    background: var(--vn-accent);
    color: var(--vn-on-accent);
  }
  button:hover:not(:disabled), .file.primary:hover, a.button:hover { background: var(--vn-accent-hover); }
  button:disabled {
    background: color-mix(in srgb, CanvasText 12%, Canvas);
    color: color-mix(in srgb, CanvasText 62%, Canvas);
    cursor: not-allowed;
  }
  button.secondary, .file.secondary {
    background: transparent;
    color: var(--vn-accent);
    border-color: currentColor;
  }
  button.secondary:hover:not(:disabled), .file.secondary:hover { background: var(--vn-surface); }
  button.link {
    background: none;
    color: var(--vn-accent);
    text-decoration: underline;
    /* Aligned with the text around it; the focus outline still has room. */
    padding-inline: 0.25rem;
    margin-inline: -0.25rem;
  }
  button.link:hover:not(:disabled) { background: var(--vn-surface); }
  :focus-visible { outline: 3px solid var(--vn-accent); outline-offset: 2px; }
  .file { position: relative; }
  .file:focus-within { outline: 3px solid var(--vn-accent); outline-offset: 2px; }
  /* The native input stays in the accessibility tree and takes focus; the label is what shows. */
  .file input { position: absolute; inset: 0; opacity: 0; width: 100%; height: 100%; cursor: pointer; }

  .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 1.25rem 0 0.75rem; }
  @media (max-width: 30rem) {
    .actions > button:not(.link), .actions > .file, .actions > a.button { flex: 1 1 100%; }
  }

  .check { display: flex; gap: 0.75rem; align-items: flex-start; padding: 0.5rem 0; cursor: pointer; }
  .check input { flex: none; width: 1.5rem; height: 1.5rem; margin: 0; accent-color: var(--vn-accent); }
  fieldset { border: 0; margin: 0; padding: 0; }
  legend { padding: 0; font-weight: 600; margin-bottom: 0.5rem; }
  .choice {
    display: flex; gap: 0.75rem; align-items: center; padding: 0.75rem 1rem; margin-bottom: 0.5rem;
    border: 1px solid color-mix(in srgb, CanvasText 35%, Canvas); border-radius: var(--vn-radius); cursor: pointer;
  }
  .choice:has(input:checked) { border-color: var(--vn-accent); box-shadow: inset 0 0 0 1px var(--vn-accent); }
  .choice input { width: 1.25rem; height: 1.25rem; margin: 0; accent-color: var(--vn-accent); }

  .error { color: var(--vn-error); }
  .ok { color: var(--vn-good); }
  .problem { padding: 1rem; border-radius: var(--vn-radius); background: var(--vn-surface); border-left: 4px solid var(--vn-error); margin: 1rem 0; }
  .note { padding: 0.75rem 1rem; border-radius: var(--vn-radius); background: var(--vn-surface); }

  .viewport {
    position: relative;
    width: 100%;
    max-height: 62vh;
    margin: 0.75rem auto 0;
    border-radius: var(--vn-radius);
    overflow: hidden;
    background: #111;
  }
  .viewport video, .viewport .overlay { position: absolute; inset: 0; width: 100%; height: 100%; }
  .viewport video { object-fit: cover; }
  .viewport.mirrored video, .viewport.mirrored .overlay { transform: scaleX(-1); }
  .overlay .aim { fill: none; stroke: rgba(255, 255, 255, 0.75); stroke-width: 2; stroke-dasharray: 8 6; vector-effect: non-scaling-stroke; }
  .overlay .found { fill: rgba(250, 204, 21, 0.12); stroke: #facc15; stroke-width: 3; vector-effect: non-scaling-stroke; }
  .overlay .found.good { fill: rgba(74, 222, 128, 0.15); stroke: #4ade80; }
  .viewport-status { position: absolute; inset: auto 0 0; margin: 0; padding: 0.5rem; color: #fff; background: rgba(0, 0, 0, 0.55); text-align: center; }
  .guidance {
    min-height: 1.5em; margin: 0.5rem 0 0; padding: 0.5rem 0.75rem; border-radius: var(--vn-radius);
    background: var(--vn-surface); font-weight: 600; text-align: center;
  }

  .review { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: 1rem; margin: 1rem 0; padding: 0; list-style: none; }
  .review figure { margin: 0; }
  .review img { display: block; width: 100%; aspect-ratio: 4 / 3; object-fit: contain; background: #111; border-radius: var(--vn-radius); }
  .review figcaption { margin: 0.375rem 0; font-size: 0.9375rem; }
  /* The captions are the catalogue's in-sentence names: capitalised where they stand alone. */
  .review figcaption::first-letter { text-transform: uppercase; }

  progress {
    appearance: none; width: 100%; height: 0.75rem; border: 0; border-radius: 0.375rem; overflow: hidden;
    background: color-mix(in srgb, CanvasText 15%, Canvas); color: var(--vn-accent);
  }
  progress::-webkit-progress-bar { background: color-mix(in srgb, CanvasText 15%, Canvas); }
  progress::-webkit-progress-value { background: var(--vn-accent); }
  progress::-moz-progress-bar { background: var(--vn-accent); }
  .upload-row { margin-bottom: 0.75rem; }
  .upload-row span { display: block; font-size: 0.9375rem; }

  .qr { display: block; width: min(100%, 15rem); aspect-ratio: 1; margin: 1rem auto; background: #fff; padding: 0.5rem; border-radius: var(--vn-radius); }
  .url { word-break: break-all; font-size: 0.875rem; color: var(--vn-muted); }

  @media (prefers-reduced-motion: no-preference) {
    .overlay .found { transition: stroke 150ms ease-out, fill 150ms ease-out; }
  }
`;
