/** The pure contact core (SPEC K2, K3): the record merge, the planner's K2 semantics, the finder. */
import { findDuplicates, mergeInto } from '../../../src/sync/core/contacts/duplicates';
import type { ContactItem } from '../../../src/sync/core/contacts/model';
import { CONTACT_FIELDS } from '../../../src/sync/core/contacts/model';
import { planContacts } from '../../../src/sync/core/contacts/plan';
import type { ContactPlanInput, ContactSettings } from '../../../src/sync/core/contacts/types';
import { mergeRecord } from '../../../src/sync/core/mergeRecord';
import {
  contactInput as input,
  contactLink as link,
  contactSettings,
  crmContact as crm,
  outlookContact as outlook,
  person,
} from '../../support/planFixtures';

const twoWay: ContactSettings = { ...contactSettings, addActivityContacts: true };
const oneWay: ContactSettings = { ...twoWay, mode: 'crmToOutlook' };
const ops = (i: ContactPlanInput, s: ContactSettings) =>
  planContacts(i, s).operations.map((op) => op.op);

describe('mergeRecord: the per-field 3-way merge with a base per side', () => {
  const base = person();
  it.each([
    ['one side edited → the other takes it', { title: 'CEO' }, {}, ['title'], [], []],
    ['both edited alike → bases move only', { title: 'CEO' }, { title: 'CEO' }, [], [], ['title']],
    [
      'both edited differently → newest (Outlook here) wins, CRM value lost',
      { title: 'CEO' },
      { title: 'CTO' },
      ['title'],
      [],
      [],
    ],
    ['CRM edited → Outlook takes it', {}, { phone: '+358 1' }, [], ['phone'], []],
  ])('%s', (_, o, c, toCrm, toOutlook, agreed) => {
    const r = mergeRecord<ContactItem>({
      fields: CONTACT_FIELDS,
      outlookBase: base,
      crmBase: base,
      outlook: person(o),
      crm: person(c),
      outlookModified: '2026-11-22T10:00:00Z',
      crmModified: '2026-11-22T09:00:00Z',
      policy: 'newest-wins',
    });
    expect([r.toCrm, r.toOutlook, r.agreed]).toEqual([toCrm, toOutlook, agreed]);
  });
  it('keeps the loser of a conflict for the trash (SPEC D4)', () => {
    const r = mergeRecord<ContactItem>({
      fields: CONTACT_FIELDS,
      outlookBase: base,
      crmBase: base,
      outlook: person({ title: 'CEO' }),
      crm: person({ title: 'CTO' }),
      outlookModified: '2026-11-22T08:00:00Z',
      crmModified: '2026-11-22T09:00:00Z',
      policy: 'newest-wins',
    });
    expect(r.lost).toEqual([{ field: 'title', side: 'outlook', value: 'CEO' }]);
  });
  it('a side spelling a field its own way is no edit (two bases)', () => {
    const r = mergeRecord<ContactItem>({
      fields: CONTACT_FIELDS,
      outlookBase: person({ phone: '+358 1' }),
      crmBase: person({ phone: '+3581' }),
      outlook: person({ phone: '+358 1' }),
      crm: person({ phone: '+3581' }),
      outlookModified: '2026-11-22T08:00:00Z',
      crmModified: '2026-11-22T09:00:00Z',
      policy: 'newest-wins',
    });
    expect([r.toCrm, r.toOutlook]).toEqual([[], []]);
  });
});

describe('planContacts: SPEC K2 delete semantics', () => {
  it('K2: deleted in Outlook → archived in the CRM (two-way)', () => {
    expect(ops(input({ links: [link()], outlookDeleted: ['o1'] }), twoWay)).toEqual([
      'contactArchiveInCrm',
    ]);
  });
  it('K2: deleted in Outlook under one-way → the CRM is not written; set aside', () => {
    const plan = planContacts(input({ links: [link()], outlookDeleted: ['o1'] }), oneWay);
    expect(plan.operations).toEqual([{ op: 'contactUnlink', link: link(), reason: 'setAside' }]);
  });
  it.each([
    ['deleted', { crmDeleted: ['c1'] }],
    ['archived', { crmChanged: [crm('c1', {}, { archived: true })] }],
  ])('K2: %s in the CRM → deleted in Outlook (both settings)', (_, change) => {
    for (const s of [twoWay, oneWay]) {
      expect(ops(input({ links: [link()], ...change }), s)).toEqual(['contactDeleteInOutlook']);
    }
  });
  it('deleted on both sides → unlinked, nothing written', () => {
    expect(
      ops(input({ links: [link()], outlookDeleted: ['o1'], crmDeleted: ['c1'] }), twoWay),
    ).toEqual(['contactUnlink']);
  });
  it('a stamped copy whose CRM contact is gone before it was linked → deleted in Outlook', () => {
    expect(
      ops(input({ outlookChanged: [outlook('o1', {}, 'c1')], crmDeleted: ['c1'] }), twoWay),
    ).toEqual(['contactDeleteInOutlook']);
  });
  it('D3: the brake stops a run that would delete many linked contacts', () => {
    const links = Array.from({ length: 20 }, (_, i) => link(`o${i}`, `c${i}`));
    const plan = planContacts(input({ links, crmDeleted: links.map((l) => l.crmId) }), twoWay);
    expect(plan.brake).toEqual({
      kind: 'massDelete',
      destructive: 20,
      linked: 20,
      ids: links.map((l) => l.outlookId),
      items: 'contacts',
    });
    expect(plan.operations).toEqual([]);
  });
  it('D3: a full listing of an empty CRM with links present stops everything', () => {
    const links = Array.from({ length: 10 }, (_, i) => link(`o${i}`, `c${i}`));
    const plan = planContacts(input({ links, crmIsFullListing: true }), twoWay);
    expect(plan.brake?.kind).toBe('sideEmpty');
  });
});

