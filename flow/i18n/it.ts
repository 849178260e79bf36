/** The flow's Italian catalogue (formal “Lei”), key for key with en.ts. */
import type { Catalogue } from './en.js';

export const it: Catalogue = {
  languageName: 'Italiano',
  language: 'Lingua',
  stepOf: (step: number, total: number) => `Passaggio ${step} di ${total}`,
  cancel: 'Annulla',
  back: 'Indietro',
  continue: 'Continua',
  tryAgain: 'Riprova',

  // Intro and consent
  introTitle: 'Verifica dell’identità',
  introAsks: (merchant: string) => `${merchant} le chiede di confermare la sua identità. Ci vogliono circa due minuti.`,
  introWhatDocument: 'Una foto della carta d’identità, del passaporto o della patente di guida.',
  introWhatSelfie: 'Una foto del suo viso, da confrontare con il documento.',
  introWhatSelfieOnly: 'Una foto del suo viso.',
  introWhy: 'Le sue foto vengono usate solo per verificare la sua identità e sono inviate in modo sicuro.',
  introTips: 'Tenga il documento a portata di mano e si metta in un luogo ben illuminato.',
  introTipsSelfie: 'Si metta in un luogo ben illuminato.',
  consent: (merchant: string) => `Accetto che le mie foto vengano inviate a ${merchant} per verificare la mia identità.`,
  consentNeeded: 'Per prima cosa selezioni la casella per dare il consenso.',
  start: 'Inizia',
  starting: 'Avvio in corso…',

  // Document type
  documentTypeTitle: 'Quale documento userà?',
  documentTypeHint: 'Deve essere valido e riportare la sua foto.',
  idCard: 'Carta d’identità',
  passport: 'Passaporto',
  drivingLicence: 'Patente di guida',

  // Capture steps
  documentFrontTitle: 'Fronte del documento',
  documentBackTitle: 'Retro del documento',
  passportTitle: 'La pagina del passaporto con la sua foto',
  selfieTitle: 'Una foto del suo viso',
  documentHint: 'Appoggi il documento in piano, dentro la cornice. Scattiamo la foto appena l’immagine è nitida.',
  selfieHint: 'Guardi la fotocamera, con il viso dentro l’ovale. Scattiamo la foto appena non si muove più.',
  shutter: 'Scatta la foto',
  useUpload: 'Carica invece una foto',
  chooseFile: 'Scegli una foto',
  startingCamera: 'Avvio della fotocamera…',
  cameraLive: 'Fotocamera attiva',
  captured: 'Foto scattata',
  videoLabel: 'Anteprima della fotocamera',

  // Live guidance (one short sentence each, announced to screen readers when it changes)
  guidance_starting: 'Preparazione…',
  guidance_searching: 'Mostri tutto il documento alla fotocamera',
  guidance_move_closer: 'Si avvicini',
  guidance_move_back: 'Si allontani un po’',
  guidance_too_dark: 'Troppo buio: cerchi più luce',
  guidance_too_bright: 'Troppa luce: eviti la luce diretta',
  guidance_blurry: 'Immagine sfocata: non si muova',
  guidance_hold_still: 'Non si muova',
  guidance_glare: 'Riflesso sul documento: lo inclini leggermente',
  guidance_no_portrait: 'Mostri il lato con la sua foto',
  guidance_no_face: 'Mostri il viso alla fotocamera',
  guidance_several_faces: 'Un solo viso, per favore',
  guidance_face_closer: 'Si avvicini un po’',
  guidance_face_centre: 'Centri il viso',
  guidance_face_level: 'Tenga la testa dritta',
  guidance_good: 'Bene, non si muova…',

  // Camera problems
  cameraDeniedTitle: 'La fotocamera è bloccata',
  cameraDenied: 'Questa pagina non ha il permesso di usare la fotocamera. Consenta la fotocamera per questo sito nelle impostazioni del browser e riprovi, oppure carichi delle foto.',
  cameraBlockedTitle: 'La fotocamera non può essere usata in questa finestra',
  cameraBlocked: 'Il sito che mostra questa pagina non consente qui la fotocamera. Continui in una nuova scheda o sul telefono, oppure carichi delle foto.',
  newTabOffer: 'Continua in una nuova scheda',
  cameraMissingTitle: 'Nessuna fotocamera trovata',
  cameraMissing: 'Non abbiamo trovato una fotocamera su questo dispositivo. Può caricare delle foto oppure continuare sul telefono.',
  cameraInsecureTitle: 'Qui la fotocamera non può avviarsi',
  cameraInsecure: 'Il suo browser consente la fotocamera solo sulle pagine sicure. Continui sul telefono oppure carichi delle foto.',
  cameraInAppTitle: 'Apra questa pagina nel browser',
  cameraInApp: 'L’app in cui ha aperto questo link potrebbe non consentire la fotocamera. Apra il link in Safari o Chrome, continui sul telefono oppure carichi delle foto.',
  cameraBusyTitle: 'La fotocamera è occupata',
  cameraBusy: 'Forse un’altra app sta usando la fotocamera. La chiuda e riprovi, oppure carichi delle foto.',
  cameraFailedTitle: 'La fotocamera si è fermata',
  cameraFailed: 'Si è verificato un problema con la fotocamera. Riprovi oppure carichi delle foto.',
  uploadInstead: 'Carica invece delle foto',

  // Uploaded files
  fileNotImage: 'Questo file non è una foto. Scelga un’immagine JPEG, PNG o WebP.',
  fileTooLarge: 'Questa foto è troppo grande. Ne scelga una sotto i 12 MB.',

  // Review
  reviewTitle: 'Controlli le sue foto',
  reviewHint: 'Verifichi che ogni foto sia nitida e che tutto il testo sia leggibile.',
  retake: 'Scatta di nuovo',
  retakeNamed: (what: string) => `Scatta di nuovo: ${what}`,
  send: 'Invia',

  // Upload
  uploadTitle: 'Invio delle foto in corso',
  uploadProgress: (percent: number) => `${percent}% inviato`,
  uploadRetrying: (seconds: number) =>
    `Connessione persa. Nuovo tentativo tra ${seconds} ${seconds === 1 ? 'secondo' : 'secondi'}…`,
  uploadOffline: 'È offline. Le sue foto restano su questo dispositivo e verranno inviate quando tornerà online.',
  uploadFailed: 'Non è stato possibile inviare le sue foto.',

  // Done
  doneTitle: 'Grazie',
  doneBody: (merchant: string) => `${merchant} ha ricevuto la sua verifica.`,
  doneClose: 'Ora può chiudere questa pagina.',
  doneRedirect: (merchant: string) => `Torna a ${merchant}`,
  doneRedirecting: (merchant: string) => `Reindirizzamento a ${merchant}…`,

  // Continue on your phone
  phoneOffer: 'Continua sul telefono',
  phoneTitle: 'Continua sul telefono',
  phoneHint: 'Inquadri questo codice con la fotocamera del telefono oppure apra il link sul telefono. Il link funziona una sola volta, per 10 minuti.',
  phoneQrAlt: 'Codice QR del link per continuare sul telefono',
  phoneCopy: 'Copia il link',
  phoneCopied: 'Link copiato',
  phoneWaiting: 'In attesa del telefono…',
  phoneProgress: (done: number, total: number) =>
    `${done} foto su ${total} ${done === 1 ? 'scattata' : 'scattate'} con il telefono`,
  phoneExpired: 'Il codice è scaduto.',
  phoneNewCode: 'Nuovo codice',
  phoneStayHere: 'Continua su questo dispositivo',

  // Continue in a new tab (the page framing the flow does not allow the camera)
  tabTitle: 'Continui nella nuova scheda',
  tabHint: 'Prosegua nella nuova scheda; questa finestra si aggiorna quando ha finito.',
  tabWaiting: 'In attesa della nuova scheda…',
  tabProgress: (done: number, total: number) =>
    `${done} foto su ${total} ${done === 1 ? 'scattata' : 'scattate'} nella nuova scheda`,
  tabPopupBlocked: 'Il browser non ha aperto la nuova scheda. La apra con questo pulsante:',
  tabOpen: 'Apri la nuova scheda',
  tabExpired: 'Il link è scaduto.',
  tabNewLink: 'Nuovo link',

  // Errors
  errorTitle: 'Si è verificato un problema',
  errorNetwork: 'Non riusciamo a raggiungere il server. Controlli la connessione e riprovi.',
  errorSessionExpired: 'Questa verifica è scaduta. Apra di nuovo il link per ricominciare.',
  errorSessionClosed: 'Questa verifica è già stata inviata.',
  errorHandoff: 'Questo codice è già stato usato o è scaduto. Ne richieda uno nuovo dal computer.',
  errorUnknown: (code: string) => `Si è verificato un problema (${code}). Riprovi.`,

  // Links that died between opening the page and pressing Start
  refusal_link_not_found: 'Questo link di verifica non esiste. Controlli che sia stato copiato per intero.',
  refusal_link_deactivated: 'Questo link di verifica è stato disattivato dall’azienda.',
  refusal_link_expired: 'Questo link di verifica è scaduto. Ne chieda uno nuovo all’azienda.',
  refusal_link_exhausted: 'Questo link di verifica è già stato usato tutte le volte consentite.',
  refusal_no_credits: 'Al momento la verifica tramite questo link non è disponibile. Contatti l’azienda.',

  // What each capture is, inside a sentence
  kind_document_front: 'fronte del documento',
  kind_document_back: 'retro del documento',
  kind_selfie: 'foto del viso',
};
