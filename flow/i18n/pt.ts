/** The flow's Portuguese catalogue (European Portuguese, formal), key for key with en.ts. */
import type { Catalogue } from './en.js';

export const pt: Catalogue = {
  languageName: 'Português',
  language: 'Idioma',
  stepOf: (step: number, total: number) => `Passo ${step} de ${total}`,
  cancel: 'Cancelar',
  back: 'Voltar',
  continue: 'Continuar',
  tryAgain: 'Tentar novamente',

  // Intro and consent
  introTitle: 'Verifique a sua identidade',
  introAsks: (merchant: string) => `${merchant} pede a confirmação da sua identidade. Demora cerca de dois minutos.`,
  introWhatDocument: 'Uma foto do seu cartão de identificação, passaporte ou carta de condução.',
  introWhatSelfie: 'Uma foto do seu rosto, para comparar com o seu documento.',
  introWhatSelfieOnly: 'Uma foto do seu rosto.',
  introWhy: 'As suas fotos são usadas apenas para verificar a sua identidade e são enviadas de forma segura.',
  introTips: 'Tenha o documento à mão e procure um local bem iluminado.',
  introTipsSelfie: 'Procure um local bem iluminado.',
  consent: (merchant: string) => `Aceito que as minhas fotos sejam enviadas a ${merchant} para verificar a minha identidade.`,
  consentNeeded: 'Marque primeiro a caixa para aceitar.',
  start: 'Começar',
  starting: 'A iniciar…',

  // Document type
  documentTypeTitle: 'Que documento vai usar?',
  documentTypeHint: 'Tem de ser válido e mostrar a sua foto.',
  idCard: 'Cartão de identificação',
  passport: 'Passaporte',
  drivingLicence: 'Carta de condução',

  // Capture steps
  documentFrontTitle: 'Frente do seu documento',
  documentBackTitle: 'Verso do seu documento',
  passportTitle: 'A página do passaporte com a sua foto',
  selfieTitle: 'Uma foto do seu rosto',
  documentHint: 'Coloque o documento numa superfície plana, dentro da moldura. Tiramos a foto quando a imagem estiver nítida.',
  selfieHint: 'Olhe para a câmara, com o rosto dentro do oval. Tiramos a foto quando estiver imóvel.',
  shutter: 'Tirar foto',
  useUpload: 'Carregar uma foto em vez disso',
  chooseFile: 'Escolher uma foto',
  startingCamera: 'A iniciar a câmara…',
  cameraLive: 'Câmara ligada',
  captured: 'Foto tirada',
  videoLabel: 'Pré-visualização da câmara',

  // Live guidance (one short sentence each, announced to screen readers when it changes)
  guidance_starting: 'A preparar…',
  guidance_searching: 'Mostre o documento inteiro à câmara',
  guidance_move_closer: 'Aproxime-se',
  guidance_move_back: 'Afaste-se um pouco',
  guidance_too_dark: 'Demasiado escuro: procure mais luz',
  guidance_too_bright: 'Demasiada luz: evite a luz direta',
  guidance_blurry: 'Imagem desfocada: não se mexa',
  guidance_hold_still: 'Não se mexa',
  guidance_glare: 'Reflexo no cartão: incline-o ligeiramente',
  guidance_no_portrait: 'Mostre o lado com a sua foto',
  guidance_no_face: 'Mostre o rosto à câmara',
  guidance_several_faces: 'Apenas um rosto, por favor',
  guidance_face_closer: 'Aproxime-se um pouco',
  guidance_face_centre: 'Centre o rosto',
  guidance_face_level: 'Mantenha a cabeça direita',
  guidance_good: 'Muito bem, não se mexa…',

  // Camera problems
  cameraDeniedTitle: 'A câmara está bloqueada',
  cameraDenied: 'Esta página não tem permissão para usar a sua câmara. Permita a câmara para este site nas definições do navegador e tente novamente, ou carregue fotos em vez disso.',
  cameraBlockedTitle: 'A sua câmara não pode ser usada nesta janela',
  cameraBlocked: 'O site que mostra esta página não permite a câmara aqui. Continue num novo separador ou no telemóvel, ou carregue fotos em vez disso.',
  newTabOffer: 'Continuar num novo separador',
  cameraMissingTitle: 'Nenhuma câmara encontrada',
  cameraMissing: 'Não encontrámos nenhuma câmara neste dispositivo. Pode carregar fotos em vez disso ou continuar no telemóvel.',
  cameraInsecureTitle: 'A câmara não pode ser iniciada aqui',
  cameraInsecure: 'O seu navegador só permite a câmara em páginas seguras. Continue no telemóvel ou carregue fotos em vez disso.',
  cameraInAppTitle: 'Abra esta página no navegador',
  cameraInApp: 'A aplicação em que abriu este link pode não permitir a câmara. Abra o link no Safari ou no Chrome, continue no telemóvel ou carregue fotos.',
  cameraBusyTitle: 'A câmara está ocupada',
  cameraBusy: 'Outra aplicação pode estar a usar a câmara. Feche-a e tente novamente, ou carregue fotos em vez disso.',
  cameraFailedTitle: 'A câmara parou',
  cameraFailed: 'Ocorreu um problema com a câmara. Tente novamente ou carregue fotos em vez disso.',
  uploadInstead: 'Carregar fotos em vez disso',

  // Uploaded files
  fileNotImage: 'Este ficheiro não é uma foto. Escolha uma imagem JPEG, PNG ou WebP.',
  fileTooLarge: 'Esta foto é demasiado grande. Escolha uma com menos de 12 MB.',

  // Review
  reviewTitle: 'Verifique as suas fotos',
  reviewHint: 'Confirme que todas as fotos estão nítidas e que todo o texto se consegue ler.',
  retake: 'Tirar de novo',
  retakeNamed: (what: string) => `Tirar de novo: ${what}`,
  send: 'Enviar',

  // Upload
  uploadTitle: 'A enviar as suas fotos',
  uploadProgress: (percent: number) => `${percent}% enviado`,
  uploadRetrying: (seconds: number) =>
    `Ligação perdida. Nova tentativa dentro de ${seconds} ${seconds === 1 ? 'segundo' : 'segundos'}…`,
  uploadOffline: 'Está sem ligação à internet. As suas fotos ficam guardadas neste dispositivo e serão enviadas quando voltar a estar online.',
  uploadFailed: 'Não foi possível enviar as suas fotos.',

  // Done
  doneTitle: 'Obrigado',
  doneBody: (merchant: string) => `${merchant} recebeu a sua verificação.`,
  doneClose: 'Já pode fechar esta página.',
  doneRedirect: (merchant: string) => `Voltar para ${merchant}`,
  doneRedirecting: (merchant: string) => `A voltar para ${merchant}…`,

  // Continue on your phone
  phoneOffer: 'Continuar no telemóvel',
  phoneTitle: 'Continuar no telemóvel',
  phoneHint: 'Leia este código com a câmara do telemóvel ou abra o link no telemóvel. O link funciona uma única vez, durante 10 minutos.',
  phoneQrAlt: 'Código QR do link para continuar no telemóvel',
  phoneCopy: 'Copiar link',
  phoneCopied: 'Link copiado',
  phoneWaiting: 'À espera do telemóvel…',
  phoneProgress: (done: number, total: number) =>
    `${done} de ${total} ${total === 1 ? 'foto tirada' : 'fotos tiradas'} no telemóvel`,
  phoneExpired: 'O código expirou.',
  phoneNewCode: 'Novo código',
  phoneStayHere: 'Continuar neste dispositivo',

  // Continue in a new tab (the page framing the flow does not allow the camera)
  tabTitle: 'Continue no novo separador',
  tabHint: 'Prossiga no novo separador; esta janela atualiza-se quando terminar.',
  tabWaiting: 'A aguardar o novo separador…',
  tabProgress: (done: number, total: number) =>
    `${done} de ${total} ${total === 1 ? 'foto tirada' : 'fotos tiradas'} no novo separador`,
  tabPopupBlocked: 'O navegador não abriu o novo separador. Abra-o com este botão:',
  tabOpen: 'Abrir o novo separador',
  tabExpired: 'O link expirou.',
  tabNewLink: 'Novo link',

  // Errors
  errorTitle: 'Ocorreu um problema',
  errorNetwork: 'Não foi possível contactar o servidor. Verifique a sua ligação e tente novamente.',
  errorSessionExpired: 'Esta verificação expirou. Abra o link novamente para recomeçar.',
  errorSessionClosed: 'Esta verificação já foi enviada.',
  errorHandoff: 'Este código já foi usado ou expirou. Peça um novo no computador.',
  errorUnknown: (code: string) => `Ocorreu um problema (${code}). Tente novamente.`,

  // Links that died between opening the page and pressing Start
  refusal_link_not_found: 'Este link de verificação não existe. Verifique se foi copiado por completo.',
  refusal_link_deactivated: 'Este link de verificação foi desativado pela empresa.',
  refusal_link_expired: 'Este link de verificação expirou. Peça um novo à empresa.',
  refusal_link_exhausted: 'Este link de verificação já foi usado todas as vezes permitidas.',
  refusal_no_credits: 'De momento, não é possível fazer a verificação através deste link. Contacte a empresa.',

  // What each capture is, inside a sentence
  kind_document_front: 'frente do documento',
  kind_document_back: 'verso do documento',
  kind_selfie: 'foto do seu rosto',
};
