/**
 * A mail's body as a list of blocks, rendered once as plain text and once as HTML: both carry the same
 * content, and every piece of text is escaped where HTML is written, so no caller escapes anything.
 */
import { escapeHtml } from '../domain/text';

/** One part of a mail's body; all strings are plain text. */
export type MailBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; text: string }
  /** Someone's own words as the body of the mail (a coordinator's message), its line breaks kept. */
  | { kind: 'letter'; text: string }
  /** Someone's own words quoted (a challenge's description), its line breaks kept. */
  | { kind: 'quote'; text: string }
  | { kind: 'list'; items: string[] }
  /** Links to act on, shown as buttons. */
  | { kind: 'actions'; links: { label: string; url: string }[] }
  /** Small print at the end, with a link (e.g. to unsubscribe). */
  | { kind: 'footer'; text: string; link?: { label: string; url: string } };

/**
 * A link's URL, normalised (no line breaks, no `<`, `>` or spaces left, so it also fits a header's `<…>`), and
 * refused unless it is http(s): a mail never carries a `javascript:` or `data:` link.
 */
export function checkedUrl(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== 'https:' && parsed?.protocol !== 'http:') {
    throw new Error(`a link in a mail must be an http(s) URL, got "${url}"`);
  }
  return parsed.href;
}

/**
 * Plain text: paragraphs apart, headings underlined, list items with "- ", links as "label:" and the URL on
 * the next line. `colon` is the language's (French puts a no-break space before it).
 */
export function renderText(blocks: readonly MailBlock[], colon = ':'): string {
  const parts = blocks.map((b) => {
    switch (b.kind) {
      case 'paragraph':
        return b.text;
      case 'letter':
        return b.text.trim();
      case 'heading':
        return `${b.text}\n${'-'.repeat(b.text.length)}`;
      case 'quote':
        return b.text
          .trim()
          .split(/\r?\n/)
          .map((line) => `> ${line}`.trimEnd())
          .join('\n');
      case 'list':
        return b.items.map((item) => `- ${item}`).join('\n');
      case 'actions':
        return b.links.map((l) => `${l.label}${colon}\n${checkedUrl(l.url)}`).join('\n\n');
      case 'footer':
        return `-- \n${b.text}${b.link ? `\n${b.link.label}${colon} ${checkedUrl(b.link.url)}` : ''}`;
      default:
        return unreachable(b);
    }
  });
  return `${parts.join('\n\n')}\n`;
}

const FONT = 'font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2933';
const BUTTON =
  'display:inline-block;margin:0 12px 8px 0;padding:10px 18px;border-radius:4px;text-decoration:none;' +
  'font-weight:bold;border:2px solid #1d5fa8;';
/** The first link of a row stands out; the others (e.g. "Decline") are outlined. */
const PRIMARY = `${BUTTON}background:#1d5fa8;color:#ffffff`;
const SECONDARY = `${BUTTON}background:#ffffff;color:#1d5fa8`;

const RULE = 'border:0;border-top:1px solid #c5cfd9;margin-top:24px';
const SMALL = 'font-size:13px;color:#52606d';

/** A whole HTML document, inline styles only (mail clients drop style sheets). */
export function renderHtml(blocks: readonly MailBlock[], title: string, lang: string): string {
  const body = blocks.map((b) => {
    switch (b.kind) {
      case 'paragraph':
        return `<p>${escapeHtml(b.text)}</p>`;
      case 'letter':
        return keptBreaks(b.text);
      case 'heading':
        return `<h2 style="font-size:17px;margin:24px 0 8px">${escapeHtml(b.text)}</h2>`;
      case 'quote':
        return (
          '<blockquote style="margin:16px 0;padding:4px 16px;border-left:3px solid #c5cfd9">' +
          `${keptBreaks(b.text)}</blockquote>`
        );
      case 'list':
        return `<ul>${b.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
      case 'actions':
        return (
          '<p>' +
          b.links
            .map(
              (l, i) =>
                `<a href="${escapeHtml(checkedUrl(l.url))}" style="${i === 0 ? PRIMARY : SECONDARY}">` +
                `${escapeHtml(l.label)}</a>`,
            )
            .join('') +
          '</p>'
        );
      case 'footer':
        return (
          `<hr style="${RULE}"><p style="${SMALL}">${escapeHtml(b.text)}` +
          (b.link ? `<br><a href="${escapeHtml(checkedUrl(b.link.url))}">${escapeHtml(b.link.label)}</a>` : '') +
          '</p>'
        );
      default:
        return unreachable(b);
    }
  });
  return (
    `<!DOCTYPE html>\n<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>\n` +
    `<body style="${FONT}"><div style="max-width:600px;margin:0 auto;padding:16px">\n` +
    `${body.join('\n')}\n</div></body></html>\n`
  );
}

/** Someone's text with its paragraphs and line breaks (not `white-space: pre-wrap`, which Outlook ignores). */
function keptBreaks(text: string): string {
  return text
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .map((para) => `<p>${para.split(/\r?\n/).map(escapeHtml).join('<br>')}</p>`)
    .join('');
}

function unreachable(b: never): never {
  throw new Error(`unknown mail block ${JSON.stringify(b)}`);
}
