/**
 * Issue 15, item 2: SPEC D3's brake can be confirmed for every kind it raises, side-empty
 * included, for activities and contacts; a confirmation names what it allows (the kind, the items
 * shown and, for a side-empty brake, that side), never a blanket "yes"; and a loser's values count
 * only on pairs linked before the run, decided once in core/plan/brake.ts for both planners.
 */
import { planContacts } from '../../../src/sync/core/contacts/plan';
import type { ContactPlanInput } from '../../../src/sync/core/contacts/types';
import {
  brakeFor,
  confirmationOf,
  massDeleteHold,
  mergeConfirmations,
  type BrakeInput,
  type MassDeleteConfirmation,
} from '../../../src/sync/core/plan/brake';
import { plan } from '../../../src/sync/core/plan/planner';
import type { Brake, Operation } from '../../../src/sync/core/plan/types';
import {
  contactInput as contactPlanInput,
  contactLink,
  contactSettings,
  crmContact,
  input,
  item,
  link,
  person,
  settings,
} from '../../support/planFixtures';

const ops = (operations: readonly { readonly op: string }[]) => operations.map((o) => o.op);
const count = (operations: readonly { readonly op: string }[], op: string) =>
  operations.filter((o) => o.op === op).length;

const links = Array.from({ length: 12 }, (_, i) =>
  link(`o${i}`, `c${i}`, item({ subject: `S${i}` })),
);
const outlookIds = links.map((l) => l.outlookId);
/** Outlook lists nothing in a full listing, and every linked event reads back as gone. */
const outlookEmptied = (confirmed: MassDeleteConfirmation) =>
  input({
    links,
    outlookIsFullListing: true,
    outlookDeleted: outlookIds,
    massDeleteConfirmed: confirmed,
  });

describe('SPEC D3 (issue 15): the side-empty brake of activities can be confirmed', () => {
  const braked = plan(outlookEmptied(false), settings);

  it('D3: a side-empty brake names the items it holds and holds the whole plan', () => {
    expect(braked.brake).toEqual({
      kind: 'sideEmpty',
      side: 'outlook',
      linked: 12,
      ids: outlookIds,
    });
    expect(braked.operations).toEqual([]);
    expect(count(braked.held, 'cancelInCrm')).toBe(12);
  });

  it('D3: confirming that side and the items shown lets the run go ahead', () => {
    const confirmed = plan(outlookEmptied(confirmationOf([braked.brake as Brake])), settings);
    expect(confirmed.brake).toBeNull();
    expect(count(confirmed.operations, 'cancelInCrm')).toBe(12);
  });

  it('D3: a confirmation of the other side does not confirm this one; of this side it does', () => {
    const other = [{ items: 'calendar' as const, ids: outlookIds, sideEmpty: 'crm' as const }];
    expect(plan(outlookEmptied(other), settings).brake).toMatchObject({ kind: 'sideEmpty' });
    const mine = [{ ...other[0]!, sideEmpty: 'outlook' as const }];
    expect(plan(outlookEmptied(mine), settings).brake).toBeNull();
  });

  it('D3: bare ids (a mass-delete confirmation) do not confirm a side-empty brake; its own does', () => {
    expect(plan(outlookEmptied(outlookIds), settings).brake).toMatchObject({ kind: 'sideEmpty' });
    const own = confirmationOf([braked.brake as Brake]);
    expect(plan(outlookEmptied([...outlookIds, ...own]), settings).brake).toBeNull();
  });

  it("D3: a confirmation of contacts does not confirm the calendar's side-empty brake", () => {
    const contacts = [
      { items: 'contacts' as const, ids: outlookIds, sideEmpty: 'outlook' as const },
    ];
    expect(plan(outlookEmptied(contacts), settings).brake).toMatchObject({ kind: 'sideEmpty' });
    const calendar = [{ ...contacts[0]!, items: 'calendar' as const }];
    expect(plan(outlookEmptied(calendar), settings).brake).toBeNull();
  });

  it('D3: an item not shown trips the side-empty brake again, and it lists every item', () => {
    const shown = confirmationOf([
      { kind: 'sideEmpty', side: 'outlook', linked: 12, ids: outlookIds.slice(0, 11) },
    ]);
    const again = plan(outlookEmptied(shown), settings);
    expect(again.brake).toEqual({
      kind: 'sideEmpty',
      side: 'outlook',
      linked: 12,
      ids: outlookIds,
    });
    expect(again.operations).toEqual([]);
  });

  it('D3: an empty CRM listing with nothing to delete can be confirmed too', () => {
    const empty = (confirmed: MassDeleteConfirmation) =>
      input({ links, crmIsFullListing: true, massDeleteConfirmed: confirmed });
    const first = plan(empty(false), settings);
    expect(first.brake).toEqual({ kind: 'sideEmpty', side: 'crm', linked: 12, ids: [] });
    expect(plan(empty(confirmationOf([first.brake as Brake])), settings).brake).toBeNull();
  });
});

const contactLinks = Array.from({ length: 10 }, (_, i) =>
  contactLink(`ko${i}`, `kc${i}`, person({ firstName: `P${i}` })),
);
const contactInput = (o: Partial<ContactPlanInput>) =>
  contactPlanInput({ links: contactLinks, ...o });
