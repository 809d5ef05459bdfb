/**
 * Both sandbox servers, one engine between them, and the two views a person would check: the
 * occurrences Outlook lists for a series (the Graph emulator's own expansion) and the occurrences
 * the CRM's series means (expanded here, independently of the product, from the activity as the
 * CRM server answers it).
 */
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { TEST_CRM } from '../../support/crmServer';
import { startGraphServer } from '../../../sandbox/graph';
import { CrmSession } from '../../../src/crm';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';
import { SandboxTokenProvider } from '../../../src/outlook/auth/sandboxTokenProvider';
import { createEngineDeps } from '../../../src/sync/compose';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../../src/sync/core/settings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { dexieStore } from '../../support/store';

export const MAILBOX = 'anna@contoso.example';
export const NOW = '2026-11-22T10:00:00Z';

export interface TwoSides {
  readonly deps: EngineDeps;
  graph<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  crm<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
  close(): Promise<void>;
}

const memoryStore = (): CrmTokenStore => {
  let token: string | null = null;
  return {
    load: async () => token,
    save: async (t) => void (token = t),
    clear: async () => void (token = null),
  };
};

export async function startTwoSides(settings: Partial<SyncSettings> = {}): Promise<TwoSides> {
  const now = Date.parse(NOW);
  const crmServer = await startCrmServer({
    ...TEST_CRM,
    port: 0,
    dbPath: ':memory:',
    now: () => now,
  });
  const graphServer = await startGraphServer({ port: 0, seedDemoData: false, now: () => now });
  const tokens = new SandboxTokenProvider({
    tokenUrl: `${graphServer.url}/sandbox/token`,
    mailbox: () => MAILBOX,
  });
  const graphToken = await tokens.getToken();
  const session = await CrmSession.signIn({
    address: crmServer.url,
    apiKey: DEMO.apiKey,
    username: MAILBOX,
    password: DEMO.password,
    remember: false,
    tokenStore: memoryStore(),
    now: () => now,
  });
  const call = async <T>(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: unknown,
  ): Promise<T> => {
    const res = await fetch(url, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? {} : await res.json()) as T;
  };
  const graph = <T>(method: string, path: string, body?: unknown) =>
    call<T>(
      `${graphServer.url}/v1.0${path}`,
      method,
      { authorization: `Bearer ${graphToken}`, prefer: 'outlook.timezone="UTC"' },
      body,
    );
  const crm = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    call<T>(
      `${crmServer.url}/api/v1${path}`,
      method,
      {
        'x-api-key': DEMO.apiKey,
        authorization: `Bearer ${await session.accessToken()}`,
        ...headers,
      },
      body,
    );
  const calendars = await graph<{ value: { id: string; isDefaultCalendar: boolean }[] }>(
    'GET',
    '/me/calendars',
  );
  const full: SyncSettings = {
    outlookToCrm: { ...DEFAULT_DIRECTION, daysBack: 30, daysAhead: 365 },
    crmToOutlook: { ...DEFAULT_DIRECTION, daysBack: 30, daysAhead: 365 },
    defaultTypeId: 'typ_meeting',
    personalTypeId: 'typ_personal',
    privateMode: 'full',
    busySubject: 'Busy',
    conflictPolicy: 'newest-wins',
    timeZone: 'Europe/Helsinki',
    mailbox: MAILBOX,
    crmUserId: session.userId,
    ...settings,
  };
  const deps = createEngineDeps({
    graphBaseUrl: `${graphServer.url}/v1.0`,
    graphTokens: tokens,
    crmSession: session,
    settings: full,
    calendarId: calendars.value.find((c) => c.isDefaultCalendar)?.id ?? '',
    holderId: 'series-corpus',
    store: dexieStore(`series-${Date.now()}-${Math.random()}@contoso.example`),
    lock: new InProcessRunLock(),
    clock: () => NOW,
  });
  return {
    deps,
    graph,
    crm,
    close: async () => {
      await crmServer.close();
      await graphServer.close();
    },
  };
}

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
  const out: GraphInstance[] = [];
  let path: string | null =
    `/me/events/${encodeURIComponent(seriesId)}/instances?startDateTime=${from}&endDateTime=${to}` +
    `&$top=200`;
  while (path) {
    const page: { value: GraphInstance[]; '@odata.nextLink'?: string } = await sides.graph(
      'GET',
      path,
    );
    out.push(...page.value);
    path = page['@odata.nextLink']?.replace(/^.*\/v1\.0/, '') ?? null;
  }
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
