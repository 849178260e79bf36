/** How the dashboard words and dates things: one place, so every page says it the same way. */
import type { Flow, Link } from '../contract/links.js';

export const FLOW_LABELS: Record<Flow, string> = {
  'document+selfie': 'Document and selfie',
  document: 'Document',
  selfie: 'Selfie',
};

export const LINK_STATUS_LABELS: Record<Link['status'], string> = {
  active: 'Active',
  expired: 'Expired',
  exhausted: 'Used up',
  deactivated: 'Deactivated',
};

export const SESSION_STATUS_LABELS: Record<string, string> = {
  created: 'Started',
  in_progress: 'In progress',
  submitted: 'Submitted',
  review: 'To review',
  approved: 'Approved',
  denied: 'Denied',
  expired: 'Expired',
};

export const CAPTURE_LABELS: Record<string, string> = {
  document_front: 'Document, front',
  document_back: 'Document, back',
  selfie: 'Selfie',
};

export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English', de: 'Deutsch', es: 'Español', fr: 'Français', it: 'Italiano', lt: 'Lietuvių', nl: 'Nederlands', pt: 'Português',
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
// dateStyle/timeStyle cannot be combined with timeZoneName: the parts are named one by one.
const dateTimeZone = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

export const formatDate = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—');
/** With the time zone: where the moment matters (a link's expiry). */
export const formatDateZone = (iso: string | null | undefined) => (iso ? dateTimeZone.format(new Date(iso)) : '—');

/** The browser's time zone, as a person reads it: "Europe/Berlin (UTC+01:00)". */
export function timeZoneName(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = -new Date().getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '−';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${zone} (UTC${sign}${hours}:${minutes})`;
}

export function usageLabel(link: Pick<Link, 'usageLimit'>): string {
  if (link.usageLimit === null) return 'Unlimited';
  return link.usageLimit === 1 ? 'Single-use' : `Multi-use (${link.usageLimit})`;
}

export function usesLabel(link: Pick<Link, 'uses' | 'usageLimit' | 'remainingUses'>): string {
  return link.usageLimit === null ? `${link.uses} used` : `${link.uses} of ${link.usageLimit} used, ${link.remainingUses} left`;
}

export const shortId = (id: string) => `${id.slice(0, 4)}…${id.slice(-6)}`;
