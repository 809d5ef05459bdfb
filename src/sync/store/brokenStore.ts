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
  for (let e: unknown = error, depth = 0; isErrorLike(e) && depth < 4; depth += 1) {
    if (BROKEN_STORE.has(e.name)) return true;
    if (e.name === 'SqliteError' && typeof e.code === 'string' && BROKEN_SQLITE.test(e.code)) {
      return true;
    }
    e = e.inner ?? e.cause;
  }
  return false;
}

interface ErrorLike {
  readonly name: string;
  readonly code?: unknown;
  readonly inner?: unknown;
  readonly cause?: unknown;
}

/**
 * Read by shape, not `instanceof Error`: an error made in another realm fails that test. A native
 * module (better-sqlite3) is loaded once per process and keeps the SqliteError class of the first
 * context that loaded it, so in a second one (a worker, a test environment) its errors are not
 * instances of that context's Error — a damaged file then ended every run instead of rebuilding.
 */
function isErrorLike(e: unknown): e is ErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string';
}
