/**
 * A link's insight as a person reads it at a glance: the funnel as bars with counts and the share
 * of page views, and sessions per day as columns. Plain HTML and SVG (no chart library for two
 * charts); each has its figures as text or a table for screen readers.
 */
import { html, svg } from 'lit';
import type { LinkStats } from '../contract/links.js';

const STEPS: [keyof LinkStats['funnel'], string][] = [
  ['opened', 'Link opened'],
  ['started', 'Session started'],
  ['captured', 'Photos taken'],
  ['submitted', 'Submitted'],
  ['approved', 'Approved'],
];

export function funnelChart(stats: LinkStats) {
  const top = Math.max(1, ...Object.values(stats.funnel));
  const base = stats.funnel.opened || stats.funnel.started;
  return html`<div class="funnel" role="list" aria-label="Funnel">
    ${STEPS.map(([key, label]) => {
      const value = stats.funnel[key];
      const share = base > 0 ? Math.round((value / base) * 100) : 0;
      return html`<div class="row" role="listitem">
        <span>${label}</span>
        <span class="bar" aria-hidden="true"><span data-width=${String((value / top) * 100)}></span></span>
        <span class="count">${value}${key !== 'opened' && base > 0 ? html` <span class="muted">(${share}%)</span>` : ''}</span>
      </div>`;
    })}
  </div>`;
}

/** Bar widths go through the CSSOM: the page's CSP refuses style attributes. */
export function sizeFunnelBars(root: ParentNode): void {
  for (const bar of root.querySelectorAll<HTMLElement>('.funnel .bar > span[data-width]')) bar.style.width = `${bar.dataset.width}%`;
}

export function perDayChart(stats: LinkStats) {
  const days = stats.perDay;
  const top = Math.max(1, ...days.map((d) => d.sessions));
  const width = 300;
  const height = 100;
  const slot = width / days.length;
  const total = days.reduce((sum, d) => sum + d.sessions, 0);
  const busiest = days.reduce((best, d) => (d.sessions > best.sessions ? d : best), days[0]!);
  const summary = total === 0
    ? 'No sessions in the last 30 days.'
    : `${total} sessions in the last 30 days; the busiest day, ${busiest.day}, had ${busiest.sessions}.`;
  return html`<figure class="per-day">
    <svg viewBox="0 0 ${width} ${height + 14}" preserveAspectRatio="none" role="img" aria-label=${summary}>
      <line x1="0" y1=${height} x2=${width} y2=${height}></line>
      ${days.map((d, i) => {
        const h = (d.sessions / top) * (height - 4);
        return svg`<rect x=${i * slot + slot * 0.15} y=${height - h} width=${slot * 0.7} height=${h}><title>${d.day}: ${d.sessions}</title></rect>`;
      })}
      <text x="0" y=${height + 12}>${days[0]?.day.slice(5)}</text>
      <text x=${width} y=${height + 12} text-anchor="end">${days.at(-1)?.day.slice(5)}</text>
    </svg>
    <figcaption class="hint">${summary}</figcaption>
  </figure>`;
}
