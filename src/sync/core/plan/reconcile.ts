/**
 * Two items found to be one without a shared base (a stamp found on both sides, SPEC M2; a
 * first-sync match, M1; a stored pair whose row could not be read): where they differ, the
 * conflict policy picks, the loser to the trash (D4). Pure.
 */
import type { CrmActivity, OutlookEvent } from '../sides';
import type { CalendarItem } from '../model';
import { typeAllowed, type SyncSettings } from '../settings';
import { normaliseItem } from '../normalise';
import { EXACT_FIELDS, withFields, type SyncedField } from '../merge';
import { differingFields, planLinkedChange } from './linked';
import { withZoneOf } from '../time/windowsZone';
import { crmView, writableInOutlook } from './privacy';
import type { Exclusion, Link, Operation } from './types';

const hasExceptions = (...items: readonly CalendarItem[]): boolean =>
  items.some(
    (x) =>
      x.recurrence !== null &&
      (x.recurrence.exdates.length > 0 || Object.keys(x.recurrence.overrides ?? {}).length > 0),
  );

/** A series as it is now without its exceptions: the base of a pair that has none. */
function withoutExceptions(item: CalendarItem): CalendarItem {
  const r = item.recurrence;
  return normaliseItem(
    r === null ? item : { ...item, recurrence: { rrule: r.rrule, exdates: [] } },
  );
}

/** The link of a pair found without a shared base, with the bases given. */
function pairLink(
  outlook: OutlookEvent,
  crm: CrmActivity,
  bases: { readonly outlook: CalendarItem; readonly crm: CalendarItem },
  settings: SyncSettings,
): Link {
  return {
    outlookId: outlook.id,
    crmId: crm.id,
    outlookBase: normaliseItem(bases.outlook),
    crmBase: normaliseItem(bases.crm),
    outlookEtag: outlook.etag,
    crmEtag: crm.etag,
    crmTypeId: crm.crm.typeId,
    isOwner: crm.crm.ownerId === settings.crmUserId,
  };
}

interface Verdict {
  /** Outlook's item in the CRM's view, its zone named as the CRM names the same rules. */
  readonly view: CalendarItem;
  /** The exactly held fields the two differ in. */
  readonly fields: readonly SyncedField[];
  readonly outlookWins: boolean;
  /** The losing side's item: its values of `fields` go to the trash. */
  readonly loser: CalendarItem;
}

/**
 * Where two items found to be one differ, the conflict policy picks (as for a conflict, SPEC
 * D4). The person who only takes part cannot change the owner's activity (F3): the CRM wins then.
 */
function verdictOf(outlook: OutlookEvent, crm: CrmActivity, settings: SyncSettings): Verdict {
  // Outlook names a zone off Graph's list by its Windows zone: the same rules are one zone.
  const view = withZoneOf(crmView(outlook.item, settings), crm.item);
  // No shared history yet: only the fields both sides hold exactly can be told apart as edits;
  // the rest each side keeps as it holds it, and later edits of them sync from these bases.
  const exact: readonly SyncedField[] = EXACT_FIELDS;
  const fields = differingFields(view, crm.item).filter((f) => exact.includes(f));
  const isOwner = crm.crm.ownerId === settings.crmUserId;
  const outlookWins =
    isOwner &&
    (settings.conflictPolicy === 'outlook-wins' ||
      (settings.conflictPolicy === 'newest-wins' && outlook.lastModified >= crm.lastModified));
  return { view, fields, outlookWins, loser: outlookWins ? crm.item : view };
}

function loserToTrash(link: Link, verdict: Verdict): Operation[] {
  const { fields, outlookWins, loser } = verdict;
  return fields.map((field) => ({
    op: 'trash',
    link,
    lost: { field, side: outlookWins ? 'crm' : 'outlook', value: loser[field] },
  }));
}

