/**
 * The gallery: every screen of the flow, rendered by the real flow in preview mode
 * (`/preview/flow`, see contract/preview.ts) at a phone's and a desktop's width, shrunk to fit.
 */
import { html, nothing } from 'lit';
import type { Language } from '../contract/common.js';
import type { Flow } from '../contract/links.js';
import { PREVIEW_SCREENS, type PreviewScreen } from '../contract/preview.js';

export interface Widths {
  phone: boolean;
  desktop: boolean;
}

/** The screens a flow can show: a selfie-only flow has no document steps, a document-only one no selfie. */
export function screensFor(flow: Flow) {
  return PREVIEW_SCREENS.filter(({ id }) => {
    const documentScreen = id === 'document_type' || id.startsWith('capture_front') || id.startsWith('capture_back');
    if (flow === 'selfie' && documentScreen) return false;
    if (flow === 'document' && id.startsWith('capture_selfie')) return false;
    return true;
  });
}

export function previewUrl(origin: string, screen: PreviewScreen, flow: Flow, language: Language): string {
  const query = new URLSearchParams({ screen, flow, language, merchant: 'Demo shop' });
  return `${origin}/preview/flow?${query}`;
}

export function renderGallery(origin: string, flow: Flow, language: Language, widths: Widths) {
  return html`<ul class="gallery">
    ${screensFor(flow).map(({ id, label }) => {
      const url = previewUrl(origin, id, flow, language);
      // Thumbnails, not controls: inert keeps them out of the tab order and the accessibility
      // tree's way; "open" gives each screen full size, with the keyboard too.
      const frame = (device: 'phone' | 'desktop') => html`<div class="device ${device}">
        <iframe src=${url} title=${`${label}, ${device === 'phone' ? 'phone' : 'desktop'} width`} loading="lazy" inert tabindex="-1"></iframe>
      </div>`;
      return html`<li>
        <figure>
          <div class="devices">${widths.phone ? frame('phone') : nothing}${widths.desktop ? frame('desktop') : nothing}</div>
          <figcaption>${label} · <a href=${url} target="_blank" rel="noopener">open<span class="sr-only"> ${label} full size</span></a></figcaption>
        </figure>
      </li>`;
    })}
  </ul>`;
}
