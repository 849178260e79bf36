/** The flow's Dutch catalogue (formal ‘u’), key for key with en.ts. */
import type { Catalogue } from './en.js';

export const nl: Catalogue = {
  languageName: 'Nederlands',
  language: 'Taal',
  stepOf: (step: number, total: number) => `Stap ${step} van ${total}`,
  cancel: 'Annuleren',
  back: 'Terug',
  continue: 'Doorgaan',
  tryAgain: 'Opnieuw proberen',

  // Intro and consent
  introTitle: 'Bevestig uw identiteit',
  introAsks: (merchant: string) => `${merchant} vraagt u te bevestigen wie u bent. Dit duurt ongeveer twee minuten.`,
  introWhatDocument: 'Een foto van uw identiteitskaart, paspoort of rijbewijs.',
  introWhatSelfie: 'Een foto van uw gezicht, om te vergelijken met uw document.',
  introWhatSelfieOnly: 'Een foto van uw gezicht.',
  introWhy: 'Uw foto’s worden alleen gebruikt om uw identiteit te controleren en worden veilig verstuurd.',
  introTips: 'Houd uw document bij de hand en zoek een goed verlichte plek.',
  introTipsSelfie: 'Zoek een goed verlichte plek.',
  consent: (merchant: string) => `Ik ga ermee akkoord dat mijn foto’s naar ${merchant} worden gestuurd om mijn identiteit te controleren.`,
  consentNeeded: 'Vink eerst het vakje aan om akkoord te gaan.',
  start: 'Starten',
  starting: 'Bezig met starten…',

  // Document type
  documentTypeTitle: 'Welk document gebruikt u?',
  documentTypeHint: 'Het moet geldig zijn en uw foto bevatten.',
  idCard: 'Identiteitskaart',
  passport: 'Paspoort',
  drivingLicence: 'Rijbewijs',

  // Capture steps
  documentFrontTitle: 'Voorkant van uw document',
  documentBackTitle: 'Achterkant van uw document',
  passportTitle: 'De fotopagina van uw paspoort',
  selfieTitle: 'Een foto van uw gezicht',
  documentHint: 'Leg het document plat binnen het kader. We maken de foto zodra het beeld scherp is.',
  selfieHint: 'Kijk in de camera, met uw gezicht binnen het ovaal. We maken de foto zodra u niet meer beweegt.',
  shutter: 'Foto maken',
  useUpload: 'Liever een foto uploaden',
  chooseFile: 'Kies een foto',
  startingCamera: 'Camera wordt gestart…',
  cameraLive: 'Camera aan',
  captured: 'Foto gemaakt',
  videoLabel: 'Cameravoorbeeld',

  // Live guidance (one short sentence each, announced to screen readers when it changes)
  guidance_starting: 'Even voorbereiden…',
  guidance_searching: 'Laat het hele document aan de camera zien',
  guidance_move_closer: 'Kom dichterbij',
  guidance_move_back: 'Ga iets verder weg',
  guidance_too_dark: 'Te donker: zoek meer licht',
  guidance_too_bright: 'Te fel: vermijd direct licht',
  guidance_blurry: 'Onscherp: niet bewegen',
  guidance_hold_still: 'Niet bewegen',
  guidance_glare: 'Lichtreflectie op de kaart: kantel hem iets',
  guidance_no_portrait: 'Laat de kant met uw foto zien',
  guidance_no_face: 'Laat uw gezicht aan de camera zien',
  guidance_several_faces: 'Maar één gezicht, alstublieft',
  guidance_face_closer: 'Kom iets dichterbij',
  guidance_face_centre: 'Zet uw gezicht in het midden',
  guidance_face_level: 'Houd uw hoofd recht',
  guidance_good: 'Goed, niet bewegen…',

  // Camera problems
  cameraDeniedTitle: 'De camera is geblokkeerd',
  cameraDenied: 'Deze pagina mag uw camera niet gebruiken. Sta de camera voor deze website toe in uw browserinstellingen en probeer het opnieuw, of upload in plaats daarvan foto’s.',
  cameraBlockedTitle: 'Uw camera kan niet in dit venster worden gebruikt',
  cameraBlocked: 'De website die deze pagina toont, staat de camera hier niet toe. Ga verder in een nieuw tabblad of op uw telefoon, of upload in plaats daarvan foto’s.',
  newTabOffer: 'Verdergaan in een nieuw tabblad',
  cameraMissingTitle: 'Geen camera gevonden',
  cameraMissing: 'We hebben op dit apparaat geen camera gevonden. U kunt in plaats daarvan foto’s uploaden of verdergaan op uw telefoon.',
  cameraInsecureTitle: 'De camera kan hier niet starten',
  cameraInsecure: 'Uw browser staat de camera alleen toe op beveiligde pagina’s. Ga verder op uw telefoon of upload in plaats daarvan foto’s.',
  cameraInAppTitle: 'Open deze pagina in uw browser',
  cameraInApp: 'De app waarin u deze link hebt geopend, staat de camera mogelijk niet toe. Open de link in Safari of Chrome, ga verder op uw telefoon of upload foto’s.',
  cameraBusyTitle: 'De camera is bezet',
  cameraBusy: 'Mogelijk gebruikt een andere app de camera. Sluit die app en probeer het opnieuw, of upload in plaats daarvan foto’s.',
  cameraFailedTitle: 'De camera is gestopt',
  cameraFailed: 'Er ging iets mis met de camera. Probeer het opnieuw of upload in plaats daarvan foto’s.',
  uploadInstead: 'Liever foto’s uploaden',

  // Uploaded files
  fileNotImage: 'Dit bestand is geen foto. Kies een JPEG-, PNG- of WebP-afbeelding.',
  fileTooLarge: 'Deze foto is te groot. Kies er een van minder dan 12 MB.',

  // Review
  reviewTitle: 'Controleer uw foto’s',
  reviewHint: 'Zorg dat elke foto scherp is en dat alle tekst leesbaar is.',
  retake: 'Opnieuw fotograferen',
  retakeNamed: (what: string) => `Opnieuw fotograferen: ${what}`,
  send: 'Versturen',

  // Upload
  uploadTitle: 'Uw foto’s worden verstuurd',
  uploadProgress: (percent: number) => `${percent}% verstuurd`,
  uploadRetrying: (seconds: number) =>
    `Verbinding verbroken. Nieuwe poging over ${seconds} ${seconds === 1 ? 'seconde' : 'seconden'}…`,
  uploadOffline: 'U bent offline. Uw foto’s blijven bewaard op dit apparaat en worden verstuurd zodra u weer online bent.',
  uploadFailed: 'Uw foto’s konden niet worden verstuurd.',

  // Done
  doneTitle: 'Bedankt',
  doneBody: (merchant: string) => `${merchant} heeft uw verificatie ontvangen.`,
  doneClose: 'U kunt deze pagina nu sluiten.',
  doneRedirect: (merchant: string) => `Terug naar ${merchant}`,
  doneRedirecting: (merchant: string) => `U wordt teruggestuurd naar ${merchant}…`,

  // Continue on your phone
  phoneOffer: 'Verdergaan op uw telefoon',
  phoneTitle: 'Verdergaan op uw telefoon',
  phoneHint: 'Scan deze code met de camera van uw telefoon, of open de link op uw telefoon. De link werkt één keer, 10 minuten lang.',
  phoneQrAlt: 'QR-code van de link om verder te gaan op uw telefoon',
  phoneCopy: 'Link kopiëren',
  phoneCopied: 'Link gekopieerd',
  phoneWaiting: 'Wachten op uw telefoon…',
  phoneProgress: (done: number, total: number) =>
    `${done} van ${total} ${total === 1 ? 'foto' : 'foto’s'} gemaakt met uw telefoon`,
  phoneExpired: 'De code is verlopen.',
  phoneNewCode: 'Nieuwe code',
  phoneStayHere: 'Verdergaan op dit apparaat',

  // Continue in a new tab (the page framing the flow does not allow the camera)
  tabTitle: 'Ga verder in het nieuwe tabblad',
  tabHint: 'Ga verder in het nieuwe tabblad; dit venster wordt bijgewerkt als u klaar bent.',
  tabWaiting: 'Wachten op het nieuwe tabblad…',
  tabProgress: (done: number, total: number) =>
    `${done} van ${total} ${total === 1 ? 'foto' : 'foto’s'} gemaakt in het nieuwe tabblad`,
  tabPopupBlocked: 'Uw browser heeft het nieuwe tabblad niet geopend. Open het met deze knop:',
  tabOpen: 'Nieuw tabblad openen',
  tabExpired: 'De link is verlopen.',
  tabNewLink: 'Nieuwe link',

  // Errors
  errorTitle: 'Er ging iets mis',
  errorNetwork: 'We konden de server niet bereiken. Controleer uw verbinding en probeer het opnieuw.',
  errorSessionExpired: 'Deze verificatie is verlopen. Open de link nog een keer om opnieuw te beginnen.',
  errorSessionClosed: 'Deze verificatie is al verstuurd.',
  errorHandoff: 'Deze code is al gebruikt of is verlopen. Vraag op uw computer een nieuwe aan.',
  errorUnknown: (code: string) => `Er ging iets mis (${code}). Probeer het opnieuw.`,

  // Links that died between opening the page and pressing Start
  refusal_link_not_found: 'Deze verificatielink bestaat niet. Controleer of hij volledig is gekopieerd.',
  refusal_link_deactivated: 'Deze verificatielink is door het bedrijf uitgeschakeld.',
  refusal_link_expired: 'Deze verificatielink is verlopen. Vraag het bedrijf om een nieuwe.',
  refusal_link_exhausted: 'Deze verificatielink is al zo vaak gebruikt als is toegestaan.',
  refusal_no_credits: 'Verificatie via deze link is op dit moment niet mogelijk. Neem contact op met het bedrijf.',

  // What each capture is, inside a sentence
  kind_document_front: 'voorkant van het document',
  kind_document_back: 'achterkant van het document',
  kind_selfie: 'foto van uw gezicht',
};
