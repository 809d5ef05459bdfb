/**
 * Issue 17 (the kill property): writes whose cursors were never stored.
 *
 * A run stores each side's cursor only after it has written (engine/ownWrites.ts moves it past
 * the run's own writes and carries what was not its own in `recheck`). A run that stops between
 * its first write and that moment — the process killed, the pane closed, the side failing
 * mid-plan — leaves cursors older than what it wrote: an event it created and the person deleted
 * before the next run may never be listed by the old delta link (Graph lists what changed since
 * the link; whether it reports one the link never knew is to confirm in a real tenant), and its
 * CRM partner would stay live. So a run marks the store before its first write and clears the
 * mark once every kind's cursors are stored; a run that finds the mark lists both sides in full,
 * which reads every linked item's state — as after any gap, a complete listing is the truth.
 */
import type { SyncStore } from '../store/syncStore';
import type { Instant } from '../core/model';

const MARK = 'writesUnconfirmed';

/** Whether the last run that wrote stopped before storing its cursors. */
export async function writesWereCut(store: SyncStore): Promise<boolean> {
  return (await store.cursor(MARK)) !== undefined;
}

/** Before a run's first write (an outbox replay, a restore, a plan's operations). */
export async function markWriting(store: SyncStore, startedAt: Instant): Promise<void> {
  await store.putCursor({ name: MARK, value: startedAt });
}

/** Once every kind of the run has stored its cursors (or held its whole plan). */
export async function writesConfirmed(store: SyncStore): Promise<void> {
  await store.dropCursor(MARK);
}
