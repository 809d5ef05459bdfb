/**
 * One spelling for every value, so that "changed" means changed (REQUIREMENTS.md: a moved version
 * tag alone is not a change). Both sides' adapters already map into CalendarItem; this removes the
 * differences that carry no meaning: line endings, trailing blanks, address case, attendee order,
 * instant spelling, RRULE part order.
 */
import type {
  CalendarItem,
  ItemTime,
  OccurrenceChange,
  Participant,
  Recurrence,
  RecurrenceId,
} from './model';
import { occurrenceTimes, originalTimes } from './recurrence/occurrences';

/** `2026-11-25T07:00:00.000Z`, `2026-11-25T07:00Z` → `2026-11-25T07:00:00Z`. */
export function normaliseInstant(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z$/.exec(value);
  if (!match) return value;
  return `${match[1]}T${match[2]}:${match[3]}:${match[4] ?? '00'}Z`;
}

/** CRLF and CR become LF; trailing blanks on each line and at the end go. */
export function normaliseText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+$/, ''))
    .join('\n')
    .replace(/\n+$/, '');
}

function normaliseParticipant(p: Participant): Participant {
  return {
    kind: p.kind,
    ...(p.email !== undefined ? { email: p.email.trim().toLowerCase() } : {}),
    ...(p.name !== undefined && p.name.trim() !== '' ? { name: p.name.trim() } : {}),
    ...(p.crmId !== undefined ? { crmId: p.crmId } : {}),
    optional: p.optional,
  };
}

function participantKey(p: Participant): string {
  return `${p.email ?? ''}\u0000${p.crmId ?? ''}\u0000${p.name ?? ''}\u0000${p.kind}`;
}

/** RRULE parts in a fixed order (`FREQ` first), upper-case names. */
export function normaliseRrule(rrule: string): string {
  const parts = rrule
    .replace(/^RRULE:/i, '')
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const [name = '', value = ''] = part.split('=');
      return [name.trim().toUpperCase(), value.trim().toUpperCase()] as const;
    });
  parts.sort(([a], [b]) => (a === 'FREQ' ? -1 : b === 'FREQ' ? 1 : a.localeCompare(b)));
  return parts.map(([name, value]) => `${name}=${value}`).join(';');
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An exception as what it changes and nothing more: values equal to the series' own go, a move
 * is written as both start and end, and nothing at all is no exception.
 */
function normaliseChange(
  item: CalendarItem,
  time: ItemTime,
  id: RecurrenceId,
  change: OccurrenceChange,
): OccurrenceChange | null {
  const out: Mutable<OccurrenceChange> = {};
  const subject = change.subject?.trim();
  if (subject !== undefined && subject !== item.subject.trim()) out.subject = subject;
  const location = change.location?.trim();
  if (location !== undefined && location !== item.location.trim()) out.location = location;
  const description =
    change.description === undefined ? undefined : normaliseText(change.description);
  if (description !== undefined && description !== normaliseText(item.description)) {
    out.description = description;
  }
  if (change.showAs !== undefined && change.showAs !== item.showAs) out.showAs = change.showAs;
  if (change.reminderMinutes !== undefined && change.reminderMinutes !== item.reminderMinutes) {
    out.reminderMinutes = change.reminderMinutes;
  }
  if (change.start !== undefined || change.end !== undefined) {
    const moved = occurrenceTimes(time, id, change);
    const original = originalTimes(time, id);
    const [start, end] = [normaliseInstant(moved.start), normaliseInstant(moved.end)];
    if (start !== original.start || end !== original.end) Object.assign(out, { start, end });
  }
  return Object.keys(out).length > 0 ? out : null;
}

function normaliseRecurrence(item: CalendarItem, time: ItemTime): Recurrence | null {
  const r = item.recurrence;
  if (r === null) return null;
  const exdates = [...new Set(r.exdates)].sort();
  const cancelled = new Set(exdates);
  const overrides: [RecurrenceId, OccurrenceChange][] = [];
  for (const id of Object.keys(r.overrides ?? {}).sort()) {
    const change = r.overrides?.[id];
    if (change === undefined || cancelled.has(id)) continue; // a cancelled occurrence has no changes
    const kept = normaliseChange(item, time, id, change);
    if (kept) overrides.push([id, kept]);
  }
  return {
    rrule: normaliseRrule(r.rrule),
    exdates,
    ...(overrides.length > 0 ? { overrides: Object.fromEntries(overrides) } : {}),
  };
}

export function normaliseItem(item: CalendarItem): CalendarItem {
  const time =
    item.time.kind === 'timed'
      ? {
          ...item.time,
          start: normaliseInstant(item.time.start),
          end: normaliseInstant(item.time.end),
        }
      : item.time;
  const participants = item.participants.map(normaliseParticipant);
  participants.sort((a, b) => participantKey(a).localeCompare(participantKey(b)));
  return {
    subject: item.subject.trim(),
    time,
    location: item.location.trim(),
    description: normaliseText(item.description),
    isPrivate: item.isPrivate,
    showAs: item.showAs,
    reminderMinutes: item.reminderMinutes,
    participants,
    recurrence: normaliseRecurrence(item, time),
    occurrenceOf: item.occurrenceOf,
    isCancelled: item.isCancelled,
  };
}
