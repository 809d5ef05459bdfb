/**
 * The contact planner's unlinked passes (split from core/contacts/plan.ts, issue 13), pure: what
 * the linked pass leaves is relinked from stamps before anything is created (SPEC M2), then
 * matched (M1), then created where K1/K2 say so. planPair is also how the linked pass goes on
 * with a contact re-made under a new id (issue 15, item 4).
 */
import { conflictWinner } from '../mergeRecord';
import type { CrmContact, OutlookContact } from '../sides';
import { CONTACT_FIELDS, normaliseContact, pickFields, type ContactItem } from './model';
import type { ContactLink, ContactOperation, ContactPlanInput, ContactSettings } from './types';

/** What the linked pass (core/contacts/plan.ts) leaves the unlinked passes to go on from. */
export interface UnlinkedContext {
  readonly crmById: ReadonlyMap<string, CrmContact>;
  readonly outlookDeleted: ReadonlySet<string>;
  readonly crmDeleted: ReadonlySet<string>;
  /** The Outlook and CRM ids linked, or relinked, by the linked pass. */
  readonly linkedOutlook: ReadonlySet<string>;
  readonly linkedCrm: ReadonlySet<string>;
  /** Deleted in the CRM, or archived there. */
  readonly crmGone: (id: string) => boolean;
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

/** A pair found by stamp or match: linked, and when they differ reconciled by the policy. */
export function planPair(
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
      toCrm: winner === 'outlook' ? pickFields(o, differ) : {},
      toOutlook: winner === 'crm' ? pickFields(c, differ) : {},
      agreed: {},
      lost: differ.map((field) => ({
        field,
        side: winner === 'outlook' ? ('crm' as const) : ('outlook' as const),
        value: winner === 'outlook' ? c[field] : o[field],
      })),
    },
  ];
}

/** Steps 2–4 of planContacts: relink from stamps, match, create. */
export function planUnlinked(
  input: ContactPlanInput,
  settings: ContactSettings,
  ctx: UnlinkedContext,
): ContactOperation[] {
  const ops: ContactOperation[] = [];
  const twoWay = settings.mode === 'twoWay';
  const { crmById, outlookDeleted, crmDeleted, linkedOutlook, linkedCrm, crmGone } = ctx;
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
  return ops;
}
