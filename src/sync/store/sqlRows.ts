/**
 * Rows in and out of the SQL stores — SQLite (issue 17, item 5) and PostgreSQL (issue 18), whose
 * tables have the same columns (PostgreSQL's with a `mailbox` more). No driver here: what
 * better-sqlite3 or pg answers is `unknown` to us: every row read is checked with zod before it becomes a store row, and a row that
 * fails — a damaged file, or a hand edit — raises StoreDataError, which store/brokenStore.ts
 * counts as the storage failing (rebuilt from the stamps), never as one item's fault.
 *
 * Link rows are versioned as the pane's are (store/linkRows.ts, issue 15 item 3): the row is
 * what `linkRow` makes, as JSON, and is read through `readLinkRow`, so both stores tell a link
 * from a pair to repair the same way. A link row that is not even JSON is such a pair too, kept
 * by its key columns — one damaged row is repaired from the stamps, not the whole store rebuilt.
 */
import { z } from 'zod';
import { readLinkRow, repairRow, type LinkRepair } from './linkRows';
import type {
  CursorRow,
  OutboxRow,
  PendingRow,
  QuarantineRow,
  RunRow,
  SyncRecordRow,
  TrashRow,
} from './rows';
import type { LinkKind, LinkOf } from './syncStore';

/**
 * The tables that hold a store's rows, the same in both SQL stores: `clear()` empties them (in
 * PostgreSQL, of one mailbox's rows); the migrations' history is not one of them.
 */
export const STORE_TABLES = [
  'links',
  'cursors',
  'outbox',
  'runs',
  'trash',
  'quarantine',
  'records',
  'pending',
  'occurrences',
] as const;

/** A row the store cannot read. Named as IndexedDB names it (store/brokenStore.ts). */
export class StoreDataError extends Error {
  override readonly name = 'DataError';
}

const jsonObject = z.record(z.string(), z.unknown());

function parseJson(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoreDataError(`The sync store holds ${what} that is not JSON`, { cause: error });
  }
  const object = jsonObject.safeParse(value);
  if (!object.success) throw new StoreDataError(`The sync store holds ${what} that is no object`);
  return object.data;
}

/** Parses a row with `schema`; a mismatch is a damaged store, named by table. */
export function rowOf<T>(schema: z.ZodType<T>, row: unknown, table: string): T {
  const parsed = schema.safeParse(row);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(row)').join(', ');
    throw new StoreDataError(
      `The sync store's ${table} table holds a row it cannot read (${where})`,
    );
  }
  return parsed.data;
}

export const LinkColumns = z.object({
  outlook_id: z.string(),
  crm_id: z.string().nullable(),
  data: z.string(),
});

/**
 * A link row as stored, for store/linkRows.ts's `readLinkRow` to judge. A row whose JSON is
 * damaged is its key columns alone: no version, so a pair to repair.
 */
export function rawLinkOf(row: unknown): unknown {
  const columns = rowOf(LinkColumns, row, 'links');
  try {
    return JSON.parse(columns.data);
  } catch {
    return { outlookId: columns.outlook_id, crmId: columns.crm_id ?? undefined };
  }
}

/** Issue 15, item 3: the link a stored row holds (store/linkRows.ts), or none. */
export function linkOfRow<K extends LinkKind>(kind: K, row: unknown): LinkOf<K> | undefined {
  if (row === undefined) return undefined;
  const read = readLinkRow(kind, rawLinkOf(row));
  return read && 'link' in read ? read.link : undefined;
}

/** A stored pair to repair, and the row to write in its place while its CRM id holds the index. */
export interface RowToRepair {
  readonly repair: LinkRepair;
  /** The row with no CRM id (crm_id NULL), or null when it has none already. */
  readonly rewrite: {
    readonly outlookId: string;
    readonly version: number;
    readonly data: string;
  } | null;
}

/**
 * Issue 15, item 3: a stored link row no reader of today can read, as a pair to repair (null: a
 * link, or nothing). A row that still holds its CRM id in the unique index is to be rewritten
 * as a row to repair, so a link the stamps make for that CRM id elsewhere is never refused.
 */
export function repairOfRow(kind: LinkKind, row: unknown): RowToRepair | null {
  const read = readLinkRow(kind, rawLinkOf(row));
  if (read === null || 'link' in read) return null;
  const columns = rowOf(LinkColumns, row, 'links');
  if (columns.crm_id === null) return { repair: read.repair, rewrite: null };
  const fixed = repairRow(read.repair, 'unreadable');
  const rewrite = { outlookId: columns.outlook_id, version: fixed.v, data: JSON.stringify(fixed) };
  return { repair: read.repair, rewrite };
}

/** The version a link row says it has (`v`; none before versions: 1), for its column. */
export function linkRowVersion(raw: Readonly<Record<string, unknown>>): number {
  return typeof raw.v === 'number' && Number.isInteger(raw.v) ? raw.v : 1;
}

/**
 * Every cursor name (store/rows.ts): typed as a complete map, so a name added to CursorRow fails
 * the type check here until it is listed — a stored cursor of an unlisted name would otherwise
 * read as a damaged row and rebuild the store.
 */
