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
import { CONTACT_FIELDS, normaliseContact, type ContactField, type ContactItem } from './model';
import type {
  ContactLink,
  ContactOperation,
  ContactPlan,
  ContactPlanInput,
  ContactSettings,
} from './types';
import type { CrmContact, OutlookContact } from '../sides';
import { conflictWinner } from '../mergeRecord';

function pick(item: ContactItem, fields: readonly ContactField[]): Partial<ContactItem> {
  const out: Partial<Record<ContactField, string | null>> = {};
  for (const f of fields) out[f] = item[f];
  return out as Partial<ContactItem>;
}

/**
 * SPEC M1 for contacts: the same e-mail (case-insensitive), or with no e-mail the same name.
 * The same key the duplicate finder (K3) calls a duplicate, so a match never links two people it
 * would not call one.
 */
export function matchKey(item: ContactItem): string | null {
  const c = normaliseContact(item);
  if (c.email) return `e:${c.email.toLowerCase()}`;
  const name = `${c.firstName} ${c.lastName}`.trim().toLowerCase();
  return name ? `n:${name}` : null;
}

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
      toCrm: pick(o, toCrm),
      toOutlook: pick(c, toOutlook),
      agreed: pick(o, merged.agreed),
      lost,
    },
  ];
}

/** A pair found by stamp or match: linked, and when they differ reconciled by the policy. */
function planPair(
  outlook: OutlookContact,
  crm: CrmContact,
  reason: 'stamp' | 'match',
  settings: ContactSettings,
): ContactOperation[] {
  const o = normaliseContact(outlook.item);
  const c = normaliseContact(crm.item);
  const differ = CONTACT_FIELDS.filter((f) => o[f] !== c[f]);
  if (differ.length === 0) return [{ op: 'contactLink', outlook, crm, reason, base: o }];
  const winner =
    settings.mode === 'twoWay'
      ? conflictWinner(settings.conflictPolicy, outlook.lastModified, crm.lastModified)
      : 'crm';
  const base = winner === 'outlook' ? c : o;
  const link: ContactLink = {
    outlookId: outlook.id,
    crmId: crm.id,
    outlookBase: base,
    crmBase: base,
  };
  return [
    { op: 'contactLink', outlook, crm, reason, base },
    {
      op: 'contactUpdate',
      link,
      toCrm: winner === 'outlook' ? pick(o, differ) : {},
      toOutlook: winner === 'crm' ? pick(c, differ) : {},
      agreed: {},
      lost: differ.map((field) => ({
        field,
        side: winner === 'outlook' ? ('crm' as const) : ('outlook' as const),
        value: winner === 'outlook' ? c[field] : o[field],
      })),
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

  const inScope = (c: CrmContact) =>
    !c.archived &&
    !input.setAside.has(c.id) &&
    ((settings.mode !== 'off' && c.markedForMe) ||
      (settings.addActivityContacts && input.activityContactIds.has(c.id)));
  const unlinkedOutlook = input.outlookChanged.filter(
    (c) => !linkedOutlook.has(c.id) && !outlookDeleted.has(c.id),
  );
  const unlinkedCrm = input.crmChanged.filter(
    (c) => !linkedCrm.has(c.id) && !crmDeleted.has(c.id) && !c.archived,
  );
  const pairedCrm = new Set<string>();
  const pairedOutlook = new Set<string>();

  // 2. Relink from stamps before anything is created (SPEC M2).
  for (const o of unlinkedOutlook) {
    if (o.crmId === null) continue;
    const partner = crmById.get(o.crmId);
    if (partner && !partner.archived && !linkedCrm.has(partner.id) && !pairedCrm.has(partner.id)) {
      if (!twoWay && input.setAside.has(partner.id)) continue;
      pairedCrm.add(partner.id);
      pairedOutlook.add(o.id);
      ops.push(...planPair(o, partner, 'stamp', settings));
    } else if (crmGone(o.crmId) && !linkedCrm.has(o.crmId)) {
      // Our copy of a CRM contact deleted before it was linked here: K2's CRM deletion.
      pairedOutlook.add(o.id);
      ops.push({
        op: 'contactDeleteInOutlook',
        outlookId: o.id,
        crmId: o.crmId,
        item: o.item,
        linked: false,
      });
    }
  }

  // 3. Match (SPEC M1): unstamped Outlook contacts against unlinked CRM contacts. Two-way matches
  // any live CRM contact (an Outlook contact already in the CRM is not copied again); one-way only
  // those it would copy.
  const candidates = new Map<string, CrmContact>();
  for (const c of unlinkedCrm) {
    if (pairedCrm.has(c.id) || (!twoWay && !inScope(c)) || input.setAside.has(c.id)) continue;
    const key = matchKey(c.item);
    if (key !== null && !candidates.has(key)) candidates.set(key, c);
  }
  for (const o of unlinkedOutlook) {
    if (pairedOutlook.has(o.id) || o.crmId !== null) continue;
    const key = matchKey(o.item);
    const partner = key === null ? undefined : candidates.get(key);
    if (partner) {
      candidates.delete(key as string);
      pairedCrm.add(partner.id);
      pairedOutlook.add(o.id);
      ops.push(...planPair(o, partner, 'match', settings));
    } else if (twoWay) {
      // SPEC K2: Outlook → CRM takes the person's Outlook contacts.
      pairedOutlook.add(o.id);
      ops.push({
        op: 'contactCreateInCrm',
        outlook: o,
        item: normaliseContact(o.item),
        idempotencyKey: `k-o2c-${o.id}`,
      });
    }
  }

  // 4. Creates in Outlook: what is in scope and has no copy yet (K1, K2).
  for (const c of unlinkedCrm) {
    if (pairedCrm.has(c.id) || !inScope(c)) continue;
    ops.push({
      op: 'contactCreateInOutlook',
      crm: c,
      item: normaliseContact(c.item),
      key: `k-c2o-${c.id}`,
    });
  }

  const brake = brakeOf(input, ops);
  const held = holds(brake);
  return { operations: ops.filter((op) => !held(op)), brake, held: ops.filter(held) };
}
