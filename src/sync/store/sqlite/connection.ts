/**
 * The SQLite store's one connection and what every part of it runs its SQL through (issue 17,
 * item 5): statements prepared once and cached by their text, and named transactions.
 *
 * better-sqlite3 is synchronous: each named transaction is one SQLite transaction run to its end
 * inside the method, so no other call of this process interleaves with it, and `BEGIN IMMEDIATE`
 * takes the write lock up front so two processes on one file never deadlock halfway. The file is
 * opened on first use, not in the constructor: a damaged file or one of a newer schema then fails
 * inside a run, where runSync rebuilds it (issue 14, item 5) — as Dexie opens on first use too.
 */
import type { Statement } from 'better-sqlite3';
import { type Db, openStoreFile, removeStoreFile } from './open';

/** What the store's parts (links.ts, outbox.ts, outcomes.ts, history.ts) run their SQL through. */
export interface Sql {
  /** The statement of `sql`, prepared on first use. */
  q(sql: string): Statement;
  /** `body` as one `BEGIN IMMEDIATE` transaction: all of it or none. */
  tx<T>(body: () => T): T;
}

export class StoreConnection implements Sql {
  private db: Db | undefined;
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly path: string,
    private readonly clock: () => string,
  ) {}

  /** The open database, opened and migrated on first use. */
  connection(): Db {
    this.db ??= openStoreFile(this.path, this.clock());
    return this.db;
  }

  /** Closes the file; the next call opens it again. An in-memory store forgets everything. */
  close(): void {
    this.statements.clear();
    const db = this.db;
    this.db = undefined;
    db?.close();
  }

  /**
   * The file failed (damaged, full, of a newer schema): it is deleted with its log and made anew,
   * empty and migrated — opened here, so a disk that is still full fails this call, not later.
   */
  rebuild(): void {
    this.close();
    removeStoreFile(this.path);
    this.connection();
  }

  q(sql: string): Statement {
    const db = this.connection();
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  tx<T>(body: () => T): T {
    return this.connection().transaction(body).immediate();
  }
}
