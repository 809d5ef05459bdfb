/**
 * The store under the property tests' histories (issue 13, CI time): most histories run over the
 * SQLite store in memory, a fifth over the Dexie store on fake-indexeddb, so both stores stay
 * exercised by the properties while the CI run stops paying Dexie + fake-indexeddb's cost (about
 * 40 % of the model test's CPU) on every history. Both stores pass the same contract suite
 * (test/contract/syncStore.contract.ts), so a property holds on both or is a store defect.
 *
 * Which store a history gets is a function of the history itself (a hash of its moves), never of
 * a run counter: a seed (PROPERTY_SEED), a shrunk counterexample and its replay (MODEL_CASE) all
 * meet the same store as the failing run did. `PROPERTY_STORE=dexie|sqlite` puts every history
 * on one store (to replay a case on the other one, or to run a seed wholly on Dexie).
 *
 * A test file using this must run in the node environment (`@jest-environment node`):
 * better-sqlite3 is a native module.
 */
import type { QuarantineRow, SyncRecordRow, TrashRow } from '../../src/sync/store/rows';
import {
  linkRowVersion,
  quarantineFromRow,
  recordFromRow,
  trashFromRow,
} from '../../src/sync/store/sqlRows';
import { SqliteSyncStore } from '../../src/sync/store/sqlite/sqliteSyncStore';
import type { LinkKind, SyncStore } from '../../src/sync/store/syncStore';
import { dexieStore } from './store';
import type { DexieSyncStore } from '../../src/sync/store/dexieSyncStore';

export type StoreName = 'dexie' | 'sqlite';

/** One history in this many runs on Dexie (the rest on SQLite). */
export const DEXIE_ONE_IN = 5;

/** A link table's row as stored: keyed by its Outlook id; the rest as its version has it. */
export type StoredLinkRow = Readonly<Record<string, unknown>> & { readonly outlookId: string };

/** What a property test reads from a store besides the port, the same on either store. */
export interface StoreProbe {
  readonly name: StoreName;
  readonly store: SyncStore;
  /** The rows of a link table as stored: today's versioned rows, older shapes, pairs to repair. */
  linkRows(kind: LinkKind): Promise<StoredLinkRow[]>;
  /** Puts a row into a link table as it is, bypassing the port (an older build's row). */
  putLinkRow(kind: LinkKind, row: Readonly<Record<string, unknown>>): Promise<void>;
  trash(): Promise<TrashRow[]>;
  quarantine(): Promise<QuarantineRow[]>;
  records(itemKey: string): Promise<SyncRecordRow[]>;
  /** Throws the store away (a history's stores are not kept past it: memory, not behaviour). */
  dispose(): Promise<void>;
}

const probes = new WeakMap<SyncStore, StoreProbe>();

/** The probe of an engine's store (made by `probeStore`). */
export function probeOf(deps: { readonly store: SyncStore }): StoreProbe {
  const probe = probes.get(deps.store);
  if (!probe) throw new Error('Not a store made by probeStore');
  return probe;
}

/** FNV-1a over the history's JSON: a cheap, stable hash (no randomness, no run counter). */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The store a history runs on: PROPERTY_STORE when set, else one in DEXIE_ONE_IN on Dexie. */
export function storeFor(history: unknown): StoreName {
  const forced = process.env.PROPERTY_STORE;
  if (forced === 'dexie' || forced === 'sqlite') return forced;
  if (forced !== undefined && forced !== '')
    throw new Error(`PROPERTY_STORE must be dexie or sqlite, not ${forced}`);
  return hashOf(JSON.stringify(history)) % DEXIE_ONE_IN === 0 ? 'dexie' : 'sqlite';
}

/**
 * Counts the histories each store ran, and checks the share: a history's store is drawn from its
 * hash, so the share is one in DEXIE_ONE_IN on average — the fixed seed's CI run gives Dexie well
 * over 100 of its histories; the floor is set far enough below the average (ten standard
 * deviations and more) that a random seed never fails it by chance.
 */
export function storeCounter(): {
  count(name: StoreName): void;
  expectShare(histories: number): void;
} {
  const counts = { dexie: 0, sqlite: 0 };
  return {
    count: (name) => {
      counts[name] += 1;
    },
    expectShare: (histories) => {
      expect(counts.dexie + counts.sqlite).toBe(histories);
      const forced = process.env.PROPERTY_STORE;
      if (forced === 'dexie' || forced === 'sqlite') {
        expect(counts[forced]).toBe(histories);
        return;
      }
      const floor =
        histories >= 500 ? Math.min(100, Math.floor(histories / 10)) : Math.floor(histories / 40);
      expect(counts.dexie).toBeGreaterThanOrEqual(floor);
      expect(counts.sqlite).toBeGreaterThanOrEqual(floor);
    },
  };
}

/** A fresh, empty store of `name` (`dbName` names the Dexie database), with its probe. */
export function probeStore(name: StoreName, dbName: string): StoreProbe {
  const probe =
    name === 'dexie' ? dexieProbe(dexieStore(dbName)) : sqliteProbe(SqliteSyncStore.inMemory());
  probes.set(probe.store, probe);
  return probe;
}

function dexieProbe(store: DexieSyncStore): StoreProbe {
  const db = store.db;
  const table = (kind: LinkKind) => (kind === 'calendar' ? db.links : db.contactLinks);
  return {
    name: 'dexie',
    store,
    linkRows: async (kind) => (await table(kind).toArray()) as unknown as StoredLinkRow[],
    putLinkRow: async (kind, row) => {
      await table(kind).put(row as never);
    },
    trash: () => db.trash.toArray(),
    quarantine: () => db.quarantine.toArray(),
    records: (itemKey) => db.records.where('itemKey').equals(itemKey).toArray(),
    dispose: () => db.delete(),
  };
}

function sqliteProbe(store: SqliteSyncStore): StoreProbe {
  const all = (sql: string, ...params: unknown[]): unknown[] =>
    store
      .connection()
      .prepare(sql)
      .all(...params);
  return {
    name: 'sqlite',
    store,
    // Ordered as Dexie's primary key orders them, so a history picks the same row on either store.
    linkRows: async (kind) =>
      all('SELECT data FROM links WHERE kind = ? ORDER BY outlook_id', kind).map(
        (row) => JSON.parse((row as { data: string }).data) as StoredLinkRow,
      ),
    putLinkRow: async (kind, row) => {
      const crmId = typeof row.crmId === 'string' ? row.crmId : null;
      store
        .connection()
        .prepare(
          'INSERT OR REPLACE INTO links (kind, outlook_id, crm_id, version, data) VALUES (?, ?, ?, ?, ?)',
        )
        .run(kind, row.outlookId, crmId, linkRowVersion(row), JSON.stringify(row));
    },
    trash: async () => all('SELECT id, data FROM trash ORDER BY id').map(trashFromRow),
    quarantine: async () =>
      all('SELECT * FROM quarantine ORDER BY item_key').map(quarantineFromRow),
    records: async (itemKey) =>
      all('SELECT * FROM records WHERE item_key = ? ORDER BY at, id', itemKey).map(recordFromRow),
    dispose: async () => store.close(),
  };
}
