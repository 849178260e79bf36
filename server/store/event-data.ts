import type { LinkRow, Presenter } from './store.js';

/**
 * A link event's data without its URL: the URL holds the link's token, and the database keeps no
 * usable token. `eventDataAsShown` puts it back whenever an event is read.
 */
export function linkEventData(present: Presenter, link: LinkRow, now: number): Record<string, unknown> {
  const { url: _url, ...data } = present.link(link, now) as Record<string, unknown>;
  return data;
}

/** An event's stored data (JSON text) as the API shows it. */
export function eventDataAsShown(present: Presenter, type: string, subjectId: string, data: string): string {
  if (!type.startsWith('link.')) return data;
  const { id, ...rest } = JSON.parse(data) as { id: string };
  return JSON.stringify({ id, url: present.linkUrl(subjectId), ...rest });
}
