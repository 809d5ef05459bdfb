import { SyncError } from '../sync/core/errors';
import { PageGuard } from '../transport/bounds';
import type {
  ChangesOptions,
  OutlookChanges,
  OutlookEvent,
  OutlookVersions,
  TimeWindow,
} from '../sync/ports';
import { readStamp } from './crmStamp';
import { runBatch } from './graphBatch';
import { listStamps } from './graphCalendarReads';
import { PREFER, type GraphClient } from './graphClient';
import { paths } from './graphPaths';
import {
  deltaPageSchema,
  eventSchema,
  removedSchema,
  stampSchema,
  type DeltaPage,
  type GraphEvent,
} from './graphSchemas';
import { etagOf, eventFromGraph, type FromGraphContext } from './mapping/fromGraph';
import { foldSeries } from './mapping/series';
import { readSeriesParts, seriesWindow } from './series';

/**
 * calendarView/delta (https://learn.microsoft.com/graph/delta-query-events): start and end on
 * the first call, then nextLinks to a deltaLink. Delta returns occurrences and exceptions but
 * never series masters, and supports no $expand: masters and CRM stamps are read afterwards in
 * $batch requests of 20. Nothing is mapped until every page has been read and validated.
 */
/** Events per delta page we ask Graph for. */
export const DELTA_PAGE_SIZE = 100;
/** From this many unknown stamps on, they are listed (listStamps) rather than read one by one. */
export const LIST_STAMPS_FROM = 40;
/**
 * The listing may take one page per this many stamps it replaces (at worst a tenth more than the
 * reads one by one, when the mailbox holds more stamped events than that; then they are read).
 */
const LISTING_PAGES_PER_STAMP = 10;

/** One delta round, every page read and validated: entries by id, last one winning. */
interface Round {
  readonly changed: Map<string, GraphEvent>;
  readonly removed: Set<string>;
  readonly unreadable: Set<string>;
  readonly deltaLink: string;
}

async function readRound(client: GraphClient, first: string): Promise<Round> {
  const changed = new Map<string, GraphEvent>();
  const removed = new Set<string>();
  const unreadable = new Set<string>();
  let next: string | null = first;
  let finalLink: string | null = null;
  // Issue 14: a nextLink cycle or endless nextLinks end the run (cursor kept), not hold it.
  const guard = new PageGuard('Graph', client.maxPages);
  while (next) {
    guard.next(next);
    const { data: page }: { data: DeltaPage } = await client.request({
      method: 'GET',
      path: next,
      // Graph's default delta page is small (10 events): ask for larger pages (Prefer
      // odata.maxpagesize, documented for calendarView delta) so a first sync needs few reads.
      headers: { Prefer: `${PREFER}, odata.maxpagesize=${DELTA_PAGE_SIZE}` },
      schema: deltaPageSchema,
      notFound: 'calendarNotFound',
    });
    for (const raw of page.value) {
      const gone = removedSchema.safeParse(raw);
      const event = gone.success ? null : eventSchema.safeParse(raw);
      if (gone.success) {
        changed.delete(gone.data.id);
        removed.add(gone.data.id);
      } else if (event?.success) {
        removed.delete(event.data.id);
        unreadable.delete(event.data.id);
        changed.set(event.data.id, event.data);
      } else {
        // Set aside by id alone: nothing of its content is kept or logged.
        const id = idOf(raw);
        if (id === null)
          throw new SyncError('invalidResponse', 'Graph sent a delta entry without an id');
        changed.delete(id);
        unreadable.add(id);
      }
    }
    next = page['@odata.nextLink'] ?? null;
    finalLink = page['@odata.deltaLink'] ?? null;
  }
  if (!finalLink) throw new SyncError('invalidResponse', 'Graph delta ended without a deltaLink');
  return { changed, removed, unreadable, deltaLink: finalLink };
}

/**
 * Issue 15 item 5: a round read for versions only (OutlookCalendar.versionsSince) — the pages
 * and nothing else. An entry that cannot be read is reported as changed with no version, so the
 * engine reads it again rather than take it for its own write.
 */
export async function readVersions(
  client: GraphClient,
  deltaLink: string,
): Promise<OutlookVersions> {
  const round = await readRound(client, deltaLink);
  const changed = [...round.changed.values()].map((e) => ({
    id: e.id,
    etag: etagOf(e),
    seriesId: e.seriesMasterId ?? null,
  }));
  for (const id of round.unreadable) changed.push({ id, etag: '', seriesId: null });
  return { changed, removed: [...round.removed], deltaLink: round.deltaLink };
}

