/**
 * The contact planner (SPEC K1, K2): `(links, both sides' changes, settings) → operations`, pure,
 * in the calendar planner's order — linked pairs first (deletions by K2's semantics, 3-way merge
 * of changes), then relinking from stamps before anything is created (M2), then matching (M1),
 * then creates; the same mass-delete brake (D3).
 *
 * Scope: the CRM contacts copied to Outlook are those marked for this person (mode not off) and
 * those among synced activities' participants (K1). A link, once made, stays until a deletion:
 * unmarking a contact does not delete its Outlook copy (leaving the scope is no deletion, as
 * leaving the window is none — W3).
 */
import { mergeRecord } from '../mergeRecord';
import type { Brake } from '../plan/types';
import { brakeFor } from '../plan/brake';
import { CONTACT_FIELDS, normaliseContact, pickFields, type ContactItem } from './model';
import type {
  ContactLink,
  ContactOperation,
  ContactPlan,
  ContactPlanInput,
  ContactSettings,
} from './types';
import type { CrmContact, OutlookContact } from '../sides';
import { planPair, planUnlinked } from './unlinked';

/** Linked pair changed on one side or both: the 3-way merge; one-way sync never writes the CRM. */
function planLinkedChange(
  link: ContactLink,
  outlook: OutlookContact | undefined,
  crm: CrmContact | undefined,
  settings: ContactSettings,
): ContactOperation[] {
  const o = outlook ? normaliseContact(outlook.item) : link.outlookBase;
  const c = crm ? normaliseContact(crm.item) : link.crmBase;
  const oneWay = settings.mode !== 'twoWay';
  const merged = mergeRecord<ContactItem>({
    fields: CONTACT_FIELDS,
    outlookBase: link.outlookBase,
    crmBase: link.crmBase,
    outlook: o,
    crm: c,
    outlookModified: outlook?.lastModified ?? '',
    crmModified: crm?.lastModified ?? '',
    policy: oneWay ? 'crm-wins' : settings.conflictPolicy,
  });
  // One-way: what Outlook changed is put back to the CRM's value, the Outlook value kept in the
  // trash (D4). The CRM is never written.
  const toCrm = oneWay ? [] : merged.toCrm;
  const toOutlook = oneWay ? [...merged.toOutlook, ...merged.toCrm] : merged.toOutlook;
  const lost = oneWay
    ? [
        ...merged.lost,
        ...merged.toCrm.map((field) => ({ field, side: 'outlook' as const, value: o[field] })),
      ]
    : merged.lost;
  if (toCrm.length === 0 && toOutlook.length === 0 && merged.agreed.length === 0) return [];
  return [
    {
      op: 'contactUpdate',
      link,
      toCrm: pickFields(o, toCrm),
      toOutlook: pickFields(c, toOutlook),
      agreed: pickFields(o, merged.agreed),
      lost,
    },
  ];
}

/** SPEC D3: the calendar's brake (core/plan/brake.ts), over contacts. */
function brakeOf(input: ContactPlanInput, ops: readonly ContactOperation[]): Brake | null {
  return brakeFor({
    items: 'contacts',
    known: input.links.map((link) => link.outlookId),
    deletions: ops.flatMap((op) =>
      op.op === 'contactDeleteInOutlook'
        ? [op.outlookId]
        : op.op === 'contactArchiveInCrm'
          ? [op.link.outlookId]
          : [],
    ),
    // A person's value an update overwrites (D4).
    overwrites: ops.flatMap((op) =>
      op.op === 'contactUpdate' && op.lost.length > 0 ? [op.link.outlookId] : [],
    ),
    listedNothing: {
      outlook: input.outlookIsFullListing && input.outlookChanged.length === 0,
      crm: input.crmIsFullListing && input.crmChanged.length === 0,
    },
    confirmed: input.massDeleteConfirmed,
    recent: input.recentDestructive ?? 0,
  });
}

/** The Outlook contact an operation is about, for holding a braked item's every write. */
function contactOf(op: ContactOperation): string | null {
  switch (op.op) {
    case 'contactCreateInOutlook':
      return null;
    case 'contactLink':
    case 'contactCreateInCrm':
      return op.outlook.id;
    case 'contactDeleteInOutlook':
      return op.outlookId;
    default:
      return op.link.outlookId;
  }
}

