/**
 * Group commit (as databases do for their logs): writes that arrive while one transaction is under
 * way wait for it and then go together in the next one, so a burst of small writes — a `$batch`'s
 * twenty creates storing their intents, then their links — costs a few transactions instead of
 * one each. Nothing waits on a timer: a write that comes alone is committed at once (after the
 * current turn, so the writes issued in the same turn share its transaction).
 *
 * Each write's promise settles when its own transaction has: resolved once it is committed, never
 * before. When a shared transaction fails, its writes are committed again one by one, so one bad
 * write fails alone and the others land (the store port's promise for a single write, kept).
 */
import type { LinkKind, LinkOf } from './syncStore';

/** A link written, with the intent it finishes (a create's) when there is one. */
export interface LinkWrite {
  readonly kind: LinkKind;
  readonly link: LinkOf<LinkKind>;
  readonly intent?: string;
}

export function groupCommit<T>(
  commit: (items: readonly T[]) => Promise<void>,
): (item: T) => Promise<void> {
  interface Waiting {
    readonly item: T;
    readonly resolve: () => void;
    readonly reject: (error: unknown) => void;
  }
  let queue: Waiting[] = [];
  let draining = false;

  const settle = async (batch: readonly Waiting[]): Promise<void> => {
    try {
      await commit(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
    }
    for (const w of batch) {
      try {
        await commit([w.item]);
        w.resolve();
      } catch (error) {
        w.reject(error);
      }
    }
  };

  const drain = async (): Promise<void> => {
    // Ends when a transaction finds nothing new waiting: each pass commits what came meanwhile.
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await settle(batch);
    }
    draining = false;
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (draining) return;
      draining = true;
      queueMicrotask(() => void drain());
    });
}
