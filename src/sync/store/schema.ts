/**
 * The local store (Dexie over IndexedDB), one database per paired mailbox. It is a cache of the
 * truth, not the truth: the stamps on the items themselves can rebuild every link
 * (REQUIREMENTS.md). Every `version(n)` stays here forever; a new version adds, never rewrites.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { ContactLink } from '../core/contacts/types';
import { upgradeLinkRow } from './linkRows';
import type { Link } from '../core/plan/types';
import type {
  CursorRow,
  OccurrenceRow,
  OutboxRow,
  PendingRow,
  QuarantineRow,
  RunRow,
  SyncRecordRow,
  TrashRow,
} from './rows';

export type * from './rows';

export type SyncDb = Dexie & {
  links: EntityTable<Link, 'outlookId'>;
  cursors: EntityTable<CursorRow, 'name'>;
  outbox: EntityTable<OutboxRow, 'key'>;
  runs: EntityTable<RunRow, 'id'>;
  trash: EntityTable<TrashRow, 'id'>;
  quarantine: EntityTable<QuarantineRow, 'itemKey'>;
  records: EntityTable<SyncRecordRow, 'id'>;
  pending: EntityTable<PendingRow, 'itemKey'>;
  occurrences: EntityTable<OccurrenceRow, 'id'>;
  contactLinks: EntityTable<ContactLink, 'outlookId'>;
  contactPending: EntityTable<PendingRow, 'itemKey'>;
};

export const SCHEMA_V1 = {
  links: '&outlookId, &crmId',
  cursors: '&name',
  outbox: '&key, createdAt',
  runs: '++id, startedAt',
  trash: '++id, at, outlookId, crmId',
  quarantine: '&itemKey',
  records: '++id, itemKey, at',
  pending: '&itemKey',
} as const;

/** Version 2: the occurrences of Outlook series, by id (OccurrenceRow). */
export const SCHEMA_V2 = { occurrences: '&id, seriesId' } as const;

/**
 * Version 3: contacts, the second item kind (SPEC K2) — their links and the contacts whose last
 * write failed. Outbox, runs, trash, quarantine and records are shared, keys prefixed `k:`.
 */
export const SCHEMA_V3 = {
  contactLinks: '&outlookId, &crmId',
  contactPending: '&itemKey',
} as const;

/**
 * Version 4 (issue 14, item 5): the trash indexed by the state of its restores, so a run finds
 * the rows the person asked back without reading the whole trash.
 */
export const SCHEMA_V4 = { trash: '++id, at, outlookId, crmId, restoreState' } as const;

/**
 * Version 5 (issue 15, item 3): link rows carry their version (store/linkRows.ts). No index
 * changes; the upgrade gives each readable row its version and turns every other one — the
 * one-base shape stored before the per-side bases, a row whose snapshots are missing — into a
 * pair to repair from the stamps. A row that names no Outlook item goes.
 */
function upgradeLinks(tx: Transaction, table: 'links' | 'contactLinks'): Promise<void> {
  const kind = table === 'links' ? 'calendar' : 'contacts';
  return tx
    .table<Record<string, unknown>, string>(table)
    .toCollection()
    .modify((row, ref) => {
      const next = upgradeLinkRow(kind, row);
      if (next === null) {
        delete (ref as { value?: unknown }).value;
        return;
      }
      for (const key of Object.keys(row)) if (!(key in next)) delete row[key];
      Object.assign(row, next);
    })
    .then(() => undefined);
}

/** Opens (creating or upgrading) the store of one mailbox. */
export function openSyncDb(mailbox: string, indexedDB?: IDBFactory): SyncDb {
  const db = new Dexie(
    `crm-sync:${mailbox.toLowerCase()}`,
    indexedDB ? { indexedDB } : {},
  ) as SyncDb;
  db.version(1).stores(SCHEMA_V1);
  db.version(2).stores(SCHEMA_V2);
  db.version(3).stores(SCHEMA_V3);
  db.version(4)
    .stores(SCHEMA_V4)
    .upgrade((tx) =>
      tx
        .table<TrashRow, number>('trash')
        .toCollection()
        .modify((row) => {
          if (row.restore) Object.assign(row, { restoreState: row.restore.state });
        }),
    );
  db.version(5)
    .stores({})
    .upgrade(async (tx) => {
      await upgradeLinks(tx, 'links');
      await upgradeLinks(tx, 'contactLinks');
    });
  return db;
}
