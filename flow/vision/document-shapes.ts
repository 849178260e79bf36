/**
 * The shapes documents come in, as width/height held landscape. Its own module (no detector code)
 * so that the page's capture screen can draw its aiming frame from the same numbers.
 */
import type { DocumentType } from '../../contract/sessions.js';

/** ID cards and driving licences are ID-1 cards (ISO/IEC 7810): 85.6 × 54 mm. */
export const ID1_ASPECT = 85.6 / 54;
/** A passport's data page (ICAO 9303 TD3): 125 × 88 mm. */
export const PASSPORT_PAGE_ASPECT = 125 / 88;

export function aspectOf(documentType: DocumentType | undefined): number {
  return documentType === 'passport' ? PASSPORT_PAGE_ASPECT : ID1_ASPECT;
}
