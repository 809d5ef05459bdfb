/**
 * Issue 15 item 5: the cursors move past the engine's own writes.
 *
 * A run reads each side's changes (gather), then writes. Stored as it was read, a cursor lies
 * before those writes: the next run gets every write back as a change (its echo), and — worse —
 * a Graph delta link older than an event the engine created never knew that event, so when the
 * person deletes the fresh copy the next round need not report it (event-delta.md names events
 * "deleted since the previous delta call"; whether Graph counts one its link never knew is to
 * confirm in a real tenant) and its partner would stay live until a full listing.
 *
 * So after a run that wrote to a side, one more round is read from the cursor the run started
 * from. Every entry in it is either an echo of this run's own write — the link committed after
 * that write carries the very version the entry has, taken from the write's answer — or
 * something else: a person's edit made right after our write, a new item, a deletion. Graph
 * delta and the CRM feed return our own writes as changes too (delta-query-overview.md: a round
 * lists what changed since the previous one, whoever changed it), so the version is what tells
 * them apart. The cursor is stored past the round, and the ids of everything that was not our
 * own go with it (`CursorRow.recheck`): the next run reads them again, exactly as the old cursor
 * would have listed them. A round that fails, or that finds more than MAX_RECHECK such ids,
 * keeps the cursor the run read from — as before this change.
 */
import { SyncError } from '../core/errors';
import type { Link, Operation } from '../core/plan/types';
import type { CursorRow } from '../store/rows';
import type { LinkIds } from '../store/syncStore';
import { itemHash } from '../core/hash';
import { crmView } from '../core/plan/privacy';
import type { EngineDeps } from './context';

/** A bound on the ids carried to the next run; past it the old cursor is kept. */
export const MAX_RECHECK = 200;

const WRITES_OUTLOOK: ReadonlySet<Operation['op']> = new Set<Operation['op']>([
  'createInCrm', // the stamp
  'createInOutlook',
  'link', // the stamp
  'updateOutlook',
  'deleteInOutlook',
]);

const WRITES_CRM: ReadonlySet<Operation['op']> = new Set<Operation['op']>([
  'createInCrm',
  'createInOutlook', // the Outlook link on the activity
  'link',
  'updateCrm',
  'cancelInCrm',
  'removeMeInCrm',
]);

/** The item an Outlook write was about: `o:<event id>`, or `c:<activity id>` for a new copy. */
function writtenKey(op: Operation): string {
  switch (op.op) {
    case 'createInOutlook':
      return `c:${op.crm.id}`;
    case 'createInCrm':
    case 'link':
      return `o:${op.outlook.id}`;
    default:
      return 'link' in op ? `o:${op.link.outlookId}` : '';
  }
}

function wroteTo(wrote: ReadonlySet<string>, link: Link): boolean {
  return wrote.has(`o:${link.outlookId}`) || wrote.has(`c:${link.crmId}`);
}

/** Whether an error ends the round quietly: the old cursor is kept, the run is not failed. */
function roundFailed(error: unknown): boolean {
  return error instanceof SyncError;
}

/**
 * Issue 16: the links a round names, by id — read by those ids when they are few (a push: one
 * event with 5,000 links stored), else all links at once (a first sync's round names them all).
 */
export const LINKS_BY_ID_UP_TO = 500;

async function linksNamed(deps: EngineDeps, ids: LinkIds): Promise<readonly Link[]> {
  const count = (ids.outlookIds?.length ?? 0) + (ids.crmIds?.length ?? 0);
  if (count === 0) return [];
  if (count > LINKS_BY_ID_UP_TO) return deps.store.links('calendar');
  return deps.store.linksByIds('calendar', ids);
}

/** A bound on the series the round reads to tell its exceptions' echoes from edits. */
export const MAX_SERIES_READS = 20;

/**
 * Issue 16: whether a series this run wrote is, as Outlook holds it now, exactly what its link
 * says — the master's version the write answered with, and the content (its exceptions folded in)
 * the link's base holds. Writing a series changes its exceptions' own versions too (the emulator
 * does; ARCHITECTURE "To confirm in a real tenant"), and no link holds those: without this read
 * each such exception would look like a person's edit and the series would be read again at the
 * next run. An exception a person edited in between makes the content differ: rechecked then.
 * Any failure of the read answers "not known to be ours" — the series is rechecked, as before.
 */
async function seriesAsWritten(deps: EngineDeps, link: Link): Promise<boolean> {
  try {
    const now = await deps.outlook.get(link.outlookId);
    if (now === null || now.etag !== link.outlookEtag) return false;
    return itemHash(crmView(now.item, deps.settings)) === itemHash(link.outlookBase);
  } catch {
    return false;
  }
}

