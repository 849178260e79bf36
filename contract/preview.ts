/**
 * The flow's preview mode: `GET /preview/flow?screen=ID&flow=FLOW&language=LANG&document=TYPE&merchant=NAME`
 * renders one screen of the real flow with made-up content, for the designers' demo page (the
 * query's schema: `previewQuerySchema` in contract/flow.ts; defaults: document_selfie, en,
 * id_card, "Demo shop"). It creates no session, takes no use of any link, costs no credit and
 * requests nothing from the API; the page says it is a preview. Any origin may frame it (it holds
 * nothing personal). The `refusal:` screens are the server's dead-link pages, answered 200.
 *
 * No zod here: the demo page and the flow import this list as plain values.
 */
export const PREVIEW_SCREENS = [
  { id: 'intro', label: 'Intro and consent' },
  { id: 'document_type', label: 'Choose a document' },
  { id: 'capture_front:searching', label: 'Front: looking for the document' },
  { id: 'capture_front:move_closer', label: 'Front: move closer' },
  { id: 'capture_front:glare', label: 'Front: glare' },
  { id: 'capture_front:blurry', label: 'Front: blurry' },
  { id: 'capture_front:hold_still', label: 'Front: hold still' },
  { id: 'capture_front:good', label: 'Front: good, taking the photo' },
  { id: 'capture_back:searching', label: 'Back of the document' },
  { id: 'capture_selfie:no_face', label: 'Selfie: no face yet' },
  { id: 'capture_selfie:face_centre', label: 'Selfie: centre your face' },
  { id: 'capture_selfie:good', label: 'Selfie: good' },
  { id: 'camera_denied', label: 'Camera permission denied' },
  { id: 'camera_missing', label: 'No camera' },
  { id: 'camera_in_app', label: 'In-app browser' },
  { id: 'camera_blocked', label: 'Camera not allowed in this frame' },
  { id: 'new_tab', label: 'Continuing in a new tab (camera not allowed in the frame)' },
  { id: 'phone', label: 'Continue on your phone (QR code)' },
  { id: 'review', label: 'Review the photos' },
  { id: 'upload', label: 'Sending, with progress' },
  { id: 'upload_retrying', label: 'Sending: retrying' },
  { id: 'upload_offline', label: 'Sending: offline' },
  { id: 'upload_failed', label: 'Sending failed' },
  { id: 'done', label: 'Done' },
  { id: 'refusal:link_not_found', label: 'Dead link: unknown (404)' },
  { id: 'refusal:link_expired', label: 'Dead link: expired' },
  { id: 'refusal:link_exhausted', label: 'Dead link: used up' },
  { id: 'refusal:link_deactivated', label: 'Dead link: deactivated' },
  { id: 'refusal:no_credits', label: 'Link unavailable: merchant out of credits' },
] as const;

export type PreviewScreen = (typeof PREVIEW_SCREENS)[number]['id'];

export const PREVIEW_SCREEN_IDS: readonly PreviewScreen[] = PREVIEW_SCREENS.map((s) => s.id);
