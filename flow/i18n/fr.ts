/** The flow's French catalogue (« vous »), key for key with en.ts. */
import type { Catalogue } from './en.js';

export const fr: Catalogue = {
  languageName: 'Français',
  language: 'Langue',
  stepOf: (step: number, total: number) => `Étape ${step} sur ${total}`,
  cancel: 'Annuler',
  back: 'Retour',
  continue: 'Continuer',
  tryAgain: 'Réessayer',

  // Intro and consent
  introTitle: 'Vérifiez votre identité',
  introAsks: (merchant: string) => `${merchant} vous demande de confirmer votre identité. Cela prend environ deux minutes.`,
  introWhatDocument: 'Une photo de votre carte d’identité, de votre passeport ou de votre permis de conduire.',
  introWhatSelfie: 'Une photo de votre visage, à comparer avec votre document.',
  introWhatSelfieOnly: 'Une photo de votre visage.',
  introWhy: 'Vos photos servent uniquement à vérifier votre identité et sont envoyées de façon sécurisée.',
  introTips: 'Gardez votre document à portée de main et installez-vous dans un endroit bien éclairé.',
  introTipsSelfie: 'Installez-vous dans un endroit bien éclairé.',
  consent: (merchant: string) => `J’accepte que mes photos soient envoyées à ${merchant} pour vérifier mon identité.`,
  consentNeeded: 'Veuillez d’abord cocher la case pour donner votre accord.',
  start: 'Commencer',
  starting: 'Démarrage…',

  // Document type
  documentTypeTitle: 'Quel document allez-vous utiliser ?',
  documentTypeHint: 'Il doit être valide et comporter votre photo.',
  idCard: 'Carte d’identité',
  passport: 'Passeport',
  drivingLicence: 'Permis de conduire',

  // Capture steps
  documentFrontTitle: 'Recto de votre document',
  documentBackTitle: 'Verso de votre document',
  passportTitle: 'La page photo de votre passeport',
  selfieTitle: 'Une photo de votre visage',
  documentHint: 'Posez le document à plat, dans le cadre. Nous prenons la photo dès que l’image est nette.',
  selfieHint: 'Regardez la caméra, le visage dans l’ovale. Nous prenons la photo dès que vous ne bougez plus.',
  shutter: 'Prendre la photo',
  useUpload: 'Importer une photo à la place',
  chooseFile: 'Choisir une photo',
  startingCamera: 'Démarrage de la caméra…',
  cameraLive: 'Caméra activée',
  captured: 'Photo prise',
  videoLabel: 'Aperçu de la caméra',

  // Live guidance (one short sentence each, announced to screen readers when it changes)
  guidance_starting: 'Préparation…',
  guidance_searching: 'Montrez tout le document à la caméra',
  guidance_move_closer: 'Rapprochez-vous',
  guidance_move_back: 'Reculez un peu',
  guidance_too_dark: 'Trop sombre : cherchez plus de lumière',
  guidance_too_bright: 'Trop lumineux : évitez la lumière directe',
  guidance_blurry: 'Image floue : restez stable',
  guidance_hold_still: 'Ne bougez plus',
  guidance_glare: 'Reflet sur la carte : inclinez-la légèrement',
  guidance_no_portrait: 'Montrez le côté avec votre photo',
  guidance_no_face: 'Montrez votre visage à la caméra',
  guidance_several_faces: 'Un seul visage, s’il vous plaît',
  guidance_face_closer: 'Approchez-vous un peu',
  guidance_face_centre: 'Centrez votre visage',
  guidance_face_level: 'Tenez la tête droite',
  guidance_good: 'Bien, ne bougez plus…',

  // Camera problems
  cameraDeniedTitle: 'La caméra est bloquée',
  cameraDenied: 'Cette page n’a pas le droit d’utiliser votre caméra. Autorisez la caméra pour ce site dans les réglages de votre navigateur, puis réessayez, ou importez des photos à la place.',
  cameraBlockedTitle: 'Votre caméra ne peut pas être utilisée dans cette fenêtre',
  cameraBlocked: 'Le site qui affiche cette page n’y autorise pas la caméra. Continuez dans un nouvel onglet ou sur votre téléphone, ou importez des photos à la place.',
  newTabOffer: 'Continuer dans un nouvel onglet',
  cameraMissingTitle: 'Aucune caméra trouvée',
  cameraMissing: 'Nous n’avons trouvé aucune caméra sur cet appareil. Vous pouvez importer des photos à la place ou continuer sur votre téléphone.',
  cameraInsecureTitle: 'La caméra ne peut pas démarrer ici',
  cameraInsecure: 'Votre navigateur n’autorise la caméra que sur les pages sécurisées. Continuez sur votre téléphone ou importez des photos à la place.',
  cameraInAppTitle: 'Ouvrez cette page dans votre navigateur',
  cameraInApp: 'L’application dans laquelle vous avez ouvert ce lien n’autorise peut-être pas la caméra. Ouvrez le lien dans Safari ou Chrome, continuez sur votre téléphone ou importez des photos.',
  cameraBusyTitle: 'La caméra est occupée',
  cameraBusy: 'Une autre application utilise peut-être la caméra. Fermez-la et réessayez, ou importez des photos à la place.',
  cameraFailedTitle: 'La caméra s’est arrêtée',
  cameraFailed: 'Un problème est survenu avec la caméra. Réessayez ou importez des photos à la place.',
  uploadInstead: 'Importer des photos à la place',

  // Uploaded files
  fileNotImage: 'Ce fichier n’est pas une photo. Choisissez une image JPEG, PNG ou WebP.',
  fileTooLarge: 'Cette photo est trop volumineuse. Choisissez-en une de moins de 12 Mo.',

  // Review
  reviewTitle: 'Vérifiez vos photos',
  reviewHint: 'Assurez-vous que chaque photo est nette et que tout le texte est lisible.',
  retake: 'Reprendre la photo',
  retakeNamed: (what: string) => `Reprendre la photo : ${what}`,
  send: 'Envoyer',

  // Upload
  uploadTitle: 'Envoi de vos photos',
  uploadProgress: (percent: number) => `Envoi : ${percent} %`,
  uploadRetrying: (seconds: number) =>
    `Connexion perdue. Nouvelle tentative dans ${seconds} ${seconds < 2 ? 'seconde' : 'secondes'}…`,
  uploadOffline: 'Vous êtes hors ligne. Vos photos sont conservées sur cet appareil et seront envoyées dès que vous serez de nouveau en ligne.',
  uploadFailed: 'Vos photos n’ont pas pu être envoyées.',

  // Done
  doneTitle: 'Merci',
  doneBody: (merchant: string) => `${merchant} a bien reçu votre vérification.`,
  doneClose: 'Vous pouvez maintenant fermer cette page.',
  doneRedirect: (merchant: string) => `Retour vers ${merchant}`,
  doneRedirecting: (merchant: string) => `Redirection vers ${merchant}…`,

  // Continue on your phone
  phoneOffer: 'Continuer sur votre téléphone',
  phoneTitle: 'Continuer sur votre téléphone',
  phoneHint: 'Scannez ce code avec l’appareil photo de votre téléphone, ou ouvrez le lien sur votre téléphone. Le lien fonctionne une seule fois, pendant 10 minutes.',
  phoneQrAlt: 'Code QR du lien pour continuer sur votre téléphone',
  phoneCopy: 'Copier le lien',
  phoneCopied: 'Lien copié',
  phoneWaiting: 'En attente de votre téléphone…',
  phoneProgress: (done: number, total: number) =>
    done < 2
      ? `${done} photo sur ${total} prise avec votre téléphone`
      : `${done} photos sur ${total} prises avec votre téléphone`,
  phoneExpired: 'Le code a expiré.',
  phoneNewCode: 'Nouveau code',
  phoneStayHere: 'Continuer sur cet appareil',

  // Continue in a new tab (the page framing the flow does not allow the camera)
  tabTitle: 'Continuez dans le nouvel onglet',
  tabHint: 'Poursuivez dans le nouvel onglet ; cette fenêtre se mettra à jour quand vous aurez terminé.',
  tabWaiting: 'En attente du nouvel onglet…',
  tabProgress: (done: number, total: number) =>
    done < 2
      ? `${done} photo sur ${total} prise dans le nouvel onglet`
      : `${done} photos sur ${total} prises dans le nouvel onglet`,
  tabPopupBlocked: 'Votre navigateur n’a pas ouvert le nouvel onglet. Ouvrez-le avec ce bouton :',
  tabOpen: 'Ouvrir le nouvel onglet',
  tabExpired: 'Le lien a expiré.',
  tabNewLink: 'Nouveau lien',

  // Errors
  errorTitle: 'Un problème est survenu',
  errorNetwork: 'Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.',
  errorSessionExpired: 'Cette vérification a expiré. Ouvrez à nouveau le lien pour recommencer.',
  errorSessionClosed: 'Cette vérification a déjà été envoyée.',
  errorHandoff: 'Ce code a déjà été utilisé ou a expiré. Demandez-en un nouveau sur votre ordinateur.',
  errorUnknown: (code: string) => `Un problème est survenu (${code}). Veuillez réessayer.`,

  // Links that died between opening the page and pressing Start
  refusal_link_not_found: 'Ce lien de vérification n’existe pas. Vérifiez qu’il a été copié en entier.',
  refusal_link_deactivated: 'Ce lien de vérification a été désactivé par l’entreprise.',
  refusal_link_expired: 'Ce lien de vérification a expiré. Demandez-en un nouveau à l’entreprise.',
  refusal_link_exhausted: 'Ce lien de vérification a déjà été utilisé autant de fois qu’il le permet.',
  refusal_no_credits: 'La vérification par ce lien est indisponible pour le moment. Veuillez contacter l’entreprise.',

  // What each capture is, inside a sentence
  kind_document_front: 'recto du document',
  kind_document_back: 'verso du document',
  kind_selfie: 'photo de votre visage',
};
