/**
 * Telling a store whose storage failed from any other error (issue 14, item 5), for the run to
 * rebuild it (SyncStore.rebuild). No storage library here: names only.
 */

/** The names storage failures go by (IndexedDB DOMExceptions and Dexie's own wrappers). */
const BROKEN_STORE = new Set([
  'QuotaExceededError',
  'VersionError',
  'DataError',
  'UnknownError',
  'InvalidStateError',
  'DatabaseClosedError',
  'OpenFailedError',
  'UpgradeError',
]);

/**
 * Issue 14, item 5: whether an error is the store's storage failing — quota, corruption, or a
 * database a newer build left at a higher version — rather than anything about the items.
 */
export function isBrokenStore(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth += 1) {
    if (BROKEN_STORE.has(e.name)) return true;
    const next: unknown = (e as { inner?: unknown }).inner ?? e.cause;
    e = next;
  }
  return false;
}
