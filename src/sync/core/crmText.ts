/**
 * Issue 14 item 3: what the CRM contract refuses, the client cleans before sending — one module for
 * the sync path (plan/privacy.ts `crmView`) and the mail path (crm/crmContactCard.ts). Outlook's own
 * value is never rewritten with the cleaned one: the plan compares each side with its own base, and
 * the Outlook side's base is this same cleaned view, so the echo of a cleaning is no edit.
 *
 * The rules are the contract's (docs/crm-sync-api.yaml; sandbox/crm/schemas/text.ts,
 * activity.ts, participant.ts):
 * - single-line text (subject, location, names): 1..255 characters, no C0 control or DEL, none of
 *   the bidirectional controls U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, and no markup
 *   (a `<` followed by a letter, `/`, `!` or `?`);
 * - multi-line text (description): at most 32,000 characters, tab/LF/CR the only controls;
 * - `end` after `start`; at most 500 participants; an external participant needs a valid address;
 * - a reminder between 0 and 40,320 minutes (4 weeks).
 *
 * Cleaning keeps the text a person reads: the bidi marks go (they are invisible; the Unicode
 * bidirectional algorithm orders Hebrew and Arabic letters without them), ZWJ/ZWNJ stay (they
 * shape Persian, Arabic and emoji and the contract allows them), a control becomes a space, and a
 * markup-like `<` becomes `‹` (U+2039), which reads the same and is no tag to anyone.
 */
import { z } from 'zod';
import type { CalendarItem, ItemTime, OccurrenceChange, Participant } from './model';

export const CRM_LIMITS = {
  singleLine: 255,
  description: 32_000,
  participants: 500,
  reminderMinutes: 40_320,
  email: 254,
} as const;

/**
 * What an empty Outlook subject becomes in the CRM, which requires one. Not localised on purpose:
 * the CRM is shared by people who read different languages, and one spelling is searchable and
 * stays the same whichever colleague's client copied the item. Outlook itself keeps its empty
 * subject (a CRM edit of the subject still reaches it).
 */
export const EMPTY_SUBJECT = '(No subject)';

/** The shortest item the contract takes: `end` must be after `start`. */
const MIN_TIMED_MS = 60_000;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const C0_RUNS = /[\u0000-\u001f\u007f]+/g;
const REFUSED_BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MARKUP_START = /<(?=[A-Za-z/!?])/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const MULTILINE_REFUSED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const EmailSchema = z.email().max(CRM_LIMITS.email);

/** Cuts to `max` UTF-16 units (the contract counts those) without splitting a surrogate pair. */
function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** One line of plain text the contract accepts (may be empty: the caller decides what then). */
export function singleLineText(value: string, max: number = CRM_LIMITS.singleLine): string {
  const cleaned = value
    .replace(REFUSED_BIDI, '')
    .replace(C0_RUNS, ' ')
    .replace(MARKUP_START, '‹')
    .trim();
  return cut(cleaned, max).trim();
}

/** Description-like text the contract accepts: tab, LF and CR are the only controls kept. */
export function multiLineText(value: string, max: number = CRM_LIMITS.description): string {
  return cut(value.replace(MULTILINE_REFUSED, ''), max);
}

/** A subject the contract accepts: cleaned, and never empty. */
export function crmSubject(value: string): string {
  const cleaned = singleLineText(value);
  return cleaned === '' ? EMPTY_SUBJECT : cleaned;
}

export function isCrmEmail(value: string): boolean {
  return EmailSchema.safeParse(value).success;
}

function cleanTime(time: ItemTime): ItemTime {
  if (time.kind === 'allDay') {
    if (time.endDate > time.startDate) return time;
    // An all-day item ends (exclusive) at least a day after it starts.
    const next = new Date(`${time.startDate}T00:00:00Z`);
    if (Number.isNaN(next.getTime())) return time;
    next.setUTCDate(next.getUTCDate() + 1);
    return { ...time, endDate: next.toISOString().slice(0, 10) };
  }
  const start = Date.parse(time.start);
  const end = Date.parse(time.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end > start) return time;
  const minimal = new Date(start + MIN_TIMED_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { ...time, end: minimal };
}

function participantKey(p: Participant): string {
  if (p.crmId !== undefined && p.kind !== 'external') return `${p.kind}:${p.crmId}`;
  return `e:${p.email ?? ''}`;
}

export interface CleanParticipants {
  readonly participants: readonly Participant[];
  /** Beyond the contract's cap: not sent, reported on the item. */
  readonly overCap: number;
}

/**
 * The participants the contract takes, in Outlook's order: duplicates once, external people only
 * with an address the contract accepts (SPEC F4: someone the CRM cannot name is left out, as
 * before), names cleaned, and the first 500.
 */
export function crmParticipants(list: readonly Participant[]): CleanParticipants {
  const seen = new Set<string>();
  const out: Participant[] = [];
  for (const p of list) {
    const byId = p.crmId !== undefined && p.kind !== 'external';
    if (!byId && (p.email === undefined || !isCrmEmail(p.email))) continue;
    const key = participantKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    const name = p.name === undefined ? '' : singleLineText(p.name);
    out.push({
      kind: p.kind,
      optional: p.optional,
      ...(p.email !== undefined ? { email: p.email } : {}),
      ...(p.crmId !== undefined ? { crmId: p.crmId } : {}),
      ...(name !== '' ? { name } : {}),
    });
  }
  const cap = CRM_LIMITS.participants;
  return { participants: out.slice(0, cap), overCap: Math.max(0, out.length - cap) };
}

function cleanChange(change: OccurrenceChange): OccurrenceChange {
  return {
    ...change,
    ...(change.subject !== undefined ? { subject: crmSubject(change.subject) } : {}),
    ...(change.location !== undefined ? { location: singleLineText(change.location) } : {}),
    ...(change.description !== undefined ? { description: multiLineText(change.description) } : {}),
  };
}

function cleanReminder(minutes: number | null): number | null {
  if (minutes === null || !Number.isFinite(minutes)) return minutes === null ? null : 15;
  return Math.min(CRM_LIMITS.reminderMinutes, Math.max(0, Math.round(minutes)));
}

/**
 * The item as the CRM contract takes it. Idempotent (`crmItem(crmItem(x))` equals `crmItem(x)`),
 * and an item the contract already takes comes back equal.
 */
export function crmItem(item: CalendarItem): CalendarItem {
  const overrides = item.recurrence?.overrides;
  return {
    ...item,
    subject: crmSubject(item.subject),
    location: singleLineText(item.location),
    description: multiLineText(item.description),
    time: cleanTime(item.time),
    reminderMinutes: cleanReminder(item.reminderMinutes),
    participants: crmParticipants(item.participants).participants,
    recurrence:
      item.recurrence && overrides
        ? {
            ...item.recurrence,
            overrides: Object.fromEntries(
              Object.entries(overrides).map(([id, change]) => [id, cleanChange(change)]),
            ),
          }
        : item.recurrence,
  };
}
