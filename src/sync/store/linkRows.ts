/**
 * Issue 15, item 3: stored links are versioned, and a row the engine cannot read is repaired,
 * never a reason to stop. Every store reads its link rows through `readLinkRow` and writes them
 * through `linkRow`, so the Dexie store and a server-side one (SQLite) tell a link from a row to
 * repair the same way. No storage library here.
 *
 * Shapes a row has had:
 * - version 1 (no `v`): until the per-side bases (commit 018fb56) one snapshot, `base`, with the
 *   content hashes `outlookHash`/`crmHash`; after it the shape of today without a version.
 * - version 2 (`v: 2`): today's `Link` / `ContactLink`, each side's base of its own.
 *
 * A row that is not a readable version 2 (the one-base shape, snapshots missing or malformed) is
 * a pair with no base: its ids are kept, its content is not, and the next run repairs it from the
 * stamps on both sides (engine/gather.ts, core/plan/identity.ts) — as a pair linked by stamp.
 */
import * as z from 'zod';
import type { ContactLink } from '../core/contacts/types';
import type { CalendarItem } from '../core/model';
import type { PairToRepair } from '../core/plan/identity';
import type { Link } from '../core/plan/types';
import type { LinkKind, LinkOf } from './syncStore';

/** The version of the link rows this build writes. */
export const LINK_ROW_VERSION = 2;

/** A stored pair whose row could not be read: only its ids, for the run to repair it. */
export type LinkRepair = PairToRepair;

/**
 * How a row to repair is kept: its Outlook id (the key) and, out of the CRM id's unique index,
 * the CRM id it named — so a link the stamps make for that CRM id elsewhere is never refused.
 */
export interface RepairRow {
  readonly v: typeof LINK_ROW_VERSION;
  readonly outlookId: string;
  readonly repair: {
    readonly crmId?: string;
    /** The one base of a row of the older shape, kept when it reads as an item. */
    readonly base?: CalendarItem;
    readonly from: 'olderShape' | 'unreadable';
  };
}

const text = z.string();
const instantOrDate = z.string();
const ParticipantSchema = z.looseObject({
  kind: z.enum(['user', 'contact', 'resource', 'external']),
  email: text.optional(),
  name: text.optional(),
  crmId: text.optional(),
  optional: z.boolean(),
});
const ChangeSchema = z.looseObject({
  subject: text.optional(),
  location: text.optional(),
  description: text.optional(),
  start: instantOrDate.optional(),
  end: instantOrDate.optional(),
  showAs: text.optional(),
  reminderMinutes: z.number().nullable().optional(),
});
/** core/model.ts CalendarItem: what the planner hashes and merges must have this shape. */
const CalendarItemSchema = z.looseObject({
  subject: text,
  time: z.discriminatedUnion('kind', [
    z.looseObject({ kind: z.literal('timed'), start: text, end: text, timeZone: text }),
    z.looseObject({
      kind: z.literal('allDay'),
      startDate: text,
      endDate: text,
      timeZone: text,
    }),
  ]),
  location: text,
  description: text,
  isPrivate: z.boolean(),
  showAs: z.enum(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']),
  reminderMinutes: z.number().nullable(),
  participants: z.array(ParticipantSchema),
  recurrence: z
    .looseObject({
      rrule: text,
      exdates: z.array(text),
      overrides: z.record(text, ChangeSchema).optional(),
    })
    .nullable(),
  occurrenceOf: z.looseObject({ seriesId: text, originalStart: text }).nullable(),
  isCancelled: z.boolean(),
});
/** core/contacts/model.ts ContactItem. */
const ContactItemSchema = z.looseObject({
  firstName: text,
  lastName: text,
  email: text.nullable(),
  phone: text.nullable(),
  title: text.nullable(),
});

const id = z.string().min(1);
const CalendarLinkSchema = z.looseObject({
  outlookId: id,
  crmId: id,
  outlookBase: CalendarItemSchema,
  crmBase: CalendarItemSchema,
  outlookEtag: z.string(),
  crmEtag: z.string(),
  crmTypeId: z.string(),
  isOwner: z.boolean(),
});
const ContactLinkSchema = z.looseObject({
  outlookId: id,
  crmId: id,
  outlookBase: ContactItemSchema,
  crmBase: ContactItemSchema,
});
const SCHEMA: Readonly<Record<LinkKind, z.ZodType>> = {
  calendar: CalendarLinkSchema,
  contacts: ContactLinkSchema,
};

/** What a stored row is to the engine: a link, a pair to repair, or nothing it can use. */
export type ReadRow<K extends LinkKind> =
  { readonly link: LinkOf<K> } | { readonly repair: LinkRepair } | null;

const stringAt = (row: Record<string, unknown>, key: string): string | undefined => {
  const value = row[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one stored row. A readable row of today's shape is a link (written before rows had a
 * version, or of version 2); anything else that still names an Outlook id is a pair to repair;
 * a row without one is nothing (no item can be found from it).
 */
export function readLinkRow<K extends LinkKind>(kind: K, raw: unknown): ReadRow<K> {
  if (!isRecord(raw)) return null;
  const outlookId = stringAt(raw, 'outlookId');
  if (outlookId === undefined) return null;
  const version = raw.v;
  if ((version === undefined || version === LINK_ROW_VERSION) && !isRecord(raw.repair)) {
    if (SCHEMA[kind].safeParse(raw).success) {
      const { v: _version, ...link } = raw;
      return { link: link as unknown as LinkOf<K> };
    }
  }
  const kept = isRecord(raw.repair) ? raw.repair : raw;
  const named = stringAt(kept, 'crmId');
  // The older shape's one base (calendar rows only had it), when it still reads as an item.
  const base =
    kind === 'calendar' && CalendarItemSchema.safeParse(kept.base).success
      ? { base: kept.base as CalendarItem }
      : {};
  return { repair: { outlookId, ...(named === undefined ? {} : { crmId: named }), ...base } };
}

/** The row a store keeps for a link: the link with its version. */
export function linkRow<K extends LinkKind>(link: LinkOf<K>): LinkOf<K> & { readonly v: 2 } {
  return { ...link, v: LINK_ROW_VERSION };
}

/**
 * The schema upgrade of one stored row (store/schema.ts version 5): a readable row gets its
 * version; any other becomes a row to repair — its ids kept, the CRM id out of the unique index,
 * its content (an old base, hashes, a broken snapshot) dropped. Returns the row to store, or null
 * to delete it (nothing in it names an item).
 */
export function upgradeLinkRow(kind: LinkKind, raw: unknown): Record<string, unknown> | null {
  const read = readLinkRow(kind, raw);
  if (read === null) return null;
  if ('link' in read) return { ...(read.link as Link | ContactLink), v: LINK_ROW_VERSION };
  const from = isRecord(raw) && 'base' in raw ? 'olderShape' : 'unreadable';
  return repairRow(read.repair, from) as unknown as Record<string, unknown>;
}

export function repairRow(repair: LinkRepair, from: RepairRow['repair']['from']): RepairRow {
  return {
    v: LINK_ROW_VERSION,
    outlookId: repair.outlookId,
    repair: {
      ...(repair.crmId === undefined ? {} : { crmId: repair.crmId }),
      ...(repair.base === undefined ? {} : { base: repair.base }),
      from,
    },
  };
}
