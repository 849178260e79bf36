import type { Language } from '../../contract/common.js';
import type { Flow } from '../../contract/links.js';

interface ShareText {
  /** Intl locale for dates (European Portuguese, as the flow's catalogue). */
  locale: string;
  subject(shop: string): string;
  greeting: string;
  asks(shop: string): string;
  /** What the applicant will do, by the link's flow. */
  steps: Record<Flow, string>;
  wrote(shop: string): string;
  button: string;
  orCopy: string;
  validUntil(date: string): string;
  footer(shop: string): string;
  /**
   * The SMS: short, and in GSM-7 characters where the language allows (one 160-character part
   * with a typical link); Lithuanian needs letters outside GSM-7 and is only kept short.
   */
  sms(shop: string, url: string): string;
}

/** What an applicant reads in a shared link's email or SMS, in the link's language. */
export const SHARE_TEXT: Record<Language, ShareText> = {
  en: {
    locale: 'en-GB',
    subject: (shop) => `${shop} asks you to verify your identity`,
    greeting: 'Hello,',
    asks: (shop) => `${shop} asks you to verify your identity.`,
    steps: {
      document: 'It takes a few minutes in your browser: you take a photo of an identity document. No account or app needed.',
      selfie: 'It takes a few minutes in your browser: you take a photo of your face. No account or app needed.',
      'document+selfie': 'It takes a few minutes in your browser: you take a photo of an identity document and of your face. No account or app needed.',
    },
    wrote: (shop) => `${shop} wrote:`,
    button: 'Verify my identity',
    orCopy: 'If the button does not work, copy this address into your browser:',
    validUntil: (date) => `This link is valid until ${date}.`,
    footer: (shop) => `You received this message because ${shop} asked verify-now to send you this verification link. If you were not expecting it, you can ignore it: nothing happens unless you open the link.`,
    sms: (shop, url) => `${shop} asks you to verify your identity: ${url}`,
  },
  de: {
    locale: 'de-DE',
    subject: (shop) => `${shop} bittet Sie, Ihre Identität zu bestätigen`,
    greeting: 'Guten Tag,',
    asks: (shop) => `${shop} bittet Sie, Ihre Identität zu bestätigen.`,
    steps: {
      document: 'Das dauert wenige Minuten im Browser: Sie fotografieren ein Ausweisdokument. Kein Konto und keine App nötig.',
      selfie: 'Das dauert wenige Minuten im Browser: Sie fotografieren Ihr Gesicht. Kein Konto und keine App nötig.',
      'document+selfie': 'Das dauert wenige Minuten im Browser: Sie fotografieren ein Ausweisdokument und Ihr Gesicht. Kein Konto und keine App nötig.',
    },
    wrote: (shop) => `${shop} schreibt:`,
    button: 'Identität bestätigen',
    orCopy: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:',
    validUntil: (date) => `Dieser Link gilt bis ${date}.`,
    footer: (shop) => `Sie erhalten diese Nachricht, weil ${shop} verify-now gebeten hat, Ihnen diesen Prüfungslink zu senden. Wenn Sie sie nicht erwartet haben, können Sie sie ignorieren: Solange Sie den Link nicht öffnen, geschieht nichts.`,
    sms: (shop, url) => `${shop} bittet Sie, Ihre Identität zu bestätigen: ${url}`,
  },
  fr: {
    locale: 'fr-FR',
    subject: (shop) => `${shop} vous demande de vérifier votre identité`,
    greeting: 'Bonjour,',
    asks: (shop) => `${shop} vous demande de vérifier votre identité.`,
    steps: {
      document: "Cela prend quelques minutes dans votre navigateur : vous photographiez une pièce d'identité. Sans compte ni application.",
      selfie: 'Cela prend quelques minutes dans votre navigateur : vous photographiez votre visage. Sans compte ni application.',
      'document+selfie': "Cela prend quelques minutes dans votre navigateur : vous photographiez une pièce d'identité et votre visage. Sans compte ni application.",
    },
    wrote: (shop) => `${shop} a écrit :`,
    button: 'Vérifier mon identité',
    orCopy: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
    validUntil: (date) => `Ce lien est valable jusqu'au ${date}.`,
    footer: (shop) => `Vous recevez ce message parce que ${shop} a demandé à verify-now de vous envoyer ce lien de vérification. Si vous ne l'attendiez pas, vous pouvez l'ignorer : rien ne se passe tant que vous n'ouvrez pas le lien.`,
    sms: (shop, url) => `${shop} vous demande de vérifier votre identité : ${url}`,
  },
  es: {
    locale: 'es-ES',
    subject: (shop) => `${shop} le pide que verifique su identidad`,
    greeting: 'Hola:',
    asks: (shop) => `${shop} le pide que verifique su identidad.`,
    steps: {
      document: 'Son unos minutos en su navegador: usted fotografía un documento de identidad. Sin cuenta ni aplicación.',
      selfie: 'Son unos minutos en su navegador: usted fotografía su cara. Sin cuenta ni aplicación.',
      'document+selfie': 'Son unos minutos en su navegador: usted fotografía un documento de identidad y su cara. Sin cuenta ni aplicación.',
    },
    wrote: (shop) => `${shop} escribe:`,
    button: 'Verificar mi identidad',
    orCopy: 'Si el botón no funciona, copie esta dirección en su navegador:',
    validUntil: (date) => `Este enlace es válido hasta el ${date}.`,
    footer: (shop) => `Recibe este mensaje porque ${shop} pidió a verify-now que le enviara este enlace de verificación. Si no lo esperaba, puede ignorarlo: no ocurre nada mientras no abra el enlace.`,
    // GSM-7 has no á, í, ó, ú: this wording needs none.
    sms: (shop, url) => `${shop} le pide que verifique su identidad: ${url}`,
  },
  it: {
    locale: 'it-IT',
    subject: (shop) => `${shop} ti chiede di verificare la tua identità`,
    greeting: 'Ciao,',
    asks: (shop) => `${shop} ti chiede di verificare la tua identità.`,
    steps: {
      document: "Bastano pochi minuti nel browser: fotografi un documento d'identità. Senza account né app.",
      selfie: 'Bastano pochi minuti nel browser: fotografi il tuo viso. Senza account né app.',
      'document+selfie': "Bastano pochi minuti nel browser: fotografi un documento d'identità e il tuo viso. Senza account né app.",
    },
    wrote: (shop) => `${shop} ha scritto:`,
    button: 'Verifica la mia identità',
    orCopy: 'Se il pulsante non funziona, copia questo indirizzo nel browser:',
    validUntil: (date) => `Questo link è valido fino al ${date}.`,
    footer: (shop) => `Ricevi questo messaggio perché ${shop} ha chiesto a verify-now di inviarti questo link di verifica. Se non te lo aspettavi, puoi ignorarlo: non succede nulla finché non apri il link.`,
    sms: (shop, url) => `${shop} ti chiede di verificare la tua identità: ${url}`,
  },
  lt: {
    locale: 'lt-LT',
    subject: (shop) => `${shop} prašo patvirtinti jūsų tapatybę`,
    greeting: 'Sveiki,',
    asks: (shop) => `${shop} prašo patvirtinti jūsų tapatybę.`,
    steps: {
      document: 'Tai užtruks kelias minutes naršyklėje: nufotografuosite asmens dokumentą. Paskyros ar programėlės nereikia.',
      selfie: 'Tai užtruks kelias minutes naršyklėje: nufotografuosite savo veidą. Paskyros ar programėlės nereikia.',
      'document+selfie': 'Tai užtruks kelias minutes naršyklėje: nufotografuosite asmens dokumentą ir savo veidą. Paskyros ar programėlės nereikia.',
    },
    wrote: (shop) => `${shop} rašo:`,
    button: 'Patvirtinti tapatybę',
    orCopy: 'Jei mygtukas neveikia, nukopijuokite šį adresą į naršyklę:',
    validUntil: (date) => `Ši nuoroda galioja iki ${date}.`,
    footer: (shop) => `Šį pranešimą gavote, nes ${shop} paprašė verify-now atsiųsti jums šią patvirtinimo nuorodą. Jei jo nelaukėte, galite jį ignoruoti: kol neatidarysite nuorodos, nieko neįvyks.`,
    sms: (shop, url) => `${shop} prašo patvirtinti tapatybę: ${url}`,
  },
  nl: {
    locale: 'nl-NL',
    subject: (shop) => `${shop} vraagt u uw identiteit te verifiëren`,
    greeting: 'Hallo,',
    asks: (shop) => `${shop} vraagt u uw identiteit te verifiëren.`,
    steps: {
      document: 'Het duurt een paar minuten in uw browser: u fotografeert een identiteitsbewijs. Geen account of app nodig.',
      selfie: 'Het duurt een paar minuten in uw browser: u fotografeert uw gezicht. Geen account of app nodig.',
      'document+selfie': 'Het duurt een paar minuten in uw browser: u fotografeert een identiteitsbewijs en uw gezicht. Geen account of app nodig.',
    },
    wrote: (shop) => `${shop} schrijft:`,
    button: 'Mijn identiteit verifiëren',
    orCopy: 'Werkt de knop niet? Kopieer dan dit adres naar uw browser:',
    validUntil: (date) => `Deze link is geldig tot ${date}.`,
    footer: (shop) => `U ontvangt dit bericht omdat ${shop} verify-now heeft gevraagd u deze verificatielink te sturen. Verwachtte u het niet, dan kunt u het negeren: er gebeurt niets zolang u de link niet opent.`,
    // "verifiëren" has an ë, which GSM-7 lacks: "controleren" says the same in GSM-7.
    sms: (shop, url) => `${shop} vraagt u uw identiteit te controleren: ${url}`,
  },
  pt: {
    locale: 'pt-PT',
    subject: (shop) => `${shop} pede-lhe que verifique a sua identidade`,
    greeting: 'Olá,',
    asks: (shop) => `${shop} pede-lhe que verifique a sua identidade.`,
    steps: {
      document: 'Demora poucos minutos no seu navegador: fotografa um documento de identificação. Sem conta nem aplicação.',
      selfie: 'Demora poucos minutos no seu navegador: fotografa o seu rosto. Sem conta nem aplicação.',
      'document+selfie': 'Demora poucos minutos no seu navegador: fotografa um documento de identificação e o seu rosto. Sem conta nem aplicação.',
    },
    wrote: (shop) => `${shop} escreveu:`,
    button: 'Verificar a minha identidade',
    orCopy: 'Se o botão não funcionar, copie este endereço para o seu navegador:',
    validUntil: (date) => `Este link é válido até ${date}.`,
    footer: (shop) => `Recebeu esta mensagem porque ${shop} pediu à verify-now que lhe enviasse este link de verificação. Se não a esperava, pode ignorá-la: nada acontece enquanto não abrir o link.`,
    sms: (shop, url) => `${shop} pede-lhe que verifique a sua identidade: ${url}`,
  },
};
