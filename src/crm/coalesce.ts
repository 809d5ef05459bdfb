/**
 * Issue 16: single calls made side by side go out as one bulk call. The engine applies a group of
 * operations at a time, and the callers of a group reach the CRM together (their Graph writes
 * answer in one `$batch`): what they ask for before the next timer turn is sent at once through
 * `many` (manyAtOnce: the bulk operation when the CRM announces it, the single calls otherwise).
 * Each caller gets its own answer or its own error, as the single call would give it.
 */
import { SyncError } from '../sync/core/errors';
import type { ItemOutcome } from '../sync/itemPorts';

interface Waiting<E, T> {
  readonly entry: E;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

export class Coalescer<E, T> {
  private pending: Waiting<E, T>[] = [];
  private scheduled = false;

  constructor(private readonly many: (entries: readonly E[]) => Promise<ItemOutcome<T>[]>) {}

  call(entry: E): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // A timer turn, not a microtask: a caller's way here may take several awaits.
      setTimeout(() => void this.flush(), 0);
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    let outcomes: readonly ItemOutcome<T>[];
    try {
      outcomes = await this.many(batch.map((w) => w.entry));
    } catch (error) {
      // manyAtOnce never throws; whatever `many` is, no caller is left waiting.
      return batch.forEach((w) => w.reject(error));
    }
    batch.forEach((w, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) w.reject(new SyncError('invalidResponse', 'no outcome'));
      else if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    });
  }
}
