import type { Flow } from '../contract/links.js';
import type { CaptureKind, DocumentType } from '../contract/sessions.js';

/** Where the applicant is; `capture:<kind>` for a capture step. */
export type StepId = 'intro' | 'document_type' | `capture:${CaptureKind}` | 'review' | 'upload' | 'done';

/** The steps of a flow, in order. A passport has no back. */
export function stepsOf(flow: Flow, documentType: DocumentType | undefined): StepId[] {
  const steps: StepId[] = ['intro'];
  if (flow !== 'selfie') {
    steps.push('document_type', 'capture:document_front');
    if (documentType !== 'passport') steps.push('capture:document_back');
  }
  if (flow !== 'document') steps.push('capture:selfie');
  steps.push('review', 'upload', 'done');
  return steps;
}
