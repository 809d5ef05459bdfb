import { compile } from 'html-to-text';
import { bodyTokens } from './bodyTokens';

/**
 * Event bodies. Outlook stores HTML (Graph `body.contentType: html`); the model keeps plain text
 * (model.ts `description`). HTML → text goes through html-to-text, a maintained converter that
 * never executes or keeps markup; text → HTML is escaping only, so nothing the CRM holds can
 * become markup in Outlook (no script, no attribute, no link we did not write).
 */
export function htmlToText(html: string): string {
  const text = converter()(capDepth(html));
  // Our own writer encodes runs of spaces as &nbsp; (below): read them back as spaces.
  return normalizeText(text.replace(/\u00a0/g, ' '));
}

/**
 * The converter, compiled once (issue 16: `convert` compiles its options and selectors into a
 * decision tree on every call — 7 % of a first sync's CPU). The README of html-to-text: "compile
 * … for batch processing".
 */
let compiled: ((html: string) => string) | null = null;
function converter(): (html: string) => string {
  compiled ??= compile({
    wordwrap: false,
    // A backstop behind capDepth: html-to-text walks the tree recursively.
    limits: { maxDepth: MAX_DEPTH + 16 },
    selectors: [
      // Keep what a person reads; drop what a browser would fetch.
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  });
  return compiled;
}

/**
 * Issue 14: how deep elements may nest before the converter sees them. html-to-text walks the
 * tree recursively and overflows the stack at a few thousand levels (measured: 5,000 nested
 * `<div>`s throw RangeError with 9.0.5); no mail client writes more than a few dozen.
 */
export const MAX_DEPTH = 200;

/**
 * The HTML with every tag nested deeper than `max` dropped and its text kept: a flat run of text
 * where the markup was too deep, instead of the `...` html-to-text's own `maxDepth` puts in place
 * of the whole subtree (what the person wrote stays). Linear, one pass over bodyTokens.ts's scan;
 * a tag the scan misreads can only make it drop a tag, never text.
 */
export function capDepth(html: string, max: number = MAX_DEPTH): string {
  let depth = 0;
  let out = '';
  let last = 0;
  for (const token of bodyTokens(html)) {
    let keep = true;
    if (token.kind === 'open' && token.leaf) keep = depth < max;
    else if (token.kind === 'open') keep = (depth += 1) <= max;
    else if (token.kind === 'close') {
      keep = depth <= max;
      depth = Math.max(0, depth - 1);
    }
    if (!keep) {
      out += html.slice(last, token.start);
      last = token.end;
    }
  }
  return last === 0 ? html : out + html.slice(last);
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
