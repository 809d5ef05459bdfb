/**
 * One sync run: lock → lease → replay the outbox → gather → plan → apply → record (DESIGN.md).
 * One failing item does not stop the run (it is counted, and set aside after three runs — SPEC
 * E4); a failure of the whole side (sign-in, throttling, offline) ends the run for a later retry.
 */
import { Temporal } from 'temporal-polyfill';
import { SyncError } from '../core/errors';
import type { CalendarItem, Instant, PlainDate } from '../core/model';
import { normaliseItem } from '../core/normalise';
import { crmView } from '../core/plan/privacy';
import type { SyncSettings } from '../core/settings';
import type { Brake, Link, Operation } from '../core/plan/types';
import { noteFailure, noteSuccess, recordSkipped, recordSync } from '../store/records';
import type { PendingRow, RunRow } from '../store/schema';
import { applyCreate, applyOperation } from './apply';
import type { EngineDeps } from './context';
import { gather } from './gather';
import { planGathered } from './planStep';
import { syncContacts } from './contacts/run';
import { applyRestores } from './restore';

export type RunOutcome =
  | { readonly state: 'done'; readonly counts: RunRow['counts']; readonly failures: number }
  | { readonly state: 'braked'; readonly brake: Brake }
  | { readonly state: 'busy' } // another run (this client or another) holds the lock or lease
  | { readonly state: 'failed'; readonly error: SyncError };

export interface RunOptions {
  /** SPEC S3 "Full sync now": read everything again and relink. */
  readonly full?: boolean;
  /** SPEC D3: the person confirmed the deletions a braked run asked about. */
  readonly massDeleteConfirmed?: boolean;
  readonly typeChoices?: Readonly<Record<string, string>>;
  /**
   * SPEC S3 "sync again from date …": with `full`, this run's history windows start on this day
   * (in the person's zone) when that is earlier than the settings' own; later runs use the
   * settings again, and leaving the window is no deletion (W3).
   */
  readonly from?: PlainDate;
}

/** SPEC S4: how far a run is, for the pane's progress bar. */
export type RunProgress =
  | { readonly phase: 'reading' }
  | { readonly phase: 'writing'; readonly done: number; readonly total: number };

export type ProgressListener = (progress: RunProgress) => void;

/** The settings with both history windows reaching back to `from` (never narrower). */
export function settingsFrom(settings: SyncSettings, from: PlainDate, now: Instant): SyncSettings {
  const today = Temporal.Instant.from(now).toZonedDateTimeISO(settings.timeZone).toPlainDate();
  const days = Temporal.PlainDate.from(from).until(today, { largestUnit: 'days' }).days;
  const widen = (direction: SyncSettings['outlookToCrm']) => ({
    ...direction,
    daysBack: Math.max(direction.daysBack, days),
  });
  return {
    ...settings,
    outlookToCrm: widen(settings.outlookToCrm),
    crmToOutlook: widen(settings.crmToOutlook),
  };
}

/** Errors that are about the whole side, not one item: stop the run. */
export function stopsTheRun(error: unknown): boolean {
  return (
    !(error instanceof SyncError) || ['auth', 'throttled', 'offline', 'server'].includes(error.kind)
  );
}

function pendingOf(op: Operation): PendingRow {
  switch (op.op) {
    case 'createInCrm':
      return { itemKey: itemKeyOf(op), outlookId: op.outlook.id };
    case 'createInOutlook':
      return { itemKey: itemKeyOf(op), crmId: op.crm.id };
    case 'link':
      return { itemKey: itemKeyOf(op), outlookId: op.outlook.id, crmId: op.crm.id };
    default:
      return { itemKey: itemKeyOf(op), outlookId: op.link.outlookId, crmId: op.link.crmId };
  }
}

function itemKeyOf(op: Operation): string {
  switch (op.op) {
    case 'createInCrm':
    case 'link':
      return `o:${op.outlook.id}`;
    case 'createInOutlook':
      return `c:${op.crm.id}`;
    default:
      return `o:${op.link.outlookId}`;
  }
}

/**
 * Whether the item an outbox intent would copy is gone or already carries a stamp, and for a
 * stamped one the link to keep: its bases are what the intent copied, so an edit made on either
 * side since the copy is still an edit at the next run. (Relinking from the stamp without that
 * history could compare only the fields both sides hold exactly, and a changed occurrence of a
 * series would be taken as each side's own spelling — lost.)
 */
