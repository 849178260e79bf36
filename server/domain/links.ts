import type { LinkRefusal } from '../../contract/flow.js';
import type { LinkStatus } from '../../contract/links.js';
import type { LinkRow } from '../store/store.js';

/** A link's status is derived from its fields, in this order of precedence. */
export function linkStatus(link: LinkRow, nowMs: number): LinkStatus {
  if (link.deactivatedAt !== null) return 'deactivated';
  if (link.expiresAt !== null && link.expiresAt <= nowMs) return 'expired';
  if (link.usageLimit !== null && link.uses >= link.usageLimit) return 'exhausted';
  return 'active';
}

export function remainingUses(link: LinkRow): number | null {
  return link.usageLimit === null ? null : Math.max(0, link.usageLimit - link.uses);
}

const REFUSAL_BY_STATUS: Record<Exclude<LinkStatus, 'active'>, LinkRefusal> = {
  deactivated: 'link_deactivated',
  expired: 'link_expired',
  exhausted: 'link_exhausted',
};

/** Why a session cannot start from this link (credits aside), or null when it can. */
export function linkRefusal(link: LinkRow | undefined, nowMs: number): LinkRefusal | null {
  if (!link) return 'link_not_found';
  const status = linkStatus(link, nowMs);
  return status === 'active' ? null : REFUSAL_BY_STATUS[status];
}
