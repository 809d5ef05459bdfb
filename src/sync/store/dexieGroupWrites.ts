/**
 * Issue 16: the intents and links an apply group writes side by side (twenty creates answered by
 * one `$batch`, a CRM chunk of a hundred) share IndexedDB transactions (./groupCommit.ts) instead
 * of taking one each: a first sync of 5,000 + 5,000 items opened ~12,000 store transactions, and
 * Dexie and fake-indexeddb were half of what its engine allocated.
 */
import type { Table } from 'dexie';
import { groupCommit, type LinkWrite } from './groupCommit';
import { linkRow } from './linkRows';
import type { OutboxRow } from './rows';
import type { SyncDb } from './schema';
import type { LinkKind, LinkOf } from './syncStore';

/** The table a kind's links live in. */
export function linkTableOf<K extends LinkKind>(db: SyncDb, kind: K): Table<LinkOf<K>, string> {
  const table = kind === 'calendar' ? db.links : db.contactLinks;
  return table as unknown as Table<LinkOf<K>, string>;
}

export class DexieGroupWrites {
  constructor(private readonly db: SyncDb) {}

  /** Stores a create's intent; resolved once it is committed. */
  readonly intent = groupCommit<OutboxRow>(async (rows) => {
    await this.db.outbox.bulkPut([...rows]);
  });

  /** Writes a link and drops the intent it finishes, in the same transaction. */
  readonly link = groupCommit<LinkWrite>(async (writes) => {
    const { db } = this;
    const tables = new Set(writes.map((w) => linkTableOf(db, w.kind)));
    await db.transaction('rw', [...tables, db.outbox], async () => {
      for (const w of writes) await linkTableOf(db, w.kind).put(linkRow(w.link));
      const intents = writes.flatMap((w) => (w.intent === undefined ? [] : [w.intent]));
      if (intents.length > 0) await db.outbox.bulkDelete(intents);
    });
  });
}