/** What a brake holds: everything when a side is empty, else every write of the items it names. */
function holds(brake: Brake | null): (op: ContactOperation) => boolean {
  if (brake === null) return () => false;
  if (brake.kind === 'sideEmpty') return () => true;
  const held = new Set(brake.ids);
  return (op) => held.has(contactOf(op) ?? '');
}

export function planContacts(input: ContactPlanInput, settings: ContactSettings): ContactPlan {
  const ops: ContactOperation[] = [];
  const twoWay = settings.mode === 'twoWay';
  const outlookById = new Map(input.outlookChanged.map((c) => [c.id, c]));
  const crmById = new Map(input.crmChanged.map((c) => [c.id, c]));
  const outlookDeleted = new Set(input.outlookDeleted);
  const crmDeleted = new Set(input.crmDeleted);
  const crmGone = (id: string) => crmDeleted.has(id) || crmById.get(id)?.archived === true;
  const linkedOutlook = new Set<string>();
  const linkedCrm = new Set<string>();
  // Issue 15, item 4: unlinked Outlook contacts stamped with a linked CRM contact, the first of
  // each — a linked contact re-made under a new id (moved out of the folder and back, restored).
  const claims = new Map<string, OutlookContact>();
  const stampedLinked = new Set(input.links.map((link) => link.crmId));
  const linkedIds = new Set(input.links.map((link) => link.outlookId));
  for (const o of input.outlookChanged) {
    if (o.crmId === null || linkedIds.has(o.id) || outlookDeleted.has(o.id)) continue;
    if (stampedLinked.has(o.crmId) && !claims.has(o.crmId)) claims.set(o.crmId, o);
  }

  // 1. Linked pairs: K2's deletions, then changes.
  for (const link of input.links) {
    linkedOutlook.add(link.outlookId);
    linkedCrm.add(link.crmId);
    const gone = { outlook: outlookDeleted.has(link.outlookId), crm: crmGone(link.crmId) };
    const claim = claims.get(link.crmId);
    const partner = crmById.get(link.crmId);
    if (gone.outlook && !gone.crm && claim && partner && !linkedOutlook.has(claim.id)) {
      // Identity wins over ids: the contact goes on under its new id, never archived in the CRM.
      linkedOutlook.add(claim.id);
      ops.push(
        { op: 'contactUnlink', link, reason: 'replaced' },
        ...planPair(claim, partner, 'stamp', settings),
      );
    } else if (gone.outlook && gone.crm)
      ops.push({ op: 'contactUnlink', link, reason: 'deletedOnBothSides' });
    else if (gone.crm) {
      // SPEC K2, D2: deleting (or archiving) in the CRM deletes the Outlook contact.
      const item = outlookById.get(link.outlookId)?.item ?? link.outlookBase;
      ops.push({
        op: 'contactDeleteInOutlook',
        outlookId: link.outlookId,
        crmId: link.crmId,
        item,
        linked: true,
      });
    } else if (gone.outlook) {
      // SPEC K2: deleting in Outlook archives the CRM contact — only where Outlook may write it.
      ops.push(
        twoWay
          ? { op: 'contactArchiveInCrm', link, item: crmById.get(link.crmId)?.item ?? link.crmBase }
          : { op: 'contactUnlink', link, reason: 'setAside' },
      );
    } else if (outlookById.has(link.outlookId) || crmById.has(link.crmId)) {
      ops.push(
        ...planLinkedChange(
          link,
          outlookById.get(link.outlookId),
          crmById.get(link.crmId),
          settings,
        ),
      );
    }
  }

  // 2.–4. Relink from stamps, match, create (core/contacts/unlinked.ts).
  ops.push(
    ...planUnlinked(input, settings, {
      crmById,
      outlookDeleted,
      crmDeleted,
      linkedOutlook,
      linkedCrm,
      crmGone,
    }),
  );

  const brake = brakeOf(input, ops);
  const held = holds(brake);
  return { operations: ops.filter((op) => !held(op)), brake, held: ops.filter(held) };
}