const CURSOR_NAMES: { readonly [N in CursorRow['name']]: N } = {
  outlookDelta: 'outlookDelta',
  crmChanges: 'crmChanges',
  outlookContactsDelta: 'outlookContactsDelta',
  crmContactChanges: 'crmContactChanges',
  outlookContactFolder: 'outlookContactFolder',
  calendarFilters: 'calendarFilters',
  writesUnconfirmed: 'writesUnconfirmed',
  contactMode: 'contactMode',
  contactsSyncedAt: 'contactsSyncedAt',
};

export const CursorColumns = z.object({
  name: z.enum(CURSOR_NAMES),
  value: z.string(),
  window_start: z.string().nullable(),
  window_end: z.string().nullable(),
  recheck: z.string().nullable(),
});

const RecheckIds = z.array(z.string());

export function cursorFromRow(row: unknown): CursorRow {
  const c = rowOf(CursorColumns, row, 'cursors');
  const window =
    c.window_start !== null && c.window_end !== null
      ? { window: { start: c.window_start, end: c.window_end } }
      : {};
  if (c.recheck === null) return { name: c.name, value: c.value, ...window };
  let ids: unknown;
  try {
    ids = JSON.parse(c.recheck);
  } catch (error) {
    throw new StoreDataError('The sync store holds a cursor whose ids are not JSON', {
      cause: error,
    });
  }
  const recheck = RecheckIds.safeParse(ids);
  if (!recheck.success)
    throw new StoreDataError('The sync store holds a cursor whose ids are no list');
  return { name: c.name, value: c.value, ...window, recheck: recheck.data };
}

/** A cursor's ids to read again, as its column holds them: NULL when it carries none. */
export function recheckColumn(row: CursorRow): string | null {
  return row.recheck === undefined ? null : JSON.stringify(row.recheck);
}

const OutboxColumns = z.object({
  key: z.string(),
  created_at: z.string(),
  attempts: z.number().int().nonnegative(),
  operation: z.string(),
});

/** An intent: the operation is the engine's own plan, stored as it was given (core/plan/types). */
export function intentFromRow(row: unknown): OutboxRow {
  const c = rowOf(OutboxColumns, row, 'outbox');
  const operation = parseJson(c.operation, 'an intent') as unknown as OutboxRow['operation'];
  return { key: c.key, operation, createdAt: c.created_at, attempts: c.attempts };
}

const DataColumns = z.object({ id: z.number().int(), data: z.string() });

export function runFromRow(row: unknown): RunRow {
  const c = rowOf(DataColumns, row, 'runs');
  return { ...(parseJson(c.data, 'a run') as unknown as RunRow), id: c.id };
}

export function trashFromRow(row: unknown): TrashRow {
  const c = rowOf(DataColumns, row, 'trash');
  return { ...(parseJson(c.data, 'a trash row') as unknown as TrashRow), id: c.id };
}

/** A row's JSON without its key (the key lives in its own column). */
export function dataOf<T extends { id?: number }>(row: T): string {
  const { id: _id, ...rest } = row;
  return JSON.stringify(rest);
}

const QuarantineColumns = z.object({
  item_key: z.string(),
  failures: z.number().int().nonnegative(),
  last_code: z.string(),
  since: z.string(),
  quarantined: z.union([z.literal(0), z.literal(1)]),
  unlinked_at: z.string().nullable(),
});

/** A quarantine row's columns, in the tables' order (item_key … unlinked_at): its writers' values. */
export function quarantineValues(row: QuarantineRow) {
  const quarantined = row.quarantined ? 1 : 0;
  return [row.itemKey, row.failures, row.lastCode, row.since, quarantined, row.unlinkedAt ?? null];
}

export function quarantineFromRow(row: unknown): QuarantineRow {
  const c = rowOf(QuarantineColumns, row, 'quarantine');
  return {
    itemKey: c.item_key,
    failures: c.failures,
    lastCode: c.last_code,
    since: c.since,
    quarantined: c.quarantined === 1,
    ...(c.unlinked_at === null ? {} : { unlinkedAt: c.unlinked_at }),
  };
}

const PendingColumns = z.object({
  item_key: z.string(),
  outlook_id: z.string().nullable(),
  crm_id: z.string().nullable(),
});

export function pendingFromRow(row: unknown): PendingRow {
  const c = rowOf(PendingColumns, row, 'pending');
  return {
    itemKey: c.item_key,
    ...(c.outlook_id === null ? {} : { outlookId: c.outlook_id }),
    ...(c.crm_id === null ? {} : { crmId: c.crm_id }),
  };
}

const RecordColumns = z.object({
  id: z.number().int(),
  item_key: z.string(),
  at: z.string(),
  op: z.string(),
  outcome: z.enum(['ok', 'failed', 'skipped']),
  code: z.string().nullable(),
  detail: z.string().nullable(),
});

export function recordFromRow(row: unknown): SyncRecordRow {
  const c = rowOf(RecordColumns, row, 'records');
  const detail =
    c.detail === null ? undefined : rowOf(z.array(z.string()), parseList(c.detail), 'records');
  return {
    id: c.id,
    itemKey: c.item_key,
    at: c.at,
    op: c.op as SyncRecordRow['op'],
    outcome: c.outcome,
    ...(c.code === null ? {} : { code: c.code }),
    ...(detail === undefined ? {} : { detail }),
  };
}

function parseList(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoreDataError('The sync store holds a record detail that is not JSON', {
      cause: error,
    });
  }
}

export const SeriesColumns = z.object({ series_id: z.string() });
export const CountColumns = z.object({ n: z.number().int().nonnegative() });
