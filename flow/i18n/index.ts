/**
 * One catalogue per language, English bundled and the others loaded on demand (a catalogue is a
 * few kilobytes the applicant only needs in one language).
 */
import type { Language } from '../../contract/common.js';
import { en, type Catalogue } from './en.js';

export type { Catalogue };

const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<Catalogue>> = {
  de: () => import('./de.js').then((m) => m.de),
  es: () => import('./es.js').then((m) => m.es),
  fr: () => import('./fr.js').then((m) => m.fr),
  it: () => import('./it.js').then((m) => m.it),
  lt: () => import('./lt.js').then((m) => m.lt),
  nl: () => import('./nl.js').then((m) => m.nl),
  pt: () => import('./pt.js').then((m) => m.pt),
};

export async function loadCatalogue(language: Language): Promise<Catalogue> {
  return language === 'en' ? en : LOADERS[language]();
}

export { en as fallbackCatalogue };
