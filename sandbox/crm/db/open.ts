/** Opens (creating if needed) the one SQLite file of the reference CRM and migrates it. */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export type { Db };

export function openDatabase(dbPath: string, now: number): { db: Db; isNew: boolean } {
  if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
  // WAL lets a second process (e.g. a DB browser) read while the server writes.
  if (dbPath !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const { from } = migrate(db, now);
  return { db, isNew: from === 0 };
}
