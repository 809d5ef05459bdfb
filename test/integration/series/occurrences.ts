/**
 * The two views a person would check of a series synced by the engine over both sandbox servers
 * (test/support/twoSides.ts): the occurrences Outlook lists for it (the Graph emulator's own
 * expansion) and the occurrences the CRM's series means (expanded here, independently of the
 * product, from the activity as the CRM server answers it).
 */
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import type { TwoSides } from '../../support/twoSides';

/** One occurrence as a person reads it: when (UTC, or dates for all-day) and what. */
export type Occurrence = string;

const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16);

interface GraphInstance {
  id: string;
  subject: string;
  isAllDay: boolean;
  start: { dateTime: string };
  end: { dateTime: string };
  originalStart?: string;
  type: string;
  attendees?: { emailAddress: { address: string } }[];
}

/** The series' instances in Outlook whose start is in [from, to), in order. */
export async function outlookInstances(
  sides: TwoSides,
  seriesId: string,
  from: string,
  to: string,
): Promise<GraphInstance[]> {
  const out = await sides.graphAll<GraphInstance>(
    `/me/events/${encodeURIComponent(seriesId)}/instances?startDateTime=${from}&endDateTime=${to}` +
      `&$top=200`,
  );
  const [f, t] = [Date.parse(from), Date.parse(to)];
  return out
    .filter((i) => {
      const s = Date.parse(`${i.start.dateTime.slice(0, 19)}Z`);
      return s >= f && s < t;
    })
    .sort((a, b) => a.start.dateTime.localeCompare(b.start.dateTime));
}

export function describeOutlook(i: GraphInstance): Occurrence {
  if (i.isAllDay)
    return `${i.start.dateTime.slice(0, 10)}..${i.end.dateTime.slice(0, 10)} ${i.subject}`;
  const ms = (v: string) => Date.parse(`${v.slice(0, 19)}Z`);
  return `${minute(ms(i.start.dateTime))}..${minute(ms(i.end.dateTime))} ${i.subject}`;
}

export interface ApiActivity {
  id: string;
  etag: string;
  subject: string;
  allDay: boolean;
  start: string;
  end: string;
  timeZone: string;
  participants: { kind: string; email?: string | null }[];
  recurrence: {
    rrule: string;
    exdates: string[];
    overrides: Record<
      string,
      { cancelled?: boolean; subject?: string; start?: string; end?: string }
    >;
  } | null;
}

/**
 * The oracle reads UNTIL as RFC 5545 §3.3.10 says (issue 12, item 8): a series with a zoned
 * DTSTART MUST have a UTC date-time UNTIL, a DATE series a DATE one — anything else is refused
 * here, so a test cannot pass on a rule a strict reader would cut short. The expansion runs on
 * wall time (DTSTART as pseudo-UTC), so a UTC UNTIL is moved to the zone's wall time first.
 */
export function strictUntil(rrule: string, allDay: boolean, zone: string): string {
  const m = /UNTIL=(\d{8})(T\d{6}Z?)?/.exec(rrule);
  if (!m) return rrule;
  const [whole, date, time] = m;
  if (allDay) {
    if (time) throw new Error(`RFC 5545: an all-day series has a DATE UNTIL, not ${whole}`);
    return rrule;
  }
  if (!time?.endsWith('Z')) {
    throw new Error(`RFC 5545 §3.3.10: a zoned series' UNTIL must be UTC, not ${whole}`);
  }
  const iso = `${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6)}T${time.slice(1, 3)}:${time.slice(3, 5)}:${time.slice(5, 7)}Z`;
  const wall = Temporal.Instant.from(iso).toZonedDateTimeISO(zone).toPlainDateTime();
  const pseudo = wall.toString({ smallestUnit: 'second' }).replace(/[-:]/g, '');
  return rrule.replace(whole, `UNTIL=${pseudo}Z`);
}

/** A CRM occurrence: its recurrence id (local original start, or date) and what it shows. */
export interface CrmOccurrence {
  readonly id: string;
  readonly start: number | string;
  readonly text: Occurrence;
}

/**
 * The CRM series' occurrences whose start is in [from, to): the RRULE expanded on wall time in
 * the activity's zone (a wall time a DST gap skips is moved forward, RFC 5545 §3.3.5), each
 * lasting the series' wall-clock length, minus EXDATEs and cancelled overrides, with overrides
 * applied.
 */
export function crmOccurrences(a: ApiActivity, from: string, to: string): CrmOccurrence[] {
  if (!a.recurrence) return [];
  const zone = a.timeZone;
  const [f, t] = [Date.parse(from), Date.parse(to)];
  const firstLocal = a.allDay
    ? Temporal.PlainDate.from(a.start).toPlainDateTime('00:00')
    : Temporal.Instant.from(a.start).toZonedDateTimeISO(zone).toPlainDateTime();
  const length = a.allDay
    ? Temporal.PlainDate.from(a.start).until(Temporal.PlainDate.from(a.end))
    : firstLocal.until(Temporal.Instant.from(a.end).toZonedDateTimeISO(zone).toPlainDateTime());
  const rule = new RRuleTemporal({
    rruleString: strictUntil(a.recurrence.rrule, a.allDay, zone),
    dtstart: firstLocal.toZonedDateTime('UTC'),
  });
  const locals = rule
    .between(new Date(f - 3 * 86_400_000), new Date(t + 3 * 86_400_000), true)
    .map((z) => z.toPlainDateTime());
  const exdates = new Set(a.recurrence.exdates);
  const out: CrmOccurrence[] = [];
  for (const local of locals) {
    const id = a.allDay
      ? local.toPlainDate().toString()
      : local.toString({ smallestUnit: 'second' });
    const o = a.recurrence.overrides[id];
    if (exdates.has(id) || o?.cancelled) continue;
    const subject = o?.subject ?? a.subject;
    if (a.allDay) {
      const start = Temporal.PlainDate.from((o?.start ?? id).slice(0, 10));
      const end = o?.end ? Temporal.PlainDate.from(o.end.slice(0, 10)) : start.add(length);
      const startMs = start.toZonedDateTime(zone).epochMilliseconds;
      if (startMs < f || startMs >= t) continue;
      out.push({ id, start: start.toString(), text: `${start}..${end} ${subject}` });
      continue;
    }
    const startMs = o?.start
      ? Date.parse(o.start)
      : local.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
    const endMs = o?.end
      ? Date.parse(o.end)
      : o?.start
        ? startMs +
          (local.add(length).toZonedDateTime(zone).epochMilliseconds -
            local.toZonedDateTime(zone).epochMilliseconds)
        : local.add(length).toZonedDateTime(zone, { disambiguation: 'compatible' })
            .epochMilliseconds;
    if (startMs < f || startMs >= t) continue;
    out.push({ id, start: startMs, text: `${minute(startMs)}..${minute(endMs)} ${subject}` });
  }
  return out.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
}
