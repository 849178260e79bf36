/**
 * The widget's own few words, per language. Not the flow's catalogues: those hold hundreds of
 * strings, and this is the loader every visitor downloads.
 */
export interface WidgetLabels {
  verifyNow: string;
  /** The modal's name for screen readers. */
  title: string;
  close: string;
  /** Shown (and announced) in the modal until the flow says it is ready. */
  loading: string;
  /** When the flow never became ready in the modal (framing refused, network). */
  unreachable: string;
  openInNewTab: string;
}

const LABELS = {
  en: { verifyNow: 'Verify now', title: 'Identity verification', close: 'Close', loading: 'Loading the verification…', unreachable: 'The verification could not be loaded here.', openInNewTab: 'Open it in a new tab' },
  de: { verifyNow: 'Jetzt verifizieren', title: 'Identitätsprüfung', close: 'Schließen', loading: 'Die Prüfung wird geladen…', unreachable: 'Die Prüfung konnte hier nicht geladen werden.', openInNewTab: 'In einem neuen Tab öffnen' },
  es: { verifyNow: 'Verificar ahora', title: 'Verificación de identidad', close: 'Cerrar', loading: 'Cargando la verificación…', unreachable: 'No se pudo cargar la verificación aquí.', openInNewTab: 'Abrirla en una pestaña nueva' },
  fr: { verifyNow: 'Vérifier maintenant', title: 'Vérification d’identité', close: 'Fermer', loading: 'Chargement de la vérification…', unreachable: 'La vérification n’a pas pu être chargée ici.', openInNewTab: 'L’ouvrir dans un nouvel onglet' },
  it: { verifyNow: 'Verifica ora', title: 'Verifica dell’identità', close: 'Chiudi', loading: 'Caricamento della verifica…', unreachable: 'Non è stato possibile caricare la verifica qui.', openInNewTab: 'Aprila in una nuova scheda' },
  lt: { verifyNow: 'Patvirtinti dabar', title: 'Tapatybės patvirtinimas', close: 'Uždaryti', loading: 'Įkeliamas patvirtinimas…', unreachable: 'Patvirtinimo čia įkelti nepavyko.', openInNewTab: 'Atidaryti naujoje kortelėje' },
  nl: { verifyNow: 'Nu verifiëren', title: 'Identiteitsverificatie', close: 'Sluiten', loading: 'De verificatie wordt geladen…', unreachable: 'De verificatie kon hier niet worden geladen.', openInNewTab: 'Open ze in een nieuw tabblad' },
  pt: { verifyNow: 'Verificar agora', title: 'Verificação de identidade', close: 'Fechar', loading: 'A carregar a verificação…', unreachable: 'Não foi possível carregar a verificação aqui.', openInNewTab: 'Abri-la num novo separador' },
} satisfies Record<string, WidgetLabels>;

/** Labels for a language tag (`de`, `de-CH`); English for anything else. */
export function labelsFor(language: string | undefined): WidgetLabels {
  const code = (language ?? '').slice(0, 2).toLowerCase();
  return code in LABELS ? LABELS[code as keyof typeof LABELS] : LABELS.en;
}
