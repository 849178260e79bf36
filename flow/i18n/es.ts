/** The flow's Spanish catalogue (formal «usted»), key for key with en.ts. */
import type { Catalogue } from './en.js';

export const es: Catalogue = {
  languageName: 'Español',
  language: 'Idioma',
  stepOf: (step: number, total: number) => `Paso ${step} de ${total}`,
  cancel: 'Cancelar',
  back: 'Atrás',
  continue: 'Continuar',
  tryAgain: 'Volver a intentarlo',

  // Intro and consent
  introTitle: 'Verifique su identidad',
  introAsks: (merchant: string) => `${merchant} le pide que confirme quién es. Tarda unos dos minutos.`,
  introWhatDocument: 'Una foto de su documento de identidad, pasaporte o permiso de conducir.',
  introWhatSelfie: 'Una foto de su cara, para compararla con su documento.',
  introWhatSelfieOnly: 'Una foto de su cara.',
  introWhy: 'Sus fotos solo se usan para verificar su identidad y se envían de forma segura.',
  introTips: 'Tenga su documento a mano y busque un lugar bien iluminado.',
  introTipsSelfie: 'Busque un lugar bien iluminado.',
  consent: (merchant: string) => `Acepto que mis fotos se envíen a ${merchant} para verificar mi identidad.`,
  consentNeeded: 'Marque primero la casilla para aceptar.',
  start: 'Empezar',
  starting: 'Iniciando…',

  // Document type
  documentTypeTitle: '¿Qué documento va a usar?',
  documentTypeHint: 'Debe estar vigente y mostrar su foto.',
  idCard: 'Documento de identidad',
  passport: 'Pasaporte',
  drivingLicence: 'Permiso de conducir',

  // Capture steps
  documentFrontTitle: 'Parte delantera de su documento',
  documentBackTitle: 'Parte trasera de su documento',
  passportTitle: 'La página de su pasaporte con su foto',
  selfieTitle: 'Una foto de su cara',
  documentHint: 'Coloque el documento plano, dentro del marco. Tomaremos la foto cuando se vea nítido.',
  selfieHint: 'Mire a la cámara, con la cara dentro del óvalo. Tomaremos la foto cuando no se mueva.',
  shutter: 'Tomar foto',
  useUpload: 'Subir una foto en su lugar',
  chooseFile: 'Elegir una foto',
  startingCamera: 'Iniciando la cámara…',
  cameraLive: 'Cámara activada',
  captured: 'Foto tomada',
  videoLabel: 'Vista previa de la cámara',

  // Live guidance (one short sentence each, announced to screen readers when it changes)
  guidance_starting: 'Preparando…',
  guidance_searching: 'Muestre todo el documento a la cámara',
  guidance_move_closer: 'Acérquese',
  guidance_move_back: 'Aléjese un poco',
  guidance_too_dark: 'Demasiado oscuro: busque más luz',
  guidance_too_bright: 'Demasiada luz: evite la luz directa',
  guidance_blurry: 'Imagen borrosa: mantenga el pulso firme',
  guidance_hold_still: 'No se mueva',
  guidance_glare: 'Reflejo en la tarjeta: inclínela un poco',
  guidance_no_portrait: 'Muestre el lado con su foto',
  guidance_no_face: 'Muestre su cara a la cámara',
  guidance_several_faces: 'Solo una cara, por favor',
  guidance_face_closer: 'Acérquese un poco',
  guidance_face_centre: 'Centre la cara',
  guidance_face_level: 'Mantenga la cabeza recta',
  guidance_good: 'Bien, no se mueva…',

  // Camera problems
  cameraDeniedTitle: 'La cámara está bloqueada',
  cameraDenied: 'Esta página no tiene permiso para usar su cámara. Permita la cámara para este sitio en los ajustes del navegador y vuelva a intentarlo, o suba fotos en su lugar.',
  cameraBlockedTitle: 'No se puede usar su cámara dentro de esta ventana',
  cameraBlocked: 'El sitio web que muestra esta página no permite usar la cámara aquí. Continúe en una pestaña nueva o en su teléfono, o suba fotos en su lugar.',
  newTabOffer: 'Continuar en una pestaña nueva',
  cameraMissingTitle: 'No se encontró ninguna cámara',
  cameraMissing: 'No encontramos ninguna cámara en este dispositivo. Puede subir fotos en su lugar o continuar en su teléfono.',
  cameraInsecureTitle: 'La cámara no puede iniciarse aquí',
  cameraInsecure: 'Su navegador solo permite la cámara en páginas seguras. Continúe en su teléfono o suba fotos en su lugar.',
  cameraInAppTitle: 'Abra esta página en su navegador',
  cameraInApp: 'Puede que la aplicación en la que abrió este enlace no permita la cámara. Abra el enlace en Safari o Chrome, continúe en su teléfono o suba fotos.',
  cameraBusyTitle: 'La cámara está ocupada',
  cameraBusy: 'Puede que otra aplicación esté usando la cámara. Ciérrela y vuelva a intentarlo, o suba fotos en su lugar.',
  cameraFailedTitle: 'La cámara se ha detenido',
  cameraFailed: 'Algo falló con la cámara. Vuelva a intentarlo o suba fotos en su lugar.',
  uploadInstead: 'Subir fotos en su lugar',

  // Uploaded files
  fileNotImage: 'Este archivo no es una foto. Elija una imagen JPEG, PNG o WebP.',
  fileTooLarge: 'Esta foto es demasiado grande. Elija una de menos de 12 MB.',

  // Review
  reviewTitle: 'Revise sus fotos',
  reviewHint: 'Compruebe que todas las fotos sean nítidas y que todo el texto se pueda leer.',
  retake: 'Repetir foto',
  retakeNamed: (what: string) => `Repetir: ${what}`,
  send: 'Enviar',

  // Upload
  uploadTitle: 'Enviando sus fotos',
  uploadProgress: (percent: number) => `${percent} % enviado`,
  uploadRetrying: (seconds: number) =>
    `Se perdió la conexión. Nuevo intento en ${seconds} ${seconds === 1 ? 'segundo' : 'segundos'}…`,
  uploadOffline: 'No tiene conexión. Sus fotos se guardan en este dispositivo y se enviarán cuando vuelva a estar en línea.',
  uploadFailed: 'No se pudieron enviar sus fotos.',

  // Done
  doneTitle: 'Gracias',
  doneBody: (merchant: string) => `${merchant} ha recibido su verificación.`,
  doneClose: 'Ya puede cerrar esta página.',
  doneRedirect: (merchant: string) => `Volver a ${merchant}`,
  doneRedirecting: (merchant: string) => `Volviendo a ${merchant}…`,

  // Continue on your phone
  phoneOffer: 'Continuar en su teléfono',
  phoneTitle: 'Continuar en su teléfono',
  phoneHint: 'Escanee este código con la cámara de su teléfono o abra el enlace en su teléfono. El enlace funciona una sola vez, durante 10 minutos.',
  phoneQrAlt: 'Código QR del enlace para continuar en su teléfono',
  phoneCopy: 'Copiar enlace',
  phoneCopied: 'Enlace copiado',
  phoneWaiting: 'Esperando a su teléfono…',
  phoneProgress: (done: number, total: number) =>
    `${done} de ${total} ${total === 1 ? 'foto tomada' : 'fotos tomadas'} con su teléfono`,
  phoneExpired: 'El código ha caducado.',
  phoneNewCode: 'Nuevo código',
  phoneStayHere: 'Continuar en este dispositivo',

  // Continue in a new tab (the page framing the flow does not allow the camera)
  tabTitle: 'Continúe en la pestaña nueva',
  tabHint: 'Siga en la pestaña nueva; esta ventana se actualizará cuando termine.',
  tabWaiting: 'Esperando a la pestaña nueva…',
  tabProgress: (done: number, total: number) =>
    `${done} de ${total} ${total === 1 ? 'foto tomada' : 'fotos tomadas'} en la pestaña nueva`,
  tabPopupBlocked: 'Su navegador no abrió la pestaña nueva. Ábrala con este botón:',
  tabOpen: 'Abrir la pestaña nueva',
  tabExpired: 'El enlace ha caducado.',
  tabNewLink: 'Nuevo enlace',

  // Errors
  errorTitle: 'Algo salió mal',
  errorNetwork: 'No pudimos conectar con el servidor. Compruebe su conexión y vuelva a intentarlo.',
  errorSessionExpired: 'Esta verificación ha caducado. Abra de nuevo el enlace para volver a empezar.',
  errorSessionClosed: 'Esta verificación ya se ha enviado.',
  errorHandoff: 'Este código ya se ha usado o ha caducado. Pida uno nuevo en su ordenador.',
  errorUnknown: (code: string) => `Algo salió mal (${code}). Vuelva a intentarlo.`,

  // Links that died between opening the page and pressing Start
  refusal_link_not_found: 'Este enlace de verificación no existe. Compruebe que se copió completo.',
  refusal_link_deactivated: 'La empresa ha desactivado este enlace de verificación.',
  refusal_link_expired: 'Este enlace de verificación ha caducado. Pida uno nuevo a la empresa.',
  refusal_link_exhausted: 'Este enlace de verificación ya se ha usado todas las veces permitidas.',
  refusal_no_credits: 'La verificación con este enlace no está disponible en este momento. Póngase en contacto con la empresa.',

  // What each capture is, inside a sentence
  kind_document_front: 'parte delantera del documento',
  kind_document_back: 'parte trasera del documento',
  kind_selfie: 'foto de su cara',
};
