import type { Flow } from '../../contract/links.js';
import type { CaptureKind, DocumentType, SessionStatus, Step } from '../../contract/sessions.js';
import type { LinkRow, SessionRow, SessionUnavailable, StartSession } from '../store/store.js';

/** Statuses in which the applicant can still upload and submit. */
export const OPEN_STATUSES: readonly SessionStatus[] = ['created', 'in_progress'];
export const isOpen = (status: SessionStatus) => OPEN_STATUSES.includes(status);

/** Statuses a manual decision may be taken from. */
export const DECIDABLE_STATUSES: readonly SessionStatus[] = ['submitted', 'review', 'approved', 'denied'];

/** The captures a flow can take, in the order the applicant meets them. */
export function captureKindsOf(flow: Flow): CaptureKind[] {
  switch (flow) {
    case 'document':
      return ['document_front', 'document_back'];
    case 'selfie':
      return ['selfie'];
    case 'document+selfie':
      return ['document_front', 'document_back', 'selfie'];
  }
}

/** A passport is photographed on its data page only: it has no back to capture. */
export function requiredCaptureKinds(flow: Flow, documentType: DocumentType | null): CaptureKind[] {
  return captureKindsOf(flow).filter((kind) => !(kind === 'document_back' && documentType === 'passport'));
}

export function stepsOf(flow: Flow, documentType: DocumentType | null, captured: Iterable<CaptureKind>): Step[] {
  const done = new Set(captured);
  const required = new Set(requiredCaptureKinds(flow, documentType));
  return captureKindsOf(flow).map((kind) => ({ kind, required: required.has(kind), done: done.has(kind) }));
}

/** Why the applicant can no longer change a session, or null while it is open. */
export function sessionUnavailable(session: SessionRow | undefined, nowMs: number): SessionUnavailable | null {
  if (!session) return 'session_not_found';
  // Past its time to live a session is expired, whether or not the sweeper has been by yet.
  if (session.status === 'expired' || (isOpen(session.status) && session.expiresAt <= nowMs)) return 'session_expired';
  if (!isOpen(session.status)) return 'session_closed';
  return null;
}

/** The session a start of the link creates: the link's flow and language, a credit held in live mode. */
export function newSessionRow(link: LinkRow, input: StartSession): SessionRow {
  return {
    id: input.sessionId,
    accountId: link.accountId,
    linkId: link.id,
    mode: link.mode,
    flow: link.flow,
    language: link.language,
    status: 'created',
    documentType: null,
    credit: link.mode === 'live' ? 'held' : 'none',
    decisionNote: null,
    decidedAt: null,
    createdAt: input.now,
    updatedAt: input.now,
    expiresAt: input.now + input.ttlMs,
    submittedAt: null,
    erasedAt: null,
  };
}
