/**
 * The flow's English catalogue: the reference every other language follows key for key (the
 * `Catalogue` type makes a missing or extra key a compile error). Short, plain sentences: the
 * applicant reads them on a phone, holding a card.
 */
export const en = {
  languageName: 'English',
  language: 'Language',
  stepOf: (step: number, total: number) => `Step ${step} of ${total}`,
  cancel: 'Cancel',
  back: 'Back',
  continue: 'Continue',
  tryAgain: 'Try again',

  // Intro and consent
  introTitle: 'Verify your identity',
  introAsks: (merchant: string) => `${merchant} asks you to confirm who you are. It takes about two minutes.`,
  introWhatDocument: 'A photo of your ID card, passport or driving licence.',
  introWhatSelfie: 'A photo of your face, to compare with your document.',
  introWhatSelfieOnly: 'A photo of your face.',
  introWhy: 'Your photos are used only to verify your identity, and are sent securely.',
  introTips: 'Have your document at hand and find a well-lit place.',
  introTipsSelfie: 'Find a well-lit place.',
  consent: (merchant: string) => `I agree that my photos are sent to ${merchant} to verify my identity.`,
  consentNeeded: 'Please tick the box to agree first.',
  start: 'Start',
  starting: 'Starting…',

  // Document type
  documentTypeTitle: 'Which document will you use?',
  documentTypeHint: 'It must be valid and show your photo.',
  idCard: 'ID card',
  passport: 'Passport',
  drivingLicence: 'Driving licence',

  // Capture steps
  documentFrontTitle: 'Front of your document',
  documentBackTitle: 'Back of your document',
  passportTitle: 'Your passport photo page',
  selfieTitle: 'A photo of your face',
  documentHint: 'Place the document flat, inside the frame. We take the photo when it is sharp.',
  selfieHint: 'Look at the camera, with your face inside the oval. We take the photo when you hold still.',
  shutter: 'Take photo',
  useUpload: 'Upload a photo instead',
  chooseFile: 'Choose a photo',
  startingCamera: 'Starting the camera…',
  cameraLive: 'Camera on',
  captured: 'Photo taken',
  videoLabel: 'Camera preview',

  // Live guidance (one short sentence each, announced to screen readers when it changes)
  guidance_starting: 'Getting ready…',
  guidance_searching: 'Show the whole document to the camera',
  guidance_move_closer: 'Move closer',
  guidance_move_back: 'Move back a little',
  guidance_too_dark: 'Too dark: find more light',
  guidance_too_bright: 'Too bright: avoid direct light',
  guidance_blurry: 'Not sharp: hold steady',
  guidance_hold_still: 'Hold still',
  guidance_glare: 'Glare on the card: tilt it slightly',
  guidance_no_portrait: 'Show the side with your photo',
  guidance_no_face: 'Show your face to the camera',
  guidance_several_faces: 'Only one face, please',
  guidance_face_closer: 'Come a little closer',
  guidance_face_centre: 'Centre your face',
  guidance_face_level: 'Hold your head straight',
  guidance_good: 'Good, hold still…',

  // Camera problems
  cameraDeniedTitle: 'The camera is blocked',
  cameraDenied: 'This page may not use your camera. Allow the camera in your browser settings for this site, then try again, or upload photos instead.',
  cameraBlockedTitle: 'Your camera can’t be used inside this window',
  cameraBlocked: 'The website showing this page does not allow the camera here. Continue in a new tab or on your phone, or upload photos instead.',
  newTabOffer: 'Continue in a new tab',
  cameraMissingTitle: 'No camera found',
  cameraMissing: 'We could not find a camera on this device. You can upload photos instead, or continue on your phone.',
  cameraInsecureTitle: 'The camera cannot start here',
  cameraInsecure: 'Your browser only allows the camera on secure pages. Continue on your phone or upload photos instead.',
  cameraInAppTitle: 'Open this page in your browser',
  cameraInApp: 'The app you opened this link in may not allow the camera. Open the link in Safari or Chrome, continue on your phone, or upload photos.',
  cameraBusyTitle: 'The camera is busy',
  cameraBusy: 'Another app may be using the camera. Close it and try again, or upload photos instead.',
  cameraFailedTitle: 'The camera stopped',
  cameraFailed: 'Something went wrong with the camera. Try again, or upload photos instead.',
  uploadInstead: 'Upload photos instead',

  // Uploaded files
  fileNotImage: 'This file is not a photo. Choose a JPEG, PNG or WebP image.',
  fileTooLarge: 'This photo is too large. Choose one under 12 MB.',

  // Review
  reviewTitle: 'Check your photos',
  reviewHint: 'Make sure every photo is sharp and all the text can be read.',
  retake: 'Retake',
  retakeNamed: (what: string) => `Retake: ${what}`,
  send: 'Send',

  // Upload
  uploadTitle: 'Sending your photos',
  uploadProgress: (percent: number) => `${percent}% sent`,
  uploadRetrying: (seconds: number) => `Connection lost. Trying again in ${seconds} s…`,
  uploadOffline: 'You are offline. Your photos are kept on this device and will be sent when you are back online.',
  uploadFailed: 'Your photos could not be sent.',

  // Done
  doneTitle: 'Thank you',
  doneBody: (merchant: string) => `${merchant} has received your verification.`,
  doneClose: 'You can close this page now.',
  doneRedirect: (merchant: string) => `Back to ${merchant}`,
  doneRedirecting: (merchant: string) => `Taking you back to ${merchant}…`,

  // Continue on your phone
  phoneOffer: 'Continue on your phone',
  phoneTitle: 'Continue on your phone',
  phoneHint: 'Scan this code with your phone’s camera, or open the link on your phone. The link works once, for 10 minutes.',
  phoneQrAlt: 'QR code of the link to continue on your phone',
  phoneCopy: 'Copy link',
  phoneCopied: 'Link copied',
  phoneWaiting: 'Waiting for your phone…',
  phoneProgress: (done: number, total: number) => `${done} of ${total} photos taken on your phone`,
  phoneExpired: 'The code has expired.',
  phoneNewCode: 'New code',
  phoneStayHere: 'Continue on this device',

  // Continue in a new tab (the page framing the flow does not allow the camera)
  tabTitle: 'Continue in the new tab',
  tabHint: 'Carry on in the new tab; this window updates when you’re done.',
  tabWaiting: 'Waiting for the new tab…',
  tabProgress: (done: number, total: number) => `${done} of ${total} ${total === 1 ? 'photo' : 'photos'} taken in the new tab`,
  tabPopupBlocked: 'Your browser did not open the new tab. Open it with this button:',
  tabOpen: 'Open the new tab',
  tabExpired: 'The link has expired.',
  tabNewLink: 'New link',

  // Errors
  errorTitle: 'Something went wrong',
  errorNetwork: 'We could not reach the server. Check your connection and try again.',
  errorSessionExpired: 'This verification has expired. Open the link again to start anew.',
  errorSessionClosed: 'This verification has already been sent.',
  errorHandoff: 'This code has already been used or has expired. Ask for a new one on your computer.',
  errorUnknown: (code: string) => `Something went wrong (${code}). Please try again.`,

  // Links that died between opening the page and pressing Start
  refusal_link_not_found: 'This verification link does not exist. Check that it was copied completely.',
  refusal_link_deactivated: 'This verification link was switched off by the merchant.',
  refusal_link_expired: 'This verification link has expired. Ask the merchant for a new one.',
  refusal_link_exhausted: 'This verification link has been used as many times as it allows.',
  refusal_no_credits: 'Verification through this link is unavailable right now. Please contact the merchant.',

  // What each capture is, inside a sentence
  kind_document_front: 'front of the document',
  kind_document_back: 'back of the document',
  kind_selfie: 'photo of your face',
};

/** Every language's catalogue has exactly these keys, with the same parameters. */
export type Catalogue = {
  [K in keyof typeof en]: (typeof en)[K] extends (...args: infer A) => string ? (...args: A) => string : string;
};