async function alreadyDone(
  deps: EngineDeps,
  op: Operation & { op: 'createInCrm' | 'createInOutlook' },
): Promise<{ readonly done: boolean; readonly link?: Link }> {
  const view = (item: CalendarItem) => normaliseItem(crmView(item, deps.settings));
  if (op.op === 'createInCrm') {
    const source = await deps.outlook.get(op.outlook.id);
    if (source === null) return { done: true };
    if (source.crmId === null) return { done: false };
    return {
      done: true,
      link: {
        outlookId: source.id,
        crmId: source.crmId,
        outlookBase: view(op.outlook.item),
        crmBase: normaliseItem(op.input.item),
        outlookEtag: '',
        crmEtag: '',
        crmTypeId: op.input.typeId,
        isOwner: true,
      },
    };
  }
  const source = await deps.crm.get(op.crm.id);
  const mailbox = deps.settings.mailbox;
  if (source === null) return { done: true };
  const mine = source.outlookLinks.find((l) => l.mailbox.toLowerCase() === mailbox);
  if (!mine) return { done: false };
  return {
    done: true,
    link: {
      outlookId: mine.eventId,
      crmId: source.id,
      outlookBase: view(op.item),
      crmBase: normaliseItem(op.crm.item),
      outlookEtag: '',
      crmEtag: '',
      crmTypeId: source.crm.typeId,
      isOwner: source.crm.ownerId === deps.settings.crmUserId,
    },
  };
}

/** Finishes what a crashed or failed run left in the outbox; each intent fails on its own. */
async function replayOutbox(deps: EngineDeps, run: RunRow): Promise<void> {
  for (const row of await deps.db.outbox.orderBy('createdAt').toArray()) {
    const op = row.operation;
    if (op.op !== 'createInCrm' && op.op !== 'createInOutlook') continue;
    await deps.db.outbox.update(row.key, { attempts: row.attempts + 1 });
    try {
      const done = await alreadyDone(deps, op);
      if (done.done) {
        // Stamped meanwhile (by this client before the crash, or by another): sending the
        // create again could only make a copy. Linked here unless a link exists already.
        const { link } = done;
        await deps.db.transaction('rw', deps.db.links, deps.db.outbox, async () => {
          const linked =
            link &&
            ((await deps.db.links.get(link.outlookId)) ??
              (await deps.db.links.where('crmId').equals(link.crmId).first()));
          if (link && !linked) await deps.db.links.put(link);
          await deps.db.outbox.delete(row.key);
        });
        continue;
      }
      await applyCreate(deps, op);
    } catch (error) {
      if (stopsTheRun(error)) throw error;
      const code = (error as SyncError).code;
      run.failures.push({ itemKey: itemKeyOf(op), code });
      // An intent that keeps failing is set aside with its item (SPEC E4), not retried forever.
      if (await noteFailure(deps.db, itemKeyOf(op), code, deps.clock())) {
        await deps.db.outbox.delete(row.key);
      }
    }
  }
}

/** SPEC K1: the CRM contact people taking part in the activities of this run that are synced. */
async function activityContactIds(
  deps: EngineDeps,
  activities: readonly { readonly id: string; readonly item: CalendarItem }[],
): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const activity of activities) {
    if (!(await deps.db.links.where('crmId').equals(activity.id).first())) continue;
    for (const p of activity.item.participants) {
      if (p.kind === 'contact' && p.crmId) ids.add(p.crmId);
    }
  }
  return ids;
}

/** Raised inside a run when the CRM lease is another client's: the run ends as 'busy'. */
export class LeaseHeld extends Error {
  override readonly name = 'LeaseHeld';
}

/**
 * The CRM lease, taken only when the run is about to write: reading needs no lease, and an idle
 * run then costs one request per side (issue 4's target) instead of three on the CRM.
 *
 * Issue 11: while the run holds it, the lease is renewed every third of its TTL (the same
 * compare-and-set PUT with the same holder id), so a run longer than the TTL never loses it to
 * another client mid-write. A renewal the CRM refuses means another holder took it: the next
 * write point ends the run as 'busy'. Renewal stops with the run; the lease is given back only by
 * its holder (DELETE with this holder id, which the CRM refuses for anyone else).
 */
export function lazyLease(deps: Pick<EngineDeps, 'crm' | 'holderId' | 'leaseSeconds'>): {
  ensure(): Promise<void>;
  release(): Promise<void>;
} {
  const ttlSeconds = deps.leaseSeconds ?? 120;
  let held = false;
  let lost = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const renew = async () => {
    try {
      if ((await deps.crm.acquireLease(deps.holderId, ttlSeconds)) === null) lost = true;
    } catch {
      // A failed renewal is retried at the next tick; the TTL leaves two more before it lapses.
    }
  };
  return {
    async ensure() {
      if (lost) throw new LeaseHeld();
      if (held) return;
      const lease = await deps.crm.acquireLease(deps.holderId, ttlSeconds);
      if (lease === null) throw new LeaseHeld();
      held = true;
      timer = setInterval(() => void renew(), Math.max(1, ttlSeconds / 3) * 1000);
    },
    async release() {
      if (timer !== undefined) clearInterval(timer);
      if (held && !lost) await deps.crm.releaseLease(deps.holderId).catch(() => undefined);
    },
  };
}

