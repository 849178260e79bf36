/**
 * The widget's own few words, per language. Not the flow's catalogues: those hold hundreds of
 * strings, and this is the loader every visitor downloads.
 */
export interface WidgetLabels {
  verifyNow: string;
  /** The modal's name for screen readers. */
  title: string;
  close: string;
}

const LABELS = {
  en: { verifyNow: 'Verify now', title: 'Identity verification', close: 'Close' },
  de: { verifyNow: 'Jetzt verifizieren', title: 'Identitätsprüfung', close: 'Schließen' },
  es: { verifyNow: 'Verificar ahora', title: 'Verificación de identidad', close: 'Cerrar' },
  fr: { verifyNow: 'Vérifier maintenant', title: 'Vérification d’identité', close: 'Fermer' },
  it: { verifyNow: 'Verifica ora', title: 'Verifica dell’identità', close: 'Chiudi' },
  lt: { verifyNow: 'Patvirtinti dabar', title: 'Tapatybės patvirtinimas', close: 'Uždaryti' },
  nl: { verifyNow: 'Nu verifiëren', title: 'Identiteitsverificatie', close: 'Sluiten' },
  pt: { verifyNow: 'Verificar agora', title: 'Verificação de identidade', close: 'Fechar' },
} satisfies Record<string, WidgetLabels>;

/** Labels for a language tag (`de`, `de-CH`); English for anything else. */
export function labelsFor(language: string | undefined): WidgetLabels {
  const code = (language ?? '').slice(0, 2).toLowerCase();
  return code in LABELS ? LABELS[code as keyof typeof LABELS] : LABELS.en;
}
