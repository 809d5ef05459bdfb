/**
 * Opening, and throwing away, the SQLite file of one mailbox's sync store (issue 17, item 5).
 * Node only (better-sqlite3): ESLint keeps this folder out of the pane, the commands and the core.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrate } from './migrations';

export type { Db };

/** The in-memory store: one private database per connection, gone when it closes. */
export const IN_MEMORY = ':memory:';

/**
 * How long a statement waits for another connection's write lock (a second process on the same
 * file) before it fails with SQLITE_BUSY — an ordinary run failure, never a broken store.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * The file of `mailbox`'s store under `dir`: one file per mailbox, as the pane keeps one IndexedDB
 * database per mailbox, so a damaged file is rebuilt alone. The name is a hash of the lower-cased
 * address: a mailbox is outside input, and a path made from it could climb out of `dir`.
 */
export function storeFileFor(dir: string, mailbox: string): string {
  const digest = createHash('sha256').update(mailbox.toLowerCase()).digest('hex');
  return join(dir, `sync-${digest.slice(0, 32)}.sqlite`);
}

/**
 * Opens (creating if needed) and migrates a store file. The file is the person's appointments
 * (links, outbox, trash): readable by the service's user only. A file that is no database, a
 * damaged one or one of a newer schema fails here with the error store/brokenStore.ts knows.
 */
export function openStoreFile(path: string, now: string): Db {
  if (path !== IN_MEMORY) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  try {
    if (path !== IN_MEMORY) {
      chmodSync(path, 0o600);
      // WAL: a reader (the service's API) never waits for a run's write, and a crash mid-write
      // leaves the last committed state (https://www.sqlite.org/wal.html).
      db.pragma('journal_mode = WAL');
    }
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    migrate(db, now);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Deletes a store file with its write-ahead log and shared-memory index (SQLite's own names). */
export function removeStoreFile(path: string): void {
  if (path === IN_MEMORY) return;
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(`${path}${suffix}`, { force: true });
}