async function syncOnce(
  baseDeps: EngineDeps,
  options: RunOptions,
  lease: { ensure(): Promise<void> },
  onProgress: ProgressListener,
): Promise<RunOutcome> {
  const { db } = baseDeps;
  const run: RunRow = { startedAt: baseDeps.clock(), state: 'running', counts: {}, failures: [] };
  const deps: EngineDeps =
    options.from === undefined
      ? baseDeps
      : { ...baseDeps, settings: settingsFrom(baseDeps.settings, options.from, run.startedAt) };
  run.id = await db.runs.add(run);
  onProgress({ phase: 'reading' });
  try {
    const restores = await db.trash.filter((row) => row.restore?.state === 'requested').count();
    if ((await db.outbox.count()) > 0 || restores > 0) await lease.ensure();
    await replayOutbox(deps, run);
    if (restores > 0) run.failures.push(...(await applyRestores(deps, stopsTheRun)));
    const gathered = await gather(deps, options.full === true);
    const { result, lookup, links } = await planGathered(deps, gathered, options, run.startedAt);
    const linkOfCrm = new Map(links.map((l) => [l.crmId, l.outlookId]));
    for (const ex of result.excluded) {
      const linked = ex.side === 'crm' ? linkOfCrm.get(ex.id) : undefined;
      const itemKey = ex.side === 'outlook' ? `o:${ex.id}` : linked ? `o:${linked}` : `c:${ex.id}`;
      await recordSkipped(db, {
        itemKey,
        at: run.startedAt,
        code: ex.reason,
        ...(ex.detail ? { detail: ex.detail } : {}),
      });
    }
    if (result.operations.some((op) => op.op !== 'rebase')) await lease.ensure();
    // Once one write of a pair fails, its other writes wait for the next run: applying them
    // would move the link's bases past a change the other side never received.
    const failedItems = new Set<string>();
    const total = result.operations.length;
    let done = 0;
    for (const op of result.operations) {
      onProgress({ phase: 'writing', done, total });
      done += 1;
      const itemKey = itemKeyOf(op);
      if (failedItems.has(itemKey)) continue;
      try {
        await applyOperation(deps, op, lookup);
        run.counts[op.op] = (run.counts[op.op] ?? 0) + 1;
        if (op.op !== 'rebase' && op.op !== 'trash') {
          await recordSync(db, { itemKey, at: deps.clock(), op: op.op, outcome: 'ok' });
        }
        await noteSuccess(db, itemKey);
        await db.pending.delete(itemKey);
      } catch (error) {
        if (stopsTheRun(error)) throw error;
        const code = (error as SyncError).code;
        run.failures.push({ itemKey, code });
        failedItems.add(itemKey);
        await db.pending.put(pendingOf(op));
        await recordSync(db, { itemKey, at: deps.clock(), op: op.op, outcome: 'failed', code });
        // A lost race is no failure of the item: the next run merges what won.
        if ((error as SyncError).kind !== 'conflict')
          await noteFailure(db, itemKey, code, deps.clock());
      }
    }
    if (result.brake) {
      run.state = 'braked';
      run.brake = result.brake.kind;
      return { state: 'braked', brake: result.brake };
    }
    // Cursors move only after everything they cover was applied: a crash re-reads, harmlessly.
    await db.cursors.put({ name: 'crmChanges', value: gathered.crm.cursor });
    await db.cursors.put({
      name: 'outlookDelta',
      value: gathered.outlook.deltaLink,
      window: gathered.window,
    });
    // The run's settings (the Preferences as saved now) win over those the adapters were wired with.
    const contactDeps =
      deps.contacts && deps.settings.contacts
        ? { ...deps.contacts, settings: deps.settings.contacts }
        : deps.contacts;
    if (contactDeps) {
      // SPEC K1, K2: contacts, the second item kind, under the same lock and lease.
      const contacts = await syncContacts(deps, contactDeps, run, {
        full: options.full === true,
        massDeleteConfirmed: options.massDeleteConfirmed === true,
        activityContactIds: contactDeps.settings.addActivityContacts
          ? await activityContactIds(deps, [...lookup.crm.values()])
          : new Set(),
        ensureLease: () => lease.ensure(),
        stopsTheRun,
      });
      if (contacts.brake) {
        run.state = 'braked';
        run.brake = contacts.brake.kind;
        return { state: 'braked', brake: contacts.brake };
      }
    }
    run.state = 'done';
    return { state: 'done', counts: run.counts, failures: run.failures.length };
  } catch (error) {
    if (error instanceof LeaseHeld) {
      run.state = 'done';
      return { state: 'busy' };
    }
    run.state = 'failed';
    const failure =
      error instanceof SyncError
        ? error
        : new SyncError('serverError', 'Unexpected failure', { cause: error });
    run.failures.push({ itemKey: '*', code: failure.code });
    return { state: 'failed', error: failure };
  } finally {
    run.finishedAt = deps.clock();
    await db.runs.put(run);
  }
}

/**
 * Runs one sync if no other run of this mailbox is under way here or on another client.
 * `onProgress` hears how far it is (SPEC S4): reading, then each write of the plan.
 */
export async function runSync(
  deps: EngineDeps,
  options: RunOptions = {},
  onProgress: ProgressListener = () => undefined,
): Promise<RunOutcome> {
  const outcome = await deps.lock.ifAvailable(`crm-sync:${deps.settings.mailbox}`, async () => {
    const lease = lazyLease(deps);
    try {
      return await syncOnce(deps, options, lease, onProgress);
    } finally {
      await lease.release();
    }
  });
  return outcome ?? { state: 'busy' };
}
