/** The theme a designer picks, and the exact snippet a merchant would paste for it. */

export interface Theme {
  buttonBackground: string;
  buttonColor: string;
  /** Corner radius of the button and the modal, in px. */
  radius: number;
  font: FontChoice;
}

export const FONTS = {
  inherit: { label: 'The page\'s own', css: 'inherit' },
  system: { label: 'System UI', css: 'system-ui, sans-serif' },
  serif: { label: 'Serif', css: 'Georgia, "Times New Roman", serif' },
  rounded: { label: 'Rounded', css: 'ui-rounded, "SF Pro Rounded", system-ui, sans-serif' },
  mono: { label: 'Monospace', css: 'ui-monospace, Menlo, Consolas, monospace' },
} as const;
export type FontChoice = keyof typeof FONTS;

/** The widget's own defaults (widget/verify-now.ts): a snippet repeats only what differs. */
export const DEFAULT_THEME: Theme = { buttonBackground: '#1a56db', buttonColor: '#ffffff', radius: 8, font: 'inherit' };

/** The element's custom properties for a theme: each one set, default or not, so switching back works. */
export function themeProperties(theme: Theme): Record<string, string> {
  return {
    '--verify-now-button-background': theme.buttonBackground,
    '--verify-now-button-color': theme.buttonColor,
    '--verify-now-radius': `${theme.radius}px`,
    '--verify-now-font': FONTS[theme.font].css,
  };
}

export interface SnippetInput {
  verifyNowOrigin: string;
  linkUrl: string;
  language: string;
  theme: Theme;
}

const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The HTML a merchant pastes: the script tag, the element, its theme, and the event to listen to. */
export function snippetFor({ verifyNowOrigin, linkUrl, language, theme }: SnippetInput): string {
  const all = themeProperties(theme);
  const defaults = themeProperties(DEFAULT_THEME);
  const changed = Object.entries(all).filter(([name, value]) => defaults[name] !== value);
  const lines = [
    `<script type="module" src="${attribute(verifyNowOrigin)}/widget/verify-now.js"></script>`,
    '',
    `<verify-now link="${attribute(linkUrl)}" language="${attribute(language)}"></verify-now>`,
  ];
  if (changed.length > 0) {
    lines.push('', '<style>', '  verify-now {', ...changed.map(([name, value]) => `    ${name}: ${value};`), '  }', '</style>');
  }
  lines.push(
    '',
    '<script type="module">',
    "  document.querySelector('verify-now').addEventListener('verify-complete', (event) => {",
    '    // Tell your backend: it reads the session from the API with its key.',
    '    console.log(event.detail.sessionId, event.detail.status);',
    '  });',
    '</script>',
  );
  return lines.join('\n');
}
