/**
 * A new description spliced into the HTML body Outlook already holds (issue 12, item 2).
 *
 * Graph `event-update` (microsoft-graph-docs-contrib api-reference/v1.0/api/event-update.md):
 * "removing the online-meeting blob from the body would disable meeting online" — so a CRM edit
 * of the description must never rebuild the body from plain text. Exchange also stores the body
 * in its own wrapper (`<html><head><meta …></head><body>…`, calendar-post-events.md sample).
 *
 * What is kept byte for byte: everything outside <body>, the online-meeting blob (the first
 * top-level block carrying a join link, and all that follows it), and every top-level block
 * before it whose text the new description still starts or ends with. Only the blocks whose text
 * changed are replaced, by the escaped text (textToHtml: nothing from the CRM becomes markup).
 *
 * Hand-written on purpose: the only HTML parsers in the tree are transitive (html-to-text's
 * htmlparser2, jsdom's parse5) and adding one as a direct dependency changes the lockfile's
 * hoisting. This needs only the top-level blocks of <body> with their source offsets, which the
 * bounded tag scanner shared with capDepth (bodyTokens.ts) gives; whatever it cannot place falls
 * back to replacing the editable region as a whole, still keeping the blob.
 */
import { htmlToText, normalizeText, textFragmentToHtml, textToHtml } from './body';
import { bodyTokens } from './bodyTokens';

/** Markers of an online-meeting blob (Teams writes its join link and its own classes). */
const ONLINE_MEETING_MARKERS = [
  /teams\.microsoft\.com\/l\/meetup-join/i,
  /class\s*=\s*["']?[^"'>]*\bme-email-/i,
  /data-online-meeting/i,
  /onlineMeetingJoinUrl/i,
];

export function isOnlineMeetingBlock(html: string): boolean {
  return ONLINE_MEETING_MARKERS.some((m) => m.test(html));
}

interface Block {
  readonly start: number;
  readonly end: number; // exclusive
}

/** The inner range of <body> (the whole string when there is none). */
function bodyRange(html: string): { start: number; end: number } {
  const open = /<body\b(?:[^>"']|"[^"]*"|'[^']*')*>/i.exec(html);
  if (!open) return { start: 0, end: html.length };
  const start = open.index + open[0].length;
  const close = html.toLowerCase().lastIndexOf('</body');
  return { start, end: close >= start ? close : html.length };
}

/** The top-level blocks (elements and non-blank text runs) of html[from, to). */
function topLevelBlocks(html: string, from: number, to: number): Block[] {
  const blocks: Block[] = [];
  const region = html.slice(from, to);
  let depth = 0;
  let blockStart = -1;
  let last = 0;
  const text = (until: number) => {
    if (depth === 0 && until > last && region.slice(last, until).trim() !== '') {
      blocks.push({ start: from + last, end: from + until });
    }
  };
  for (const token of bodyTokens(region)) {
    text(token.start);
    last = token.end;
    if (token.kind === 'open') {
      if (depth === 0) {
        if (token.leaf) blocks.push({ start: from + token.start, end: from + token.end });
        else blockStart = token.start;
      }
      if (!token.leaf) depth++;
    } else if (token.kind === 'close' && depth > 0) {
      depth--;
      if (depth === 0 && blockStart >= 0) {
        blocks.push({ start: from + blockStart, end: from + token.end });
        blockStart = -1;
      }
    }
    // Comments and doctypes at the top level stay where they are; they are not blocks.
  }
  if (depth > 0 && blockStart >= 0) blocks.push({ start: from + blockStart, end: to });
  else text(region.length);
  return blocks;
}

/** `text` without `part` at its start (or null when it does not start with it, on a line end). */
function stripStart(text: string, part: string): string | null {
  if (part === '' || !text.startsWith(part)) return null;
  const rest = text.slice(part.length);
  if (rest !== '' && !rest.startsWith('\n')) return null;
  return rest.replace(/^\n+/, '');
}

function stripEnd(text: string, part: string): string | null {
  if (part === '' || !text.endsWith(part)) return null;
  const rest = text.slice(0, text.length - part.length);
  if (rest !== '' && !rest.endsWith('\n')) return null;
  return rest.replace(/\n+$/, '');
}

/**
 * The HTML body to write for `description` given the body Outlook holds. Returns `current`
 * itself when its text already reads as `description`.
 */
export function spliceDescription(current: string, description: string): string {
  const wanted = normalizeText(description);
  if (current.trim() === '') return textToHtml(wanted);
  if (htmlToText(current) === wanted) return current;
  const body = bodyRange(current);
  const blocks = topLevelBlocks(current, body.start, body.end);
  let blobAt = blocks.findIndex((b) => isOnlineMeetingBlock(current.slice(b.start, b.end)));
  // Outlook opens the blob with a rule of underscores: that line belongs to it.
  const before = blobAt > 0 ? blocks[blobAt - 1] : undefined;
  if (before && /^_{8,}$/.test(htmlToText(current.slice(before.start, before.end)))) blobAt--;
  const editable = blobAt < 0 ? blocks : blocks.slice(0, blobAt);
  const kept = blobAt < 0 ? [] : blocks.slice(blobAt);
  // The blob's own text is part of what the CRM holds (it reads the whole body): without it is
  // what goes into the editable region. A description that lost the blob's text keeps the blob.
  let text = wanted;
  if (kept.length > 0) {
    const first = kept[0] as Block;
    const blobText = htmlToText(current.slice(first.start, body.end));
    text = stripEnd(text, blobText) ?? text;
  }
  const texts = editable.map((b) => htmlToText(current.slice(b.start, b.end)));
  let head = 0;
  for (; head < editable.length; head++) {
    const rest = stripStart(text, texts[head] ?? '');
    if (rest === null) break;
    text = rest;
  }
  let tail = editable.length;
  for (; tail > head; tail--) {
    const rest = stripEnd(text, texts[tail - 1] ?? '');
    if (rest === null) break;
    text = rest;
  }
  const fragment = text === '' ? '' : `<div>${textFragmentToHtml(text)}</div>`;
  const middle = editable.slice(head, tail);
  if (middle.length > 0) {
    const from = (middle[0] as Block).start;
    const to = (middle[middle.length - 1] as Block).end;
    return current.slice(0, from) + fragment + current.slice(to);
  }
  if (fragment === '') return current;
  const at =
    head > 0
      ? (editable[head - 1] as Block).end
      : tail < editable.length
        ? (editable[tail] as Block).start
        : kept.length > 0
          ? (kept[0] as Block).start
          : body.end;
  return current.slice(0, at) + fragment + current.slice(at);
}