describe('planContacts: scope, relink, match, create (SPEC K1, K2, M1, M2)', () => {
  it('K2: CRM → Outlook takes only the contacts marked for this person', () => {
    const plan = planContacts(
      input({
        crmChanged: [crm('c1'), crm('c2', { email: 'b@x.example' }, { markedForMe: false })],
      }),
      twoWay,
    );
    expect(
      plan.operations.map((o) => (o.op === 'contactCreateInOutlook' ? o.crm.id : o.op)),
    ).toEqual(['c1']);
  });
  it('K1: an unmarked contact of a synced activity goes to the address book, even with sync off', () => {
    const unmarked = crm('c2', {}, { markedForMe: false });
    const s = { ...twoWay, mode: 'off' as const };
    expect(ops(input({ crmChanged: [unmarked], activityContactIds: new Set(['c2']) }), s)).toEqual([
      'contactCreateInOutlook',
    ]);
    expect(ops(input({ crmChanged: [unmarked] }), s)).toEqual([]);
  });
  it('K2: Outlook → CRM takes the Outlook contacts (two-way only)', () => {
    expect(ops(input({ outlookChanged: [outlook('o1')] }), twoWay)).toEqual(['contactCreateInCrm']);
    expect(ops(input({ outlookChanged: [outlook('o1')] }), oneWay)).toEqual([]);
  });
  it('M2: a stamp relinks before anything is created', () => {
    expect(
      ops(input({ outlookChanged: [outlook('o1', {}, 'c1')], crmChanged: [crm('c1')] }), twoWay),
    ).toEqual(['contactLink']);
  });
  it('M1: the same e-mail (any case) links instead of copying; differing fields are reconciled', () => {
    const plan = planContacts(
      input({
        outlookChanged: [outlook('o1', { email: 'AINO@customer.example', title: 'CEO' })],
        crmChanged: [crm('c1')],
      }),
      twoWay,
    );
    expect(plan.operations.map((o) => o.op)).toEqual(['contactLink', 'contactUpdate']);
  });
  it('one-way: Outlook edits are put back to the CRM value, the Outlook value kept for the trash', () => {
    const plan = planContacts(
      input({ links: [link()], outlookChanged: [outlook('o1', { title: 'CEO' }, 'c1')] }),
      oneWay,
    );
    expect(plan.operations).toEqual([
      expect.objectContaining({
        op: 'contactUpdate',
        toCrm: {},
        toOutlook: { title: null },
        lost: [{ field: 'title', side: 'outlook', value: 'CEO' }],
      }),
    ]);
  });
});

describe('findDuplicates (SPEC K3)', () => {
  const c = (id: string, o: Partial<ContactItem>, company: string | null = null) => ({
    id,
    item: person(o),
    company,
  });
  it.each([
    [
      'same e-mail, case aside',
      [c('a', {}), c('b', { email: 'Aino@Customer.example ' })],
      [['a', 'b']],
    ],
    [
      'same name and company, whitespace and case aside',
      [
        c('a', { email: null }, 'Acme'),
        c('b', { email: 'x@y.example', firstName: ' aino ' }, 'acme'),
      ],
      [['a', 'b']],
    ],
    [
      'same name, other company: not duplicates',
      [c('a', { email: null }, 'Acme'), c('b', { email: null }, 'Beta')],
      [],
    ],
    [
      'same name without a company: not duplicates',
      [c('a', { email: null }), c('b', { email: null })],
      [],
    ],
    [
      'chains join: a=b by e-mail, b=c by name and company',
      [
        c('a', {}, 'X'),
        c('b', { lastName: 'V' }, 'Acme'),
        c('c', { email: null, lastName: 'V' }, 'Acme'),
      ],
      [['a', 'b', 'c']],
    ],
  ])('%s', (_, candidates, groups) => {
    expect(findDuplicates(candidates).map((g) => g.ids)).toEqual(groups);
  });
  it('merge fills only the empty fields of the kept one, in order', () => {
    expect(
      mergeInto(person({ phone: null, title: 'CEO' }), [
        person({ phone: '+358 1', title: 'CTO' }),
        person({ phone: '+358 2' }),
      ]),
    ).toEqual(person({ phone: '+358 1', title: 'CEO' }));
  });
});
