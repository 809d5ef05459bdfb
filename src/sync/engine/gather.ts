/**
 * The gather phase: what changed on each side since the stored cursors, made safe to plan on.
 * Two things the planner must not have to guess: a Graph `@removed` is confirmed with a read
 * (an event that only left the window still exists — SPEC W3), and every stamp is resolved (the
 * partner a stamp names is fetched) so that relinking never falls back to creating (SPEC M2).
 */
import { SyncError } from '../core/errors';
import { inWindow, readWindow, windowFor } from '../core/window';
import type { CrmActivity, CrmChanges, OutlookChanges, OutlookEvent } from '../ports';
import type { EngineDeps } from './context';
import type { PairToRepair } from '../core/plan/identity';
import type { Link } from '../core/plan/types';
import { isCrmId } from '../core/plan/matching';
import { UNREADABLE, readOne, readPairsToRepair, recheck } from './gatherReads';

export interface GatherResult {
  readonly outlook: OutlookChanges;
  readonly crm: CrmChanges;
  readonly outlookDeleted: string[];
  /** Tombstones from the feed, and pending items found gone. */
  readonly crmDeleted: string[];
  readonly outlookIsFullListing: boolean;
  readonly crmIsFullListing: boolean;
  readonly extraOutlook: OutlookEvent[];
  readonly extraCrm: CrmActivity[];
  /** The window the Outlook listing covers: stored with its delta link. */
  readonly window: { readonly start: string; readonly end: string };
  /** Issue 14: items listed or read that could not be read, by id: set aside, the rest syncs. */
  readonly outlookUnreadable: readonly string[];
  readonly crmUnreadable: readonly string[];
  /** CRM feed entries without a usable id (CrmChanges.unidentified). */
  readonly crmUnidentified: number;
  /** Issue 15, item 3: stored pairs whose rows could not be read; both their items were read. */
  readonly repairs: readonly PairToRepair[];
  /**
   * The calendar's links as the gather read them — what the plan is made on (issue 16: read once
   * a run, not again for the plan; nothing between the two writes a link).
   */
  readonly links: readonly Link[];
}

function isResync(error: unknown): boolean {
  return error instanceof SyncError && error.kind === 'resyncRequired';
}

/**
 * Remembers which series each occurrence in the delta belongs to, and returns the series whose
 * occurrences Graph reported removed (a cancelled occurrence comes as nothing more).
 */
async function occurrencesToSeries(deps: EngineDeps, outlook: OutlookChanges): Promise<string[]> {
  const seen = outlook.changed.flatMap((e) =>
    e.item.occurrenceOf ? [{ id: e.id, seriesId: e.item.occurrenceOf.seriesId }] : [],
  );
  await deps.store.noteOccurrences(seen);
  return deps.store.takeRemovedSeries(outlook.removed);
}