/** Two items found to be one without a shared base, series' exceptions aside. */
function reconcileExact(
  outlook: OutlookEvent,
  crm: CrmActivity,
  reason: 'stamp' | 'match',
  settings: SyncSettings,
  excluded: Exclusion[],
): Operation[] {
  const verdict = verdictOf(outlook, crm, settings);
  const { view, fields, outlookWins } = verdict;
  if (fields.length === 0) return [{ op: 'link', outlook, crm, reason, commit: true }];
  const link = pairLink(outlook, crm, { outlook: view, crm: crm.item }, settings);
  const trash = loserToTrash(link, verdict);
  // Issue 15: the winner's values go only where its direction may write this type (T2). If not,
  // the pair is linked and the winner's values wait as its edit: its side's base takes the
  // loser's values for those fields, and the write follows once the filter allows it.
  const direction = outlookWins ? settings.outlookToCrm : settings.crmToOutlook;
  if (!typeAllowed(direction.editTypes, crm.crm.typeId)) {
    const held: Link = outlookWins
      ? { ...link, outlookBase: normaliseItem(withFields(view, crm.item, fields)) }
      : { ...link, crmBase: normaliseItem(withFields(crm.item, view, fields)) };
    excluded.push(
      outlookWins
        ? { side: 'outlook', id: outlook.id, reason: 'typeNotSynced' }
        : { side: 'crm', id: crm.id, reason: 'typeNotSynced' },
    );
    return [
      { op: 'link', outlook, crm, reason, commit: false },
      ...trash,
      { op: 'rebase', link: held, held: { outlook: outlookWins, crm: !outlookWins } },
    ];
  }
  if (outlookWins) {
    return [
      { op: 'link', outlook, crm, reason, commit: false },
      ...trash,
      { op: 'updateCrm', link, item: view, fields, final: true },
    ];
  }
  const writable = writableInOutlook(fields, outlook.item, settings);
  if (writable.length === 0) return [{ op: 'link', outlook, crm, reason, commit: true }];
  return [
    { op: 'link', outlook, crm, reason, commit: false },
    ...trash,
    { op: 'updateOutlook', link, item: crm.item, fields: writable, final: true },
  ];
}

/**
 * Two items found to be one (by stamp or by match) but without a shared base. The exact fields go
 * through reconcileExact; when they agree, a series' exceptions — which no base tells apart — are
 * each side's own edits (a copy was made from the series as it was), merged occurrence by
 * occurrence (core/mergeSeries.ts): none is lost. Issue 15: a create whose stamp failed, found
 * again through the activity's Outlook link after the person changed an occurrence (model
 * counterexample from seed 892690619), kept that change in Outlook only.
 */
export function reconcilePair(
  outlook: OutlookEvent,
  crm: CrmActivity,
  reason: 'stamp' | 'match',
  settings: SyncSettings,
  excluded: Exclusion[],
): Operation[] {
  if (!hasExceptions(outlook.item, crm.item))
    return reconcileExact(outlook, crm, reason, settings, excluded);
  const verdict = verdictOf(outlook, crm, settings);
  if (verdict.fields.length > 0) {
    // They differ in exactly held fields too (random seed 811094473: a series edited in Outlook,
    // an occurrence changed, then the series re-made under a new id). Both bases take the
    // loser's values of those fields, so the winner's are its edit, and each side's exceptions
    // are its own edits as below: a 3-way merge writes both, filters and owner rules included.
    const base = (item: CalendarItem) =>
      withFields(withoutExceptions(item), verdict.loser, verdict.fields);
    const link = pairLink(
      outlook,
      crm,
      { outlook: base(verdict.view), crm: base(crm.item) },
      settings,
    );
    return [
      { op: 'link', outlook, crm, reason, commit: false },
      ...loserToTrash(link, verdict),
      ...planLinkedChange(link, outlook, crm, settings, excluded),
    ];
  }
  return [
    { op: 'link', outlook, crm, reason, commit: false },
    // Each side's base is the item as it is now without its series' exceptions, so each
    // exception — a cancelled or changed occurrence — is that side's edit and reaches the other.
    ...planLinkedChange(
      pairLink(
        outlook,
        crm,
        {
          outlook: withoutExceptions(crmView(outlook.item, settings)),
          crm: withoutExceptions(crm.item),
        },
        settings,
      ),
      outlook,
      crm,
      settings,
      excluded,
    ),
  ];
}