const twoWay = contactSettings;

describe('SPEC D3, K2 (issue 15): the side-empty brake of contacts can be confirmed', () => {
  /** The CRM lists no contact in a full listing; every linked one reads back as gone. */
  const crmEmptied = (confirmed: MassDeleteConfirmation) =>
    contactInput({
      crmIsFullListing: true,
      crmDeleted: contactLinks.map((l) => l.crmId),
      massDeleteConfirmed: confirmed,
    });
  const ids = contactLinks.map((l) => l.outlookId);

  it('D3, K2: an empty CRM contact listing brakes with the contacts it would delete', () => {
    const braked = planContacts(crmEmptied(false), twoWay);
    expect(braked.brake).toEqual({
      kind: 'sideEmpty',
      side: 'crm',
      linked: 10,
      ids,
      items: 'contacts',
    });
    expect(braked.operations).toEqual([]);
    expect(count(braked.held, 'contactDeleteInOutlook')).toBe(10);
  });

  it('D3, K2: confirming that side and those contacts deletes them', () => {
    const braked = planContacts(crmEmptied(false), twoWay).brake as Brake;
    const confirmed = planContacts(crmEmptied(confirmationOf([braked])), twoWay);
    expect(confirmed.brake).toBeNull();
    expect(count(confirmed.operations, 'contactDeleteInOutlook')).toBe(10);
  });

  it("D3, K2: the calendar's side-empty confirmation does not confirm contacts", () => {
    const calendar = [{ items: 'calendar' as const, ids, sideEmpty: 'crm' as const }];
    expect(planContacts(crmEmptied(calendar), twoWay).brake).toMatchObject({ kind: 'sideEmpty' });
    const contacts = [{ ...calendar[0]!, items: 'contacts' as const }];
    expect(planContacts(crmEmptied(contacts), twoWay).brake).toBeNull();
  });

  it('D3, K2: a mass-delete brake of contacts holds its contacts and lets the rest through', () => {
    const archived = contactLinks.map((l) => l.outlookId);
    const result = planContacts(
      contactInput({
        outlookDeleted: archived,
        crmChanged: [crmContact('new', { firstName: 'New', email: 'new@x.example' })],
      }),
      twoWay,
    );
    expect(result.brake).toMatchObject({ kind: 'massDelete', ids: archived, items: 'contacts' });
    expect(ops(result.operations)).toEqual(['contactCreateInOutlook']);
    expect(count(result.held, 'contactArchiveInCrm')).toBe(10);
  });
});

describe('SPEC D3, D4 (issue 15 review): a loser counts only on a pair linked before the run', () => {
  const base: Omit<BrakeInput, 'overwrites'> = {
    items: 'calendar',
    known: Array.from({ length: 20 }, (_, i) => `k${i}`),
    deletions: [],
    listedNothing: { outlook: false, crm: false },
    confirmed: false,
    recent: 0,
  };

  it("D3: overwrites of pairs this run links for the first time are nobody's synced value", () => {
    const fresh = Array.from({ length: 12 }, (_, i) => `new${i}`);
    expect(massDeleteHold({ ...base, overwrites: fresh })).toBeNull();
    // The same twelve on pairs linked before the run are twelve people's values.
    const known = [...base.known, ...fresh];
    expect(massDeleteHold({ ...base, known, overwrites: fresh })).toEqual(fresh);
  });

  it('D3: overwrites of known pairs count, each item once with its deletion', () => {
    const known = base.known.slice(0, 10);
    expect(massDeleteHold({ ...base, overwrites: known, deletions: known })).toEqual(known);
    expect(brakeFor({ ...base, overwrites: known })).toEqual({
      kind: 'massDelete',
      destructive: 10,
      linked: 20,
      ids: known,
    });
  });
});

describe('SPEC D3 (issue 15): a confirmation names what it allows', () => {
  it('D3: confirmationOf names each brake by kind, items and side — never a blanket true', () => {
    const brakes: Brake[] = [
      { kind: 'sideEmpty', side: 'outlook', linked: 12, ids: ['o1'] },
      { kind: 'massDelete', destructive: 10, linked: 20, ids: ['k1'], items: 'contacts' },
    ];
    expect(confirmationOf(brakes)).toEqual([
      { items: 'calendar', ids: ['o1'], sideEmpty: 'outlook' },
      { items: 'contacts', ids: ['k1'] },
    ]);
  });

  it('D3: two confirmations allow what either allowed', () => {
    const a = [{ items: 'calendar' as const, ids: ['o1'], sideEmpty: 'outlook' as const }];
    expect(mergeConfirmations(a, ['o2'])).toEqual([...a, 'o2']);
    expect(mergeConfirmations(undefined, false)).toBe(false);
    expect(mergeConfirmations(a, true)).toBe(true);
  });

  it('D3: the planner keeps what a mass-delete brake held, for the engine to read again', () => {
    const many = input({ links, crmDeleted: links.slice(0, 10).map((l) => l.crmId) });
    const result = plan(many, settings);
    expect(result.brake).toMatchObject({ kind: 'massDelete' });
    expect(result.held.map((op: Operation) => op.op)).toEqual(
      Array.from({ length: 10 }, () => 'deleteInOutlook'),
    );
  });
});