export async function gather(deps: EngineDeps, full: boolean): Promise<GatherResult> {
  const { store, settings } = deps;
  const now = deps.clock();
  const window = readWindow(
    windowFor(settings.outlookToCrm, now, settings.timeZone),
    windowFor(settings.crmToOutlook, now, settings.timeZone),
  );
  const stored = full ? undefined : await store.cursor('outlookDelta');
  // A delta link belongs to its window: when the day rolls over, read the new window afresh.
  const sameWindow = stored?.window?.start === window.start && stored.window.end === window.end;
  let deltaLink = sameWindow ? (stored?.value ?? null) : null;
  // Read once: nothing below writes links before the plan.
  const { links, repairs } = await store.linksWithRepairs('calendar');
  const knownStamps = new Map(links.map((l) => [l.outlookId, l.crmId]));
  let outlook: OutlookChanges;
  try {
    outlook = await deps.outlook.changes(deps.calendarId, window, deltaLink, { knownStamps });
  } catch (error) {
    if (!isResync(error)) throw error;
    deltaLink = null;
    outlook = await deps.outlook.changes(deps.calendarId, window, null, { knownStamps });
  }
  const storedCrm = full ? undefined : await store.cursor('crmChanges');
  let cursor = storedCrm?.value ?? null;
  let crm: CrmChanges;
  try {
    crm = await deps.crm.changes(cursor);
  } catch (error) {
    if (!isResync(error)) throw error;
    cursor = null;
    crm = await deps.crm.changes(null);
  }

  const linkedOutlook = new Set(links.map((l) => l.outlookId));
  const linkedCrm = new Set(links.map((l) => l.crmId));
  const outlookUnreadable = new Set(outlook.unreadable ?? []);
  const crmUnreadable = new Set(crm.unreadable ?? []);
  const getOutlook = async (id: string) => {
    const got = outlookUnreadable.has(id) ? UNREADABLE : await readOne(() => deps.outlook.get(id));
    if (got === UNREADABLE) outlookUnreadable.add(id);
    return got;
  };
  const getCrm = async (id: string) => {
    const got = crmUnreadable.has(id) ? UNREADABLE : await readOne(() => deps.crm.get(id));
    if (got === UNREADABLE) crmUnreadable.add(id);
    return got;
  };
  const outlookDeleted: string[] = [];
  // Issue 15 item 5: what the last run's round past its own writes found that was not its own
  // (engine/ownWrites.ts) is read now, as the cursor it replaced would have listed it.
  const rechecked = await recheck(
    deltaLink === null ? [] : (stored?.recheck ?? []),
    [...outlook.changed.map((e) => e.id), ...outlook.removed, ...outlookUnreadable],
    getOutlook,
  );
  outlook = { ...outlook, changed: [...outlook.changed, ...rechecked.found] };
  outlookDeleted.push(...rechecked.gone.filter((id) => linkedOutlook.has(id)));
  const crmRechecked = await recheck(
    cursor === null ? [] : (storedCrm?.recheck ?? []),
    [...crm.changed.map((a) => a.id), ...crm.deleted, ...crmUnreadable],
    getCrm,
  );
  crm = {
    ...crm,
    changed: [...crm.changed, ...crmRechecked.found],
    deleted: [...crm.deleted, ...crmRechecked.gone.filter((id) => linkedCrm.has(id))],
  };
  for (const id of outlook.removed) {
    if (linkedOutlook.has(id) && (await getOutlook(id)) === null) outlookDeleted.push(id);
  }
  const seriesToRead = await occurrencesToSeries(deps, outlook);

  const crmIds = new Set(crm.changed.map((a) => a.id));
  const outlookIds = new Set(outlook.changed.map((e) => e.id));
  const extraCrm: CrmActivity[] = [];
  for (const event of outlook.changed) {
    if (event.crmId === null || crmIds.has(event.crmId)) continue;
    // Issue 15, item 4: a stamp that cannot be a CRM id is never asked for (the CRM would refuse
    // it, 400): the plan sets the one event aside (stampNotValid).
    if (!isCrmId(event.crmId)) continue;
    // A linked activity's stamp on an unlinked event: maybe the linked event re-made under a new
    // id (core/plan/identity.ts) — the activity is read so that the plan can relink it.
    const occurrence = event.kind === 'occurrence' || event.kind === 'exception';
    if (linkedCrm.has(event.crmId) && (linkedOutlook.has(event.id) || occurrence)) continue;
    const partner = await getCrm(event.crmId);
    if (partner === UNREADABLE) continue;
    if (partner) {
      extraCrm.push(partner);
      crmIds.add(partner.id);
    }
    // Not found: deleted, or never this CRM user's (issue 14, item 4: a mailbox paired before
    // with another user carries that user's stamps). With no link here it is not known to be a
    // deletion — only a tombstone in the feed says so — and the plan sets the item aside.
  }
  const extraOutlook: OutlookEvent[] = [];
  // SPEC R1: a series one of whose occurrences was cancelled is read again, whole.
  for (const seriesId of seriesToRead) {
    if (outlookIds.has(seriesId) || !linkedOutlook.has(seriesId)) continue;
    const series = await getOutlook(seriesId);
    if (series && series !== UNREADABLE) {
      extraOutlook.push(series);
      outlookIds.add(seriesId);
    }
  }
  for (const activity of crm.changed) {
    const mine = activity.outlookLinks.find((l) => l.mailbox.toLowerCase() === settings.mailbox);
    if (!mine || outlookIds.has(mine.eventId)) continue;
    // A linked event named by an unlinked activity: maybe the linked activity replaced by a new
    // record carrying the same link (core/plan/identity.ts) — the event is read to relink it.
    const claim = !linkedCrm.has(activity.id) && !activity.cancelled;
    if (linkedOutlook.has(mine.eventId) && !claim) continue;
    const partner = await getOutlook(mine.eventId);
    if (partner === UNREADABLE) continue;
    if (partner) {
      extraOutlook.push(partner);
      outlookIds.add(partner.id);
    } else if (!outlookDeleted.includes(mine.eventId)) {
      outlookDeleted.push(mine.eventId); // a 404 in this mailbox: confirmed gone
    }
  }
  const crmDeleted = [...crm.deleted];
  await readPairsToRepair(repairs, {
    events: new Map([...outlook.changed, ...extraOutlook].map((e) => [e.id, e])),
    activities: new Map([...crm.changed, ...extraCrm].map((a) => [a.id, a])),
    getOutlook,
    getCrm,
    found: (item) => {
      if ('crm' in item) {
        extraCrm.push(item);
        crmIds.add(item.id);
      } else {
        extraOutlook.push(item);
        outlookIds.add(item.id);
      }
    },
    outlookDeleted,
    crmDeleted,
    drop: (outlookId) => store.dropLink('calendar', outlookId),
  });
  // After a full listing (first run, expired delta link or cursor) deletions come as absences:
  // a linked item in the window that the listing lacks is asked for, and only a 404 is a delete.
  // An item listed but unreadable is no absence: it exists, it is only set aside.
  if (deltaLink === null) {
    const listed = new Set([...outlook.changed.map((e) => e.id), ...outlookUnreadable]);
    for (const link of links) {
      if (listed.has(link.outlookId) || outlookDeleted.includes(link.outlookId)) continue;
      if (!inWindow(link.outlookBase, window, settings.timeZone)) continue;
      if ((await getOutlook(link.outlookId)) === null) outlookDeleted.push(link.outlookId);
    }
  }
  if (cursor === null) {
    const listed = new Set([...crm.changed.map((a) => a.id), ...crm.deleted, ...crmUnreadable]);
    for (const link of links) {
      if (listed.has(link.crmId)) continue;
      if ((await getCrm(link.crmId)) === null) crmDeleted.push(link.crmId);
    }
  }
  // Items whose last write failed are read again: their change is behind the cursors now.
  for (const row of await store.pending('calendar')) {
    if (row.outlookId && !outlookIds.has(row.outlookId)) {
      const event = await getOutlook(row.outlookId);
      if (event === UNREADABLE) {
        // Set aside below; its pending row waits for a readable version.
      } else if (event) extraOutlook.push(event);
      // Gone while its operation was pending: the deletion itself is what is still to sync.
      else if (linkedOutlook.has(row.outlookId) && !outlookDeleted.includes(row.outlookId)) {
        outlookDeleted.push(row.outlookId);
      }
      outlookIds.add(row.outlookId);
    }
    if (row.crmId && !crmIds.has(row.crmId)) {
      const activity = await getCrm(row.crmId);
      if (activity === UNREADABLE) {
        // Set aside below, like an unreadable feed entry.
      } else if (activity) extraCrm.push(activity);
      else crmDeleted.push(row.crmId); // ours to finish: its partner may be unlinked still
      crmIds.add(row.crmId);
    }
  }
  return {
    outlook: { ...outlook },
    crm,
    outlookDeleted,
    crmDeleted,
    outlookIsFullListing: deltaLink === null,
    crmIsFullListing: cursor === null,
    extraOutlook,
    extraCrm,
    window,
    outlookUnreadable: [...outlookUnreadable],
    crmUnreadable: [...crmUnreadable],
    crmUnidentified: crm.unidentified ?? 0,
    repairs,
    links,
  };
}