export async function readChanges(
  client: GraphClient,
  ctx: FromGraphContext,
  calendarId: string,
  window: TimeWindow,
  deltaLink: string | null,
  options: ChangesOptions = {},
): Promise<OutlookChanges> {
  const round = await readRound(
    client,
    deltaLink ?? paths.delta(calendarId, window.start, window.end),
  );
  const { changed, removed, unreadable } = round;
  const finalLink = round.deltaLink;

  const masterIds = [...changed.values()]
    .map((e) => e.seriesMasterId)
    .filter((id): id is string => !!id && !changed.has(id));
  const masters = await runBatch(
    client,
    [...new Set(masterIds)].map((id) => ({
      method: 'GET' as const,
      url: paths.eventWithStamp(id),
      schema: eventSchema,
    })),
  );
  const stamps = new Map<string, string | null>();
  for (const m of masters) {
    // A master deleted meanwhile: its occurrences will come back as removed next round.
    if (!m.ok && m.error.code === 'itemNotFound') continue;
    if (!m.ok) throw m.error;
    stamps.set(m.data.id, readStamp(m.data));
    changed.set(m.data.id, m.data);
  }
  // Linked events' stamps are known: only the others are read (most of a delta after a sync is
  // the echo of its own writes to linked events).
  for (const [id, crmId] of options.knownStamps ?? []) {
    if (changed.has(id) && !stamps.has(id)) stamps.set(id, crmId);
  }
  // Issue 12, item 7: an occurrence or exception carries its series' stamp — take it from the
  // master (read above, or in this delta) instead of one read per occurrence of a changed series.
  const ofSeries = (id: string) => changed.get(id)?.seriesMasterId ?? null;
  let toStamp = [...changed.keys()].filter((id) => !stamps.has(id) && ofSeries(id) === null);
  // Issue 16: many stamps to learn (a first sync, a relink): one listing of the stamped events,
  // pages of STAMP_PAGE_SIZE, instead of one sub-request per event; an event it does not list has no stamp.
  // Delta itself cannot $expand (delta-query-events.md), hence a second read at all.
  if (toStamp.length >= LIST_STAMPS_FROM) {
    const listed = await listStamps(
      client,
      calendarId,
      Math.ceil(toStamp.length / LISTING_PAGES_PER_STAMP),
    );
    if (listed !== null) {
      for (const id of toStamp) stamps.set(id, listed.get(id) ?? null);
      toStamp = [];
    }
  }
  const read = await runBatch(
    client,
    toStamp.map((id) => ({
      method: 'GET' as const,
      url: paths.stampOnly(id),
      schema: stampSchema,
    })),
  );
  read.forEach((r, i) => {
    const id = toStamp[i] ?? '';
    if (r.ok) stamps.set(id, readStamp(r.data));
    else if (r.error.code === 'itemNotFound') {
      // Deleted between the delta page and the stamp read: report it as removed.
      changed.delete(id);
      removed.add(id);
    } else throw r.error;
  });
  for (const id of changed.keys()) {
    const master = ofSeries(id);
    if (master !== null && !stamps.has(id)) stamps.set(id, stamps.get(master) ?? null);
  }
  const mapped: OutlookEvent[] = [];
  for (const ev of changed.values()) {
    try {
      mapped.push({ ...eventFromGraph(ev, ctx), crmId: stamps.get(ev.id) ?? null });
    } catch (error) {
      // Issue 14: a date, zone or body the mapping cannot read (a RangeError from Temporal, a
      // body nested too deep) sets this event aside, like a shape the schema refuses.
      if (error instanceof SyncError && error.code !== 'invalidResponse') throw error;
      unreadable.add(ev.id);
    }
  }
  // SPEC R1: each series travels with its cancelled occurrences and its exceptions.
  const series = mapped.filter((e) => e.kind === 'seriesMaster' && e.item.recurrence);
  const parts = await readSeriesParts(
    client,
    series.map((e) => ({ id: e.id, window: seriesWindow(e.item, window, null) })),
  );
  const events = mapped.flatMap((e) => {
    const p = parts.get(e.id);
    if (!p) return [e];
    try {
      return [{ ...e, item: foldSeries(e.item, p, ctx) }];
    } catch (error) {
      if (error instanceof SyncError && error.code !== 'invalidResponse') throw error;
      unreadable.add(e.id);
      return [];
    }
  });
  return {
    changed: events,
    removed: [...removed],
    deltaLink: finalLink,
    ...(unreadable.size > 0 ? { unreadable: [...unreadable] } : {}),
  };
}

function idOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const { id } = raw;
  return typeof id === 'string' && id !== '' ? id : null;
}
