/**
 * Telling a store whose storage failed from any other error (issue 14, item 5), for the run to
 * rebuild it (SyncStore.rebuild). No storage library here: names and codes only — IndexedDB's and
 * Dexie's for the pane's store, SQLite's for the service's (store/sqlite/, issue 17).
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
 * SQLite result codes (better-sqlite3's `SqliteError.code`, https://www.sqlite.org/rescode.html)
 * that mean the file failed: damaged (CORRUPT*, NOTADB), full (FULL), unreadable or gone (IOERR*,
 * CANTOPEN*, READONLY_DBMOVED). Not BUSY or LOCKED (another process holds the file: wait, retry)
 * nor CONSTRAINT (a row's fault): those are ordinary errors. The store's own VersionError and
 * DataError (a newer schema, a row it cannot read) go by the names above.
 */
const BROKEN_SQLITE = /^SQLITE_(CORRUPT|NOTADB|FULL|IOERR|CANTOPEN|READONLY_DBMOVED)(_|$)/;

/**
 * Issue 14, item 5: whether an error is the store's storage failing — quota, corruption, or a
 * database a newer build left at a higher version — rather than anything about the items.
 */
export function isBrokenStore(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth += 1) {
    if (BROKEN_STORE.has(e.name)) return true;
    const code: unknown = (e as { code?: unknown }).code;
    if (e.name === 'SqliteError' && typeof code === 'string' && BROKEN_SQLITE.test(code)) {
      return true;
    }
    const next: unknown = (e as { inner?: unknown }).inner ?? e.cause;
    e = next;
  }
  return false;
}
