import type { Account } from '../contract/account.js';
import type { Link } from '../contract/links.js';
import type { Capture, Session } from '../contract/sessions.js';
import { linkStatus, remainingUses } from './domain/links.js';
import { stepsOf } from './domain/sessions.js';
import type { AccountRow, CaptureRow, LinkRow, Presenter, SessionRow } from './store/store.js';
import { linkToken } from './tokens.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Rows as the API shows them. `publicUrl` is read late: with PORT=0 it is known only after listen. */
export function createPresenter(publicUrl: () => string, linkTokenKey: Buffer) {
  // Tokens are an HMAC each: remember them (bounded) rather than recompute one per link shown.
  const tokens = new Map<string, string>();
  const tokenOf = (id: string) => {
    let token = tokens.get(id);
    if (!token) {
      if (tokens.size >= 10_000) tokens.clear();
      token = linkToken(id, linkTokenKey);
      tokens.set(id, token);
    }
    return token;
  };
  const linkUrl = (id: string) => `${publicUrl()}/v/${tokenOf(id)}`;

  const link = (row: LinkRow, now: number): Link => ({
    id: row.id,
    url: linkUrl(row.id),
    name: row.name,
    flow: row.flow,
    usageLimit: row.usageLimit,
    uses: row.uses,
    remainingUses: remainingUses(row),
    expiresAt: isoOrNull(row.expiresAt),
    language: row.language,
    redirectUrl: row.redirectUrl,
    metadata: row.metadata,
    status: linkStatus(row, now),
    mode: row.mode,
    createdAt: iso(row.createdAt),
    deactivatedAt: isoOrNull(row.deactivatedAt),
  });

  const capture = (row: CaptureRow): Capture => ({
    kind: row.kind,
    contentType: row.contentType,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    metrics: row.metrics,
    uploadedAt: iso(row.uploadedAt),
  });

  const session = (row: SessionRow, captures: CaptureRow[]): Session => ({
    id: row.id,
    linkId: row.linkId,
    status: row.status,
    mode: row.mode,
    flow: row.flow,
    language: row.language,
    documentType: row.documentType,
    steps: stepsOf(row.flow, row.documentType, captures.map((c) => c.kind)),
    captures: captures.map(capture),
    checks: [],
    credit: row.credit,
    decision:
      row.decidedAt !== null && (row.status === 'approved' || row.status === 'denied')
        ? { status: row.status, note: row.decisionNote, decidedAt: iso(row.decidedAt) }
        : null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    expiresAt: iso(row.expiresAt),
    submittedAt: isoOrNull(row.submittedAt),
    erasedAt: isoOrNull(row.erasedAt),
  });

  const account = (row: AccountRow): Account => ({
    id: row.id,
    name: row.name,
    credits: { available: row.creditsAvailable, held: row.creditsHeld },
    embedOrigins: row.embedOrigins,
  });

  return { link, session, capture, account, linkUrl } satisfies Presenter & Record<string, unknown>;
}

export type Present = ReturnType<typeof createPresenter>;
