/**
 * A run as Status lists it (SPEC E2) — in the pane over its own store, and in the sync service's
 * API over the service's: its changes (rebases are no change the person made), and each failure
 * with the item's subject and whether it is still unresolved.
 */
import type { RunRow } from '../sync/store/rows';

export function runViewOf(
  run: RunRow,
  subject: (itemKey: string) => string | null,
  unresolved: (itemKey: string) => boolean,
) {
  return {
    id: run.id ?? 0,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? null,
    state: run.state,
    changes: Object.entries(run.counts)
      .filter(([op]) => op !== 'rebase')
      .reduce((sum, [, n]) => sum + (n ?? 0), 0),
    failures: run.failures.map((f) => ({
      itemKey: f.itemKey,
      code: f.code,
      subject: subject(f.itemKey),
      unresolved: unresolved(f.itemKey),
    })),
    brake: run.brake ?? null,
  };
}
