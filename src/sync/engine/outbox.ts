/**
 * The outbox (SPEC: a create's intent stored before it is sent, replayed after a crash with the
 * same idempotency key): every kind's intents replayed in one loop, and the create wrapper that
 * stores them.
 */
import { SyncError } from '../core/errors';
import type { OutboxRow } from '../store/rows';
import type { SyncStore } from '../store/syncStore';
import { codeOf, isDeterministic, isLostRace, quarantineNow } from './failures';
import type { ItemKind, RunScope } from './kind';

/**
 * Finishes what a crashed or failed run left in the outbox, every kind's intents in the order they
 * were stored; each fails on its own, and one that keeps failing is set aside with its item
 * (SPEC E4) instead of being retried forever. A lost race is no failure of the item.
 */
export async function replayOutbox(
  kinds: readonly ItemKind<{ readonly op: string }>[],
  scope: RunScope,
): Promise<void> {
  for (const row of await scope.store.takeIntents()) {
    scope.checkDeadline?.();
    const kind = kinds.find((k) => k.ownsIntent(row.operation));
    if (!kind) continue; // a kind not synced now: its intent waits
    try {
      await kind.replayIntent(row);
    } catch (error) {
      if (scope.stopsTheRun(error)) throw error;
      const itemKey = itemKeyOf(kind, row);
      const code = codeOf(error);
      scope.run.failures.push({ itemKey, code });
      if (isDeterministic(error)) {
        // Issue 14: replaying it again could only fail again, first thing in every run.
        await quarantineNow(scope.store, itemKey, code, scope.clock());
        await scope.store.dropIntent(row.key);
      } else if (
        !isLostRace(error) &&
        (await scope.store.noteFailure(itemKey, code, scope.clock()))
      ) {
        await scope.store.dropIntent(row.key);
      }
    }
  }
}

/** The item an intent is about; an intent too damaged to say is its own item. */
function itemKeyOf(kind: ItemKind<{ readonly op: string }>, row: OutboxRow): string {
  try {
    return kind.itemKey(row.operation as { readonly op: string });
  } catch {
    return `outbox:${row.key}`;
  }
}

/**
 * Stores a create's intent before anything is sent, then sends it. Refused outright (nothing was
 * created), no intent is left to finish; any other failure may have come after the create, so
 * the intent stays for the replay.
 */
export async function createThroughOutbox(
  store: SyncStore,
  row: OutboxRow,
  create: () => Promise<void>,
): Promise<void> {
  await store.addIntent(row);
  try {
    await create();
  } catch (error) {
    const refused = error instanceof SyncError && ['invalidData', 'forbidden'].includes(error.kind);
    if (refused) await store.dropIntent(row.key);
    throw error;
  }
}
