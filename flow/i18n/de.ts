/** The flow's German catalogue (formal „Sie“), key for key with en.ts. */
import type { Catalogue } from './en.js';

export const de: Catalogue = {
  languageName: 'Deutsch',
  language: 'Sprache',
  stepOf: (step: number, total: number) => `Schritt ${step} von ${total}`,
  cancel: 'Abbrechen',
  back: 'Zurück',
  continue: 'Weiter',
  tryAgain: 'Erneut versuchen',

  // Intro and consent
  introTitle: 'Bestätigen Sie Ihre Identität',
  introAsks: (merchant: string) => `${merchant} bittet Sie, Ihre Identität zu bestätigen. Das dauert etwa zwei Minuten.`,
  introWhatDocument: 'Ein Foto Ihres Personalausweises, Reisepasses oder Führerscheins.',
  introWhatSelfie: 'Ein Foto Ihres Gesichts, zum Vergleich mit Ihrem Dokument.',
  introWhatSelfieOnly: 'Ein Foto Ihres Gesichts.',
  introWhy: 'Ihre Fotos werden nur zur Prüfung Ihrer Identität verwendet und sicher übertragen.',
  introTips: 'Halten Sie Ihr Dokument bereit und suchen Sie einen gut beleuchteten Ort.',
  introTipsSelfie: 'Suchen Sie einen gut beleuchteten Ort.',
  consent: (merchant: string) => `Ich bin einverstanden, dass meine Fotos zur Prüfung meiner Identität an ${merchant} gesendet werden.`,
  consentNeeded: 'Bitte setzen Sie zuerst das Häkchen, um zuzustimmen.',
  start: 'Starten',
  starting: 'Wird gestartet…',

  // Document type
  documentTypeTitle: 'Welches Dokument möchten Sie verwenden?',
  documentTypeHint: 'Es muss gültig sein und Ihr Foto zeigen.',
  idCard: 'Personalausweis',
  passport: 'Reisepass',
  drivingLicence: 'Führerschein',

  // Capture steps
  documentFrontTitle: 'Vorderseite Ihres Dokuments',
  documentBackTitle: 'Rückseite Ihres Dokuments',
  passportTitle: 'Die Fotoseite Ihres Reisepasses',
  selfieTitle: 'Ein Foto Ihres Gesichts',
  documentHint: 'Legen Sie das Dokument flach in den Rahmen. Wir machen das Foto, sobald es scharf ist.',
  selfieHint: 'Schauen Sie in die Kamera, Ihr Gesicht im Oval. Wir machen das Foto, sobald Sie stillhalten.',
  shutter: 'Foto aufnehmen',
  useUpload: 'Stattdessen ein Foto hochladen',
  chooseFile: 'Foto auswählen',
  startingCamera: 'Kamera wird gestartet…',
  cameraLive: 'Kamera ist an',
  captured: 'Foto aufgenommen',
  videoLabel: 'Kameravorschau',

  // Live guidance (one short sentence each, announced to screen readers when it changes)
  guidance_starting: 'Wird vorbereitet…',
  guidance_searching: 'Zeigen Sie der Kamera das ganze Dokument',
  guidance_move_closer: 'Gehen Sie näher heran',
  guidance_move_back: 'Gehen Sie etwas zurück',
  guidance_too_dark: 'Zu dunkel: Suchen Sie mehr Licht',
  guidance_too_bright: 'Zu hell: Vermeiden Sie direktes Licht',
  guidance_blurry: 'Unscharf: Bitte ruhig halten',
  guidance_hold_still: 'Bitte stillhalten',
  guidance_glare: 'Spiegelung auf der Karte: Kippen Sie sie leicht',
  guidance_no_portrait: 'Zeigen Sie die Seite mit Ihrem Foto',
  guidance_no_face: 'Zeigen Sie der Kamera Ihr Gesicht',
  guidance_several_faces: 'Bitte nur ein Gesicht',
  guidance_face_closer: 'Kommen Sie etwas näher',
  guidance_face_centre: 'Bringen Sie Ihr Gesicht in die Mitte',
  guidance_face_level: 'Halten Sie den Kopf gerade',
  guidance_good: 'Gut, bitte stillhalten…',

  // Camera problems
  cameraDeniedTitle: 'Die Kamera ist blockiert',
  cameraDenied: 'Diese Seite darf Ihre Kamera nicht verwenden. Erlauben Sie die Kamera für diese Website in Ihren Browsereinstellungen und versuchen Sie es erneut, oder laden Sie stattdessen Fotos hoch.',
  cameraBlockedTitle: 'Ihre Kamera kann in diesem Fenster nicht verwendet werden',
  cameraBlocked: 'Die Website, die diese Seite anzeigt, erlaubt hier keine Kamera. Fahren Sie in einem neuen Tab oder auf Ihrem Smartphone fort, oder laden Sie stattdessen Fotos hoch.',
  newTabOffer: 'In einem neuen Tab fortfahren',
  cameraMissingTitle: 'Keine Kamera gefunden',
  cameraMissing: 'Wir haben auf diesem Gerät keine Kamera gefunden. Sie können stattdessen Fotos hochladen oder auf Ihrem Smartphone fortfahren.',
  cameraInsecureTitle: 'Die Kamera kann hier nicht starten',
  cameraInsecure: 'Ihr Browser erlaubt die Kamera nur auf sicheren Seiten. Fahren Sie auf Ihrem Smartphone fort oder laden Sie stattdessen Fotos hoch.',
  cameraInAppTitle: 'Öffnen Sie diese Seite in Ihrem Browser',
  cameraInApp: 'Die App, in der Sie diesen Link geöffnet haben, erlaubt die Kamera möglicherweise nicht. Öffnen Sie den Link in Safari oder Chrome, fahren Sie auf Ihrem Smartphone fort oder laden Sie Fotos hoch.',
  cameraBusyTitle: 'Die Kamera ist belegt',
  cameraBusy: 'Möglicherweise verwendet eine andere App die Kamera. Schließen Sie sie und versuchen Sie es erneut, oder laden Sie stattdessen Fotos hoch.',
  cameraFailedTitle: 'Die Kamera läuft nicht mehr',
  cameraFailed: 'Mit der Kamera ist etwas schiefgelaufen. Versuchen Sie es erneut oder laden Sie stattdessen Fotos hoch.',
  uploadInstead: 'Stattdessen Fotos hochladen',

  // Uploaded files
  fileNotImage: 'Diese Datei ist kein Foto. Wählen Sie ein JPEG-, PNG- oder WebP-Bild.',
  fileTooLarge: 'Dieses Foto ist zu groß. Wählen Sie eines unter 12 MB.',

  // Review
  reviewTitle: 'Prüfen Sie Ihre Fotos',
  reviewHint: 'Achten Sie darauf, dass jedes Foto scharf und der ganze Text lesbar ist.',
  retake: 'Neu aufnehmen',
  retakeNamed: (what: string) => `Neu aufnehmen: ${what}`,
  send: 'Senden',

  // Upload
  uploadTitle: 'Ihre Fotos werden gesendet',
  uploadProgress: (percent: number) => `${percent} % gesendet`,
  uploadRetrying: (seconds: number) =>
    `Verbindung unterbrochen. Neuer Versuch in ${seconds} ${seconds === 1 ? 'Sekunde' : 'Sekunden'}…`,
  uploadOffline: 'Sie sind offline. Ihre Fotos bleiben auf diesem Gerät gespeichert und werden gesendet, sobald Sie wieder online sind.',
  uploadFailed: 'Ihre Fotos konnten nicht gesendet werden.',

  // Done
  doneTitle: 'Vielen Dank',
  doneBody: (merchant: string) => `${merchant} hat Ihre Verifizierung erhalten.`,
  doneClose: 'Sie können diese Seite jetzt schließen.',
  doneRedirect: (merchant: string) => `Zurück zu ${merchant}`,
  doneRedirecting: (merchant: string) => `Sie werden zu ${merchant} zurückgeleitet…`,

  // Continue on your phone
  phoneOffer: 'Auf dem Smartphone fortfahren',
  phoneTitle: 'Auf dem Smartphone fortfahren',
  phoneHint: 'Scannen Sie diesen Code mit der Kamera Ihres Smartphones oder öffnen Sie den Link auf Ihrem Smartphone. Der Link funktioniert einmal, 10 Minuten lang.',
  phoneQrAlt: 'QR-Code mit dem Link zum Fortfahren auf dem Smartphone',
  phoneCopy: 'Link kopieren',
  phoneCopied: 'Link kopiert',
  phoneWaiting: 'Warten auf Ihr Smartphone…',
  phoneProgress: (done: number, total: number) =>
    `${done} von ${total} ${total === 1 ? 'Foto' : 'Fotos'} auf dem Smartphone aufgenommen`,
  phoneExpired: 'Der Code ist abgelaufen.',
  phoneNewCode: 'Neuer Code',
  phoneStayHere: 'Auf diesem Gerät fortfahren',

  // Continue in a new tab (the page framing the flow does not allow the camera)
  tabTitle: 'Im neuen Tab fortfahren',
  tabHint: 'Machen Sie im neuen Tab weiter; dieses Fenster aktualisiert sich, wenn Sie fertig sind.',
  tabWaiting: 'Warten auf den neuen Tab…',
  tabProgress: (done: number, total: number) =>
    `${done} von ${total} ${total === 1 ? 'Foto' : 'Fotos'} im neuen Tab aufgenommen`,
  tabPopupBlocked: 'Ihr Browser hat den neuen Tab nicht geöffnet. Öffnen Sie ihn mit dieser Schaltfläche:',
  tabOpen: 'Neuen Tab öffnen',
  tabExpired: 'Der Link ist abgelaufen.',
  tabNewLink: 'Neuer Link',

  // Errors
  errorTitle: 'Etwas ist schiefgelaufen',
  errorNetwork: 'Wir konnten den Server nicht erreichen. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  errorSessionExpired: 'Diese Verifizierung ist abgelaufen. Öffnen Sie den Link erneut, um neu zu beginnen.',
  errorSessionClosed: 'Diese Verifizierung wurde bereits gesendet.',
  errorHandoff: 'Dieser Code wurde bereits verwendet oder ist abgelaufen. Fordern Sie auf Ihrem Computer einen neuen an.',
  errorUnknown: (code: string) => `Etwas ist schiefgelaufen (${code}). Bitte versuchen Sie es erneut.`,

  // Links that died between opening the page and pressing Start
  refusal_link_not_found: 'Diesen Verifizierungslink gibt es nicht. Prüfen Sie, ob er vollständig kopiert wurde.',
  refusal_link_deactivated: 'Dieser Verifizierungslink wurde vom Unternehmen deaktiviert.',
  refusal_link_expired: 'Dieser Verifizierungslink ist abgelaufen. Bitten Sie das Unternehmen um einen neuen.',
  refusal_link_exhausted: 'Dieser Verifizierungslink wurde bereits so oft verwendet, wie er erlaubt.',
  refusal_no_credits: 'Die Verifizierung über diesen Link ist derzeit nicht möglich. Bitte wenden Sie sich an das Unternehmen.',

  // What each capture is, inside a sentence
  kind_document_front: 'Vorderseite des Dokuments',
  kind_document_back: 'Rückseite des Dokuments',
  kind_selfie: 'Foto Ihres Gesichts',
};
