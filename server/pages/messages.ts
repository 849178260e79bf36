import type { Language } from '../../contract/common.js';
import type { LinkRefusal } from '../../contract/flow.js';

interface ReasonText {
  title: string;
  body: string;
  next: string;
}

/**
 * What an applicant reads on our pages, in the link's language: the page's heading, why the flow
 * needs JavaScript, and on a dead link what happened and what to do.
 */
export const PAGE_TEXT: Record<Language, Record<LinkRefusal, ReasonText> & { heading: string; noScript: string }> = {
  en: {
    heading: 'Identity verification',
    noScript: 'This page needs JavaScript to take the photos.',
    link_not_found: { title: 'This link does not work', body: 'We could not find this verification link. It may have been copied incompletely.', next: 'Open the link again from the original message, or ask the sender for a new one.' },
    link_deactivated: { title: 'This link was switched off', body: 'The company that sent it has deactivated this verification link.', next: 'Ask them for a new link.' },
    link_expired: { title: 'This link has expired', body: 'Verification links are valid for a limited time, and this one has run out.', next: 'Ask the company that sent it for a new link.' },
    link_exhausted: { title: 'This link has been used up', body: 'This verification link has been used as many times as it allows.', next: 'If you still need to verify, ask the company that sent it for a new link.' },
    no_credits: { title: 'Verification is unavailable right now', body: 'This company cannot accept verifications at the moment.', next: 'Please try again later or contact them.' },
  },
  de: {
    heading: 'Identitätsprüfung',
    noScript: 'Diese Seite braucht JavaScript, um die Fotos aufzunehmen.',
    link_not_found: { title: 'Dieser Link funktioniert nicht', body: 'Wir konnten diesen Prüfungslink nicht finden. Vielleicht wurde er unvollständig kopiert.', next: 'Öffnen Sie den Link erneut aus der ursprünglichen Nachricht oder bitten Sie den Absender um einen neuen.' },
    link_deactivated: { title: 'Dieser Link wurde abgeschaltet', body: 'Das Unternehmen, das ihn gesendet hat, hat diesen Prüfungslink deaktiviert.', next: 'Bitten Sie um einen neuen Link.' },
    link_expired: { title: 'Dieser Link ist abgelaufen', body: 'Prüfungslinks gelten nur eine begrenzte Zeit, und diese ist abgelaufen.', next: 'Bitten Sie das Unternehmen um einen neuen Link.' },
    link_exhausted: { title: 'Dieser Link ist aufgebraucht', body: 'Dieser Prüfungslink wurde so oft genutzt, wie er erlaubt.', next: 'Wenn Sie sich noch prüfen lassen müssen, bitten Sie das Unternehmen um einen neuen Link.' },
    no_credits: { title: 'Die Prüfung ist gerade nicht verfügbar', body: 'Dieses Unternehmen kann im Moment keine Prüfungen annehmen.', next: 'Bitte versuchen Sie es später erneut oder wenden Sie sich an das Unternehmen.' },
  },
  fr: {
    heading: "Vérification d'identité",
    noScript: 'Cette page a besoin de JavaScript pour prendre les photos.',
    link_not_found: { title: 'Ce lien ne fonctionne pas', body: "Nous n'avons pas trouvé ce lien de vérification. Il a peut-être été copié de façon incomplète.", next: "Rouvrez le lien depuis le message d'origine ou demandez-en un nouveau à l'expéditeur." },
    link_deactivated: { title: 'Ce lien a été désactivé', body: "L'entreprise qui l'a envoyé a désactivé ce lien de vérification.", next: 'Demandez-lui un nouveau lien.' },
    link_expired: { title: 'Ce lien a expiré', body: 'Les liens de vérification sont valables pendant une durée limitée, et celle-ci est écoulée.', next: "Demandez un nouveau lien à l'entreprise qui l'a envoyé." },
    link_exhausted: { title: 'Ce lien a été épuisé', body: "Ce lien de vérification a été utilisé autant de fois qu'il le permet.", next: "Si vous devez encore vous vérifier, demandez un nouveau lien à l'entreprise." },
    no_credits: { title: 'La vérification est indisponible', body: "Cette entreprise ne peut pas accepter de vérifications pour l'instant.", next: 'Réessayez plus tard ou contactez-la.' },
  },
  es: {
    heading: 'Verificación de identidad',
    noScript: 'Esta página necesita JavaScript para tomar las fotos.',
    link_not_found: { title: 'Este enlace no funciona', body: 'No encontramos este enlace de verificación. Puede que se haya copiado de forma incompleta.', next: 'Vuelva a abrir el enlace desde el mensaje original o pida uno nuevo al remitente.' },
    link_deactivated: { title: 'Este enlace fue desactivado', body: 'La empresa que lo envió ha desactivado este enlace de verificación.', next: 'Pídale un enlace nuevo.' },
    link_expired: { title: 'Este enlace ha caducado', body: 'Los enlaces de verificación son válidos por un tiempo limitado, y este ya ha terminado.', next: 'Pida un enlace nuevo a la empresa que lo envió.' },
    link_exhausted: { title: 'Este enlace ya se ha agotado', body: 'Este enlace de verificación se ha usado tantas veces como permite.', next: 'Si todavía necesita verificarse, pida un enlace nuevo a la empresa.' },
    no_credits: { title: 'La verificación no está disponible ahora', body: 'Esta empresa no puede aceptar verificaciones en este momento.', next: 'Inténtelo más tarde o póngase en contacto con ella.' },
  },
  it: {
    heading: "Verifica dell'identità",
    noScript: 'Questa pagina ha bisogno di JavaScript per scattare le foto.',
    link_not_found: { title: 'Questo link non funziona', body: 'Non abbiamo trovato questo link di verifica. Forse è stato copiato in modo incompleto.', next: 'Riapri il link dal messaggio originale o chiedi al mittente un nuovo link.' },
    link_deactivated: { title: 'Questo link è stato disattivato', body: "L'azienda che lo ha inviato ha disattivato questo link di verifica.", next: 'Chiedi un nuovo link.' },
    link_expired: { title: 'Questo link è scaduto', body: 'I link di verifica valgono per un tempo limitato, e questo è scaduto.', next: "Chiedi un nuovo link all'azienda che lo ha inviato." },
    link_exhausted: { title: 'Questo link è esaurito', body: 'Questo link di verifica è stato usato tutte le volte consentite.', next: "Se devi ancora verificarti, chiedi un nuovo link all'azienda." },
    no_credits: { title: 'La verifica non è disponibile ora', body: 'Questa azienda al momento non può accettare verifiche.', next: 'Riprova più tardi o contattala.' },
  },
  lt: {
    heading: 'Tapatybės patvirtinimas',
    noScript: 'Nuotraukoms padaryti šiam puslapiui reikia „JavaScript“.',
    link_not_found: { title: 'Ši nuoroda neveikia', body: 'Neradome šios patvirtinimo nuorodos. Galbūt ji buvo nukopijuota ne visa.', next: 'Dar kartą atidarykite nuorodą iš pradinio pranešimo arba paprašykite siuntėjo naujos.' },
    link_deactivated: { title: 'Ši nuoroda išjungta', body: 'Ją atsiuntusi įmonė šią patvirtinimo nuorodą išjungė.', next: 'Paprašykite įmonės naujos nuorodos.' },
    link_expired: { title: 'Šios nuorodos galiojimas baigėsi', body: 'Patvirtinimo nuorodos galioja ribotą laiką, ir šios nuorodos laikas baigėsi.', next: 'Paprašykite ją atsiuntusios įmonės naujos nuorodos.' },
    link_exhausted: { title: 'Ši nuoroda jau išnaudota', body: 'Ši patvirtinimo nuoroda panaudota tiek kartų, kiek leidžiama.', next: 'Jei tapatybę patvirtinti vis dar reikia, paprašykite ją atsiuntusios įmonės naujos nuorodos.' },
    no_credits: { title: 'Patvirtinimas šiuo metu negalimas', body: 'Ši įmonė šiuo metu negali priimti patvirtinimų.', next: 'Pabandykite vėliau arba susisiekite su įmone.' },
  },
  nl: {
    heading: 'Identiteitscontrole',
    noScript: 'Deze pagina heeft JavaScript nodig om de foto’s te maken.',
    link_not_found: { title: 'Deze link werkt niet', body: 'We konden deze verificatielink niet vinden. Misschien is hij onvolledig gekopieerd.', next: 'Open de link opnieuw vanuit het oorspronkelijke bericht of vraag de afzender om een nieuwe.' },
    link_deactivated: { title: 'Deze link is uitgeschakeld', body: 'Het bedrijf dat hem stuurde heeft deze verificatielink gedeactiveerd.', next: 'Vraag om een nieuwe link.' },
    link_expired: { title: 'Deze link is verlopen', body: 'Verificatielinks zijn beperkt geldig, en deze is verlopen.', next: 'Vraag het bedrijf dat hem stuurde om een nieuwe link.' },
    link_exhausted: { title: 'Deze link is opgebruikt', body: 'Deze verificatielink is zo vaak gebruikt als toegestaan.', next: 'Moet u zich nog verifiëren, vraag het bedrijf dan om een nieuwe link.' },
    no_credits: { title: 'Verificatie is nu niet beschikbaar', body: 'Dit bedrijf kan op dit moment geen verificaties aannemen.', next: 'Probeer het later opnieuw of neem contact met hen op.' },
  },
  pt: {
    heading: 'Verificação de identidade',
    noScript: 'Esta página precisa de JavaScript para tirar as fotografias.',
    link_not_found: { title: 'Este link não funciona', body: 'Não encontrámos este link de verificação. Pode ter sido copiado de forma incompleta.', next: 'Abra novamente o link a partir da mensagem original ou peça um novo ao remetente.' },
    link_deactivated: { title: 'Este link foi desativado', body: 'A empresa que o enviou desativou este link de verificação.', next: 'Peça-lhe um novo link.' },
    link_expired: { title: 'Este link expirou', body: 'Os links de verificação são válidos por tempo limitado, e este terminou.', next: 'Peça um novo link à empresa que o enviou.' },
    link_exhausted: { title: 'Este link esgotou-se', body: 'Este link de verificação foi usado tantas vezes quanto permite.', next: 'Se ainda precisa de se verificar, peça um novo link à empresa.' },
    no_credits: { title: 'A verificação não está disponível agora', body: 'Esta empresa não pode aceitar verificações neste momento.', next: 'Tente mais tarde ou contacte-a.' },
  },
};
