/**
 * The one HTML tag scanner behind event bodies: `capDepth` (body.ts) and the description splice
 * (bodySplice.ts) both walk a body's tags with it. Hand-written, not a parser: the only HTML
 * parsers in the tree are transitive (html-to-text's htmlparser2, jsdom's parse5), and both
 * callers need only where each tag starts and ends in the source, which a scan gives.
 *
 * Every body is hostile: the scan is one left-to-right pass that never fails to match once a
 * token has begun (an unclosed tag, quote or comment runs to the end of the text, as a browser
 * reads it), so no input makes it go back over the text — linear, whatever the nesting.
 */

/** Elements that never have content or an end tag (HTML § void elements). */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Elements whose content is text up to their end tag: a `<` in them opens no tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

export type BodyToken =
  /** A start tag; `leaf` when it has no content (void or self-closed `<x/>`). */
  | { readonly kind: 'open'; readonly name: string; readonly leaf: boolean }
  | { readonly kind: 'close'; readonly name: string }
  /** A comment, doctype or other `<!…>`: no element. */
  | { readonly kind: 'other' };

/** A token with its source range [start, end). */
export type PlacedToken = BodyToken & { readonly start: number; readonly end: number };

const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<![^>]*>?|<\/([a-zA-Z][\w:-]*)[^>]*>?|<([a-zA-Z][\w:-]*)(?:[^>"']|"[^"]*(?:"|$)|'[^']*(?:'|$))*?(\/?)(?:>|$)/g;

/**
 * The tags of `html` in source order, the text between them left out. The content of a raw-text
 * element (script, style, textarea, title) is skipped: its end tag follows its start tag (at the
 * end of the text when there is none).
 */
export function* bodyTokens(html: string): Generator<PlacedToken> {
  const scan = new RegExp(TOKEN.source, 'g');
  const lower = html.toLowerCase();
  // Bounded: every match consumes at least one character ('<'), so the scan ends.
  for (let m = scan.exec(html); m !== null; m = scan.exec(html)) {
    const [token, closeName, openName, selfClose] = m;
    const start = m.index;
    const end = start + token.length;
    if (closeName) {
      yield { kind: 'close', name: closeName.toLowerCase(), start, end };
    } else if (openName) {
      const name = openName.toLowerCase();
      const leaf = VOID_ELEMENTS.has(name) || selfClose === '/';
      yield { kind: 'open', name, leaf, start, end };
      if (RAW_TEXT.has(name) && !leaf) {
        const close = lower.indexOf(`</${name}`, end);
        const gt = close < 0 ? -1 : html.indexOf('>', close);
        const closeEnd = gt < 0 ? html.length : gt + 1;
        yield { kind: 'close', name, start: close < 0 ? html.length : close, end: closeEnd };
        scan.lastIndex = closeEnd;
      }
    } else {
      yield { kind: 'other', start, end };
    }
  }
}
