/** The flow's Lithuanian catalogue (mandagus „Jūs“), key for key with en.ts. */
import type { Catalogue } from './en.js';

/** Lithuanian number agreement: 1, 21, 31… (not 11); 2–9, 22–29… (not 12–19); the rest (0, 10–20, 30…). */
function pick(n: number, one: string, few: string, many: string): string {
  const d = n % 10;
  const dd = n % 100;
  if (d === 1 && dd !== 11) return one;
  if (d >= 2 && d <= 9 && (dd < 11 || dd > 19)) return few;
  return many;
}

export const lt: Catalogue = {
  languageName: 'Lietuvių',
  language: 'Kalba',
  stepOf: (step: number, total: number) => `Žingsnis ${step} iš ${total}`,
  cancel: 'Atšaukti',
  back: 'Atgal',
  continue: 'Tęsti',
  tryAgain: 'Bandyti dar kartą',

  // Intro and consent
  introTitle: 'Patvirtinkite savo tapatybę',
  introAsks: (merchant: string) => `${merchant} prašo patvirtinti Jūsų tapatybę. Tai užtruks apie dvi minutes.`,
  introWhatDocument: 'Asmens tapatybės kortelės, paso arba vairuotojo pažymėjimo nuotrauka.',
  introWhatSelfie: 'Jūsų veido nuotrauka, kad ją būtų galima palyginti su dokumentu.',
  introWhatSelfieOnly: 'Jūsų veido nuotrauka.',
  introWhy: 'Jūsų nuotraukos naudojamos tik Jūsų tapatybei patvirtinti ir siunčiamos saugiai.',
  introTips: 'Pasiruoškite dokumentą ir raskite gerai apšviestą vietą.',
  introTipsSelfie: 'Raskite gerai apšviestą vietą.',
  consent: (merchant: string) => `Sutinku, kad ${merchant} gautų mano nuotraukas mano tapatybei patvirtinti.`,
  consentNeeded: 'Pirmiausia pažymėkite sutikimo langelį.',
  start: 'Pradėti',
  starting: 'Pradedama…',

  // Document type
  documentTypeTitle: 'Kokį dokumentą naudosite?',
  documentTypeHint: 'Jis turi galioti ir būti su Jūsų nuotrauka.',
  idCard: 'Asmens tapatybės kortelė',
  passport: 'Pasas',
  drivingLicence: 'Vairuotojo pažymėjimas',

  // Capture steps
  documentFrontTitle: 'Dokumento priekinė pusė',
  documentBackTitle: 'Dokumento galinė pusė',
  passportTitle: 'Paso puslapis su Jūsų nuotrauka',
  selfieTitle: 'Jūsų veido nuotrauka',
  documentHint: 'Padėkite dokumentą ant lygaus paviršiaus, rėmelio viduje. Nufotografuosime, kai vaizdas bus ryškus.',
  selfieHint: 'Žiūrėkite į kamerą, veidas turi būti ovale. Nufotografuosime, kai nejudėsite.',
  shutter: 'Fotografuoti',
  useUpload: 'Vietoj to įkelti nuotrauką',
  chooseFile: 'Pasirinkti nuotrauką',
  startingCamera: 'Įjungiama kamera…',
  cameraLive: 'Kamera įjungta',
  captured: 'Nuotrauka padaryta',
  videoLabel: 'Kameros vaizdas',

  // Live guidance (one short sentence each, announced to screen readers when it changes)
  guidance_starting: 'Ruošiamasi…',
  guidance_searching: 'Parodykite kamerai visą dokumentą',
  guidance_move_closer: 'Laikykite arčiau',
  guidance_move_back: 'Laikykite šiek tiek toliau',
  guidance_too_dark: 'Per tamsu: raskite daugiau šviesos',
  guidance_too_bright: 'Per šviesu: venkite tiesioginės šviesos',
  guidance_blurry: 'Neryšku: laikykite stabiliai',
  guidance_hold_still: 'Nejudėkite',
  guidance_glare: 'Atspindys kortelėje: šiek tiek ją pakreipkite',
  guidance_no_portrait: 'Parodykite pusę su nuotrauka',
  guidance_no_face: 'Parodykite kamerai savo veidą',
  guidance_several_faces: 'Kadre turi būti tik vienas veidas',
  guidance_face_closer: 'Šiek tiek priartėkite',
  guidance_face_centre: 'Laikykite veidą centre',
  guidance_face_level: 'Laikykite galvą tiesiai',
  guidance_good: 'Gerai, nejudėkite…',

  // Camera problems
  cameraDeniedTitle: 'Kamera užblokuota',
  cameraDenied: 'Šiam puslapiui neleidžiama naudoti Jūsų kameros. Naršyklės nustatymuose leiskite šiai svetainei naudoti kamerą ir bandykite dar kartą arba vietoj to įkelkite nuotraukas.',
  cameraBlockedTitle: 'Šiame lange kameros naudoti negalima',
  cameraBlocked: 'Svetainė, kurioje rodomas šis puslapis, čia neleidžia naudoti kameros. Tęskite naujame skirtuke arba telefone, arba vietoj to įkelkite nuotraukas.',
  newTabOffer: 'Tęsti naujame skirtuke',
  cameraMissingTitle: 'Kamera nerasta',
  cameraMissing: 'Šiame įrenginyje neradome kameros. Vietoj to galite įkelti nuotraukas arba tęsti telefone.',
  cameraInsecureTitle: 'Čia kameros įjungti negalima',
  cameraInsecure: 'Jūsų naršyklė leidžia naudoti kamerą tik saugiuose puslapiuose. Tęskite telefone arba vietoj to įkelkite nuotraukas.',
  cameraInAppTitle: 'Atidarykite šį puslapį naršyklėje',
  cameraInApp: 'Programėlė, kurioje atidarėte šią nuorodą, gali neleisti naudoti kameros. Atidarykite nuorodą „Safari“ arba „Chrome“ naršyklėje, tęskite telefone arba įkelkite nuotraukas.',
  cameraBusyTitle: 'Kamera užimta',
  cameraBusy: 'Kamerą galbūt naudoja kita programėlė. Uždarykite ją ir bandykite dar kartą arba vietoj to įkelkite nuotraukas.',
  cameraFailedTitle: 'Kamera nustojo veikti',
  cameraFailed: 'Įvyko kameros klaida. Bandykite dar kartą arba vietoj to įkelkite nuotraukas.',
  uploadInstead: 'Vietoj to įkelti nuotraukas',

  // Uploaded files
  fileNotImage: 'Šis failas nėra nuotrauka. Pasirinkite JPEG, PNG arba WebP paveikslėlį.',
  fileTooLarge: 'Ši nuotrauka per didelė. Pasirinkite mažesnę nei 12 MB.',

  // Review
  reviewTitle: 'Patikrinkite nuotraukas',
  reviewHint: 'Įsitikinkite, kad visos nuotraukos ryškios ir visą tekstą galima perskaityti.',
  retake: 'Fotografuoti iš naujo',
  retakeNamed: (what: string) => `Fotografuoti iš naujo: ${what}`,
  send: 'Siųsti',

  // Upload
  uploadTitle: 'Siunčiamos Jūsų nuotraukos',
  uploadProgress: (percent: number) => `Išsiųsta ${percent} %`,
  uploadRetrying: (seconds: number) =>
    `Ryšys nutrūko. Bandysime dar kartą po ${seconds} ${pick(seconds, 'sekundės', 'sekundžių', 'sekundžių')}…`,
  uploadOffline: 'Nėra interneto ryšio. Jūsų nuotraukos saugomos šiame įrenginyje ir bus išsiųstos, kai ryšys atsiras.',
  uploadFailed: 'Nepavyko išsiųsti Jūsų nuotraukų.',

  // Done
  doneTitle: 'Ačiū',
  doneBody: (merchant: string) => `${merchant} gavo Jūsų tapatybės patvirtinimą.`,
  doneClose: 'Dabar galite uždaryti šį puslapį.',
  doneRedirect: (merchant: string) => `Grįžti į svetainę ${merchant}`,
  doneRedirecting: (merchant: string) => `Grąžiname Jus į svetainę ${merchant}…`,

  // Continue on your phone
  phoneOffer: 'Tęsti telefone',
  phoneTitle: 'Tęsti telefone',
  phoneHint: 'Nuskenuokite šį kodą telefono kamera arba atidarykite nuorodą telefone. Nuoroda veikia vieną kartą ir tik 10 minučių.',
  phoneQrAlt: 'QR kodas su nuoroda tęsti telefone',
  phoneCopy: 'Kopijuoti nuorodą',
  phoneCopied: 'Nuoroda nukopijuota',
  phoneWaiting: 'Laukiama Jūsų telefono…',
  phoneProgress: (done: number, total: number) =>
    `Telefonu ${pick(done, 'padaryta', 'padarytos', 'padaryta')} ${done} iš ${total} ${pick(total, 'nuotraukos', 'nuotraukų', 'nuotraukų')}`,
  phoneExpired: 'Kodo galiojimas baigėsi.',
  phoneNewCode: 'Naujas kodas',
  phoneStayHere: 'Tęsti šiame įrenginyje',

  // Continue in a new tab (the page framing the flow does not allow the camera)
  tabTitle: 'Tęskite naujame skirtuke',
  tabHint: 'Tęskite naujame skirtuke; šis langas atsinaujins, kai baigsite.',
  tabWaiting: 'Laukiama naujo skirtuko…',
  tabProgress: (done: number, total: number) =>
    `Naujame skirtuke ${pick(done, 'padaryta', 'padarytos', 'padaryta')} ${done} iš ${total} ${pick(total, 'nuotraukos', 'nuotraukų', 'nuotraukų')}`,
  tabPopupBlocked: 'Naršyklė neatidarė naujo skirtuko. Atidarykite jį šiuo mygtuku:',
  tabOpen: 'Atidaryti naują skirtuką',
  tabExpired: 'Nuorodos galiojimas baigėsi.',
  tabNewLink: 'Nauja nuoroda',

  // Errors
  errorTitle: 'Įvyko klaida',
  errorNetwork: 'Nepavyko susisiekti su serveriu. Patikrinkite ryšį ir bandykite dar kartą.',
  errorSessionExpired: 'Šio patvirtinimo galiojimas baigėsi. Atidarykite nuorodą dar kartą ir pradėkite iš naujo.',
  errorSessionClosed: 'Šis patvirtinimas jau išsiųstas.',
  errorHandoff: 'Šis kodas jau panaudotas arba nebegalioja. Paprašykite naujo kodo kompiuteryje.',
  errorUnknown: (code: string) => `Įvyko klaida (${code}). Bandykite dar kartą.`,

  // Links that died between opening the page and pressing Start
  refusal_link_not_found: 'Tokios patvirtinimo nuorodos nėra. Patikrinkite, ar ji nukopijuota visa.',
  refusal_link_deactivated: 'Įmonė išjungė šią patvirtinimo nuorodą.',
  refusal_link_expired: 'Šios patvirtinimo nuorodos galiojimas baigėsi. Paprašykite įmonės naujos.',
  refusal_link_exhausted: 'Ši patvirtinimo nuoroda jau panaudota tiek kartų, kiek leidžiama.',
  refusal_no_credits: 'Patvirtinimas per šią nuorodą šiuo metu negalimas. Susisiekite su įmone.',

  // What each capture is, inside a sentence
  kind_document_front: 'dokumento priekinė pusė',
  kind_document_back: 'dokumento galinė pusė',
  kind_selfie: 'veido nuotrauka',
};
