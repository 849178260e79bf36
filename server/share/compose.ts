import type { Language } from '../../contract/common.js';
import type { Flow } from '../../contract/links.js';
import { SHARE_TEXT } from './messages.js';

/** What a shared message says: the link's own language, flow and expiry, from the merchant. */
export interface ShareContent {
  /** The merchant's account name, shown as the sender. */
  shop: string;
  url: string;
  language: Language;
  flow: Flow;
  expiresAt: number | null;
  /** The merchant's own words, plain text. */
  message?: string | undefined;
}

export interface EmailContent {
  /** The sender's name: the shop, on one line. */
  fromName: string;
  subject: string;
  text: string;
  html: string;
}

/** One line of plain text: an account name must not break a header or a sentence. */
export const oneLine = (text: string) => text.replace(/[\u0000-\u001F\u007F]+/g, ' ').trim();

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** "31 December 2026 at 23:00 UTC": in UTC, since we do not know the applicant's time zone. */
export function formatExpiry(expiresAt: number, language: Language): string {
  const format = new Intl.DateTimeFormat(SHARE_TEXT[language].locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return `${format.format(expiresAt)} UTC`;
}

export function composeEmail(content: ShareContent): EmailContent {
  const t = SHARE_TEXT[content.language];
  const shop = oneLine(content.shop);
  const validity = content.expiresAt === null ? undefined : t.validUntil(formatExpiry(content.expiresAt, content.language));
  const message = content.message?.trim() || undefined;

  const text = [
    t.greeting,
    '',
    `${t.asks(shop)} ${t.steps[content.flow]}`,
    ...(message ? ['', t.wrote(shop), ...message.split('\n').map((line) => `> ${line}`)] : []),
    '',
    `${t.button}:`,
    content.url,
    ...(validity ? ['', validity] : []),
    '',
    '-- ',
    t.footer(shop),
    '',
  ].join('\n');

  const e = escapeHtml;
  // Inline styles and <br> line breaks: mail clients drop <style> blocks and many ignore white-space.
  const paragraph = (inner: string, style = '') => `<p style="margin:0 0 16px;${style}">${inner}</p>`;
  const html = `<!doctype html>
<html lang="${content.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(t.subject(shop))}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1d21">
<div style="max-width:560px;margin:0 auto;padding:32px;background:#ffffff;border-radius:8px">
${paragraph(e(t.greeting))}
${paragraph(`${e(t.asks(shop))} ${e(t.steps[content.flow])}`)}
${message ? `${paragraph(e(t.wrote(shop)), 'margin-bottom:4px')}
<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #c9ced6;color:#3d434b">${e(message).replace(/\n/g, '<br>\n')}</blockquote>` : ''}
<p style="margin:24px 0"><a href="${e(content.url)}" style="display:inline-block;padding:12px 24px;background:#1f5fd1;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">${e(t.button)}</a></p>
${paragraph(e(t.orCopy), 'font-size:14px;margin-bottom:4px')}
${paragraph(`<a href="${e(content.url)}" style="color:#1f5fd1;word-break:break-all">${e(content.url)}</a>`, 'font-size:14px')}
${validity ? paragraph(e(validity)) : ''}
<hr style="border:none;border-top:1px solid #e1e4e8;margin:24px 0">
<p style="margin:0;font-size:13px;color:#5c636d">${e(t.footer(shop))}</p>
</div>
</body>
</html>
`;
  return { fromName: shop, subject: t.subject(shop), text, html };
}

/** The SMS: the merchant's note (if any) on its own line, then one short sentence with the link. */
export function composeSms(content: ShareContent): string {
  const line = SHARE_TEXT[content.language].sms(oneLine(content.shop), content.url);
  const message = content.message?.trim();
  return message ? `${message}\n${line}` : line;
}

/**
 * `sms:+491701234567?&body=…`: iOS reads the body after `&`, Android after `?`; `?&body=` suits
 * both. Without a number (`sms:?&body=…`) the phone asks for one. The body is percent-encoded
 * (spaces as %20, never `+`, which iOS shows literally).
 */
export function smsDeepLink(to: string | undefined, body: string): string {
  return `sms:${to ?? ''}?&body=${encodeURIComponent(body)}`;
}

// GSM 03.38: the basic set counts one septet a character, the extension set two.
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

/** Septets the text takes in GSM-7, or undefined when it needs UCS-2 (then 70 characters a part). */
export function gsm7Length(text: string): number | undefined {
  let septets = 0;
  for (const char of text) {
    if (GSM7_BASIC.includes(char)) septets += 1;
    else if (GSM7_EXTENDED.includes(char)) septets += 2;
    else return undefined;
  }
  return septets;
}
