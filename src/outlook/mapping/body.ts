import { convert } from 'html-to-text';

/**
 * Event bodies. Outlook stores HTML (Graph `body.contentType: html`); the model keeps plain text
 * (model.ts `description`). HTML → text goes through html-to-text, a maintained converter that
 * never executes or keeps markup; text → HTML is escaping only, so nothing the CRM holds can
 * become markup in Outlook (no script, no attribute, no link we did not write).
 */
export function htmlToText(html: string): string {
  const text = convert(html, {
    wordwrap: false,
    selectors: [
      // Keep what a person reads; drop what a browser would fetch.
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  });
  // Our own writer encodes runs of spaces as &nbsp; (below): read them back as spaces.
  return normalizeText(text.replace(/\u00a0/g, ' '));
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Plain text → HTML to place inside a body: escaped, newlines as <br>, space runs kept. */
export function textFragmentToHtml(text: string): string {
  const escaped = normalizeText(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
  return (
    escaped
      .split('\n')
      // HTML collapses whitespace; &nbsp; after a space keeps "a  b" as typed.
      .map((line) => line.replace(/\t/g, '    ').replace(/ (?= )|^ /g, '&nbsp;'))
      .join('<br>')
  );
}

/** Plain text → the HTML Outlook shows (a new event's whole body). */
export function textToHtml(text: string): string {
  return `<html><body>${textFragmentToHtml(text)}</body></html>`;
}

/** Line ends as \n, no trailing whitespace at the end: what both directions compare. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
}