async function pastOutlookWrites(
  deps: EngineDeps,
  from: CursorRow,
  wrote: ReadonlySet<string>,
): Promise<CursorRow> {
  let round;
  try {
    round = await deps.outlook.versionsSince(deps.calendarId, from.value);
  } catch (error) {
    if (roundFailed(error)) return from;
    throw error;
  }
  const named = new Set<string>(round.removed);
  for (const v of round.changed) {
    named.add(v.id);
    if (v.seriesId !== null) named.add(v.seriesId);
  }
  const links = await linksNamed(deps, { outlookIds: [...named] });
  const byId = new Map(links.map((l) => [l.outlookId, l]));
  const etags = new Map(links.map((l) => [l.outlookId, l.outlookEtag]));
  const recheck = new Set<string>();
  /** Series of this run's writes named only by exceptions with versions of their own. */
  const ofWrittenSeries = new Set<string>();
  const occurrences: { id: string; seriesId: string }[] = [];
  for (const v of round.changed) {
    if (v.seriesId !== null) occurrences.push({ id: v.id, seriesId: v.seriesId });
    const own = etags.get(v.id);
    if (v.etag !== '' && own === v.etag) continue; // the echo of our own write
    // An occurrence without changes of its own carries its series' version (the emulator does):
    // the series as our write left it.
    if (v.seriesId !== null && v.etag !== '' && etags.get(v.seriesId) === v.etag) continue;
    const series = v.seriesId === null ? undefined : byId.get(v.seriesId);
    if (series && v.etag !== '' && wroteTo(wrote, series)) {
      ofWrittenSeries.add(series.outlookId);
      continue;
    }
    // Anything else is read again at the next run; an occurrence or exception through its series.
    recheck.add(v.seriesId ?? v.id);
  }
  const toRead = [...ofWrittenSeries].filter((id) => !recheck.has(id));
  for (const id of toRead) {
    const link = byId.get(id);
    const ours =
      toRead.length <= MAX_SERIES_READS &&
      link !== undefined &&
      (await seriesAsWritten(deps, link));
    if (!ours) recheck.add(id);
  }
  // The occurrences of a series this run wrote are first seen here: remembered, so that a later
  // @removed occurrence still finds its series (SPEC R1, engine/gather.ts).
  await deps.store.noteOccurrences(occurrences);
  const removedSeries = await deps.store.takeRemovedSeries(round.removed);
  const unnamed = removedSeries.filter((id) => !named.has(id));
  for (const l of await linksNamed(deps, { outlookIds: unnamed })) {
    etags.set(l.outlookId, l.outlookEtag);
  }
  for (const seriesId of removedSeries) {
    if (etags.has(seriesId)) recheck.add(seriesId);
  }
  // A linked event removed: its deletion is confirmed with a read at the next run. Removed ids
  // that are not linked (our own deletions among them) have nothing left to sync.
  for (const id of round.removed) if (etags.has(id)) recheck.add(id);
  if (recheck.size > MAX_RECHECK) return from;
  return { ...from, value: round.deltaLink, recheck: [...recheck] };
}

async function pastCrmWrites(deps: EngineDeps, from: CursorRow): Promise<CursorRow> {
  let feed;
  try {
    feed = await deps.crm.changes(from.value);
  } catch (error) {
    if (roundFailed(error)) return from;
    throw error;
  }
  // An entry without a usable id cannot be carried by id: keep the old cursor.
  if ((feed.unidentified ?? 0) > 0) return from;
  const crmIds = [...new Set([...feed.changed.map((a) => a.id), ...feed.deleted])];
  const links = await linksNamed(deps, { crmIds });
  const etags = new Map(links.map((l) => [l.crmId, l.crmEtag]));
  const mailbox = deps.settings.mailbox.toLowerCase();
  const recheck = new Set<string>(feed.unreadable ?? []);
  for (const activity of feed.changed) {
    const own = etags.get(activity.id);
    if (own !== undefined && own === activity.etag) continue; // the echo of our own write
    // Cancelled and linked nowhere here (our own D1 cancellation dropped its link): nothing
    // left to sync.
    const linkedHere = activity.outlookLinks.some((l) => l.mailbox.toLowerCase() === mailbox);
    if (own === undefined && activity.cancelled && !linkedHere) continue;
    recheck.add(activity.id);
  }
  for (const id of feed.deleted) if (etags.has(id)) recheck.add(id);
  if (recheck.size > MAX_RECHECK) return from;
  return { ...from, value: feed.cursor, recheck: [...recheck] };
}

/**
 * The calendar's cursors to store after its operations were applied: each side's is moved past
 * this run's own writes when the run wrote to that side, else stored as the run read it.
 */
export async function cursorsPastOwnWrites(
  deps: EngineDeps,
  operations: readonly Operation[],
  read: { readonly outlook: CursorRow; readonly crm: CursorRow },
): Promise<{ readonly outlook: CursorRow; readonly crm: CursorRow }> {
  const wroteOutlook = operations.some((op) => WRITES_OUTLOOK.has(op.op));
  const wroteCrm = operations.some((op) => WRITES_CRM.has(op.op));
  if (!wroteOutlook && !wroteCrm) return read;
  const wrote = new Set(
    operations.filter((op) => WRITES_OUTLOOK.has(op.op)).map((op) => writtenKey(op)),
  );
  return {
    outlook: wroteOutlook ? await pastOutlookWrites(deps, read.outlook, wrote) : read.outlook,
    crm: wroteCrm ? await pastCrmWrites(deps, read.crm) : read.crm,
  };
}
