import fc from 'fast-check';
import { itemHash, stableStringify } from '../../../src/sync/core/hash';
import {
  mergeItems,
  SYNCED_FIELDS,
  withFields,
  type ConflictPolicy,
} from '../../../src/sync/core/merge';
import type { CalendarItem } from '../../../src/sync/core/model';
import { normaliseItem } from '../../../src/sync/core/normalise';
import { calendarItem } from '../../support/arbitraries';

const base: CalendarItem = {
  subject: 'Steering group',
  time: {
    kind: 'timed',
    start: '2026-11-25T07:00:00Z',
    end: '2026-11-25T08:00:00Z',
    timeZone: 'Europe/Helsinki',
  },
  location: 'Room 1',
  description: 'Agenda',
  isPrivate: false,
  showAs: 'busy',
  reminderMinutes: 15,
  participants: [{ kind: 'user', email: 'ben@contoso.example', optional: false }],
  recurrence: null,
  occurrenceOf: null,
  isCancelled: false,
};

function merge(outlook: CalendarItem, crm: CalendarItem, policy: ConflictPolicy = 'newest-wins') {
  return mergeItems({
    outlookBase: base,
    crmBase: base,
    outlook,
    crm,
    outlookModified: '2026-11-22T10:00:00Z',
    crmModified: '2026-11-22T11:00:00Z',
    policy,
  });
}

describe('hash: "changed" means the content changed', () => {
  it('ignores what carries no meaning: CRLF, trailing blanks, address case, attendee order', () => {
    const spelledOtherwise: CalendarItem = {
      ...base,
      description: 'Agenda \r\n',
      time: { ...base.time, start: '2026-11-25T07:00:00.000Z' } as CalendarItem['time'],
      participants: [{ kind: 'user', email: 'Ben@Contoso.example', optional: false }],
    };
    expect(itemHash(spelledOtherwise)).toBe(itemHash(base));
  });

  it('sees every synced field', () => {
    expect(itemHash({ ...base, subject: 'Other' })).not.toBe(itemHash(base));
    expect(itemHash({ ...base, reminderMinutes: null })).not.toBe(itemHash(base));
    expect(itemHash({ ...base, isPrivate: true })).not.toBe(itemHash(base));
  });

  it('stableStringify does not depend on key order', () => {
    expect(stableStringify({ a: 1, b: [2, { d: 3, c: 4 }] })).toBe(
      stableStringify({ b: [2, { c: 4, d: 3 }], a: 1 }),
    );
  });
});

describe('3-way merge', () => {
  it('nothing changed: no writes', () => {
    expect(merge(base, base)).toMatchObject({ toCrm: [], toOutlook: [] });
  });

  it('one side changed a field: only the other side takes it', () => {
    expect(merge({ ...base, subject: 'Moved to Friday' }, base)).toMatchObject({
      toCrm: ['subject'],
      toOutlook: [],
      conflicts: [],
    });
  });

  it('each side changed a different field: both changes reach the other side', () => {
    const result = merge({ ...base, subject: 'New title' }, { ...base, location: 'Room 2' });
    expect(result).toMatchObject({ toCrm: ['subject'], toOutlook: ['location'], lost: [] });
  });

  it('both changed a field the same way: nothing to write', () => {
    expect(merge({ ...base, subject: 'Same' }, { ...base, subject: 'Same' })).toMatchObject({
      toCrm: [],
      toOutlook: [],
    });
  });

  it('a side that spells a field its own way (its own base) has not edited it', () => {
    const outlookBase = { ...base, participants: [] }; // Outlook holds no CRM contact people
    const result = mergeItems({
      outlookBase,
      crmBase: base,
      outlook: { ...outlookBase, subject: 'Renamed in Outlook' },
      crm: base,
      outlookModified: '2026-11-22T10:00:00Z',
      crmModified: '2026-11-22T09:00:00Z',
      policy: 'newest-wins',
    });
    expect(result).toMatchObject({ toCrm: ['subject'], toOutlook: [] });
  });

  it.each<[ConflictPolicy, 'outlook' | 'crm', string]>([
    ['newest-wins', 'crm', 'From Outlook'],
    ['outlook-wins', 'outlook', 'From CRM'],
    ['crm-wins', 'crm', 'From Outlook'],
  ])('SPEC D4: a conflict under %s keeps the loser for the trash', (policy, winner, loser) => {
    const result = merge(
      { ...base, subject: 'From Outlook' },
      { ...base, subject: 'From CRM' },
      policy,
    );
    expect(result.conflicts).toEqual(['subject']);
    expect(winner === 'crm' ? result.toOutlook : result.toCrm).toEqual(['subject']);
    expect(result.lost).toEqual([
      { field: 'subject', side: winner === 'crm' ? 'outlook' : 'crm', value: loser },
    ]);
  });

  it('property: no edit is lost, and applying the merge converges', () => {
    fc.assert(
      fc.property(calendarItem, calendarItem, calendarItem, (b, o, c) => {
        const result = mergeItems({
          outlookBase: b,
          crmBase: b,
          outlook: o,
          crm: c,
          outlookModified: '2026-01-01T00:00:00Z',
          crmModified: '2026-01-02T00:00:00Z',
          policy: 'newest-wins',
        });
        const o2 = withFields(o, c, result.toOutlook);
        const c2 = withFields(c, o, result.toCrm);
        const [nb, no, nc, no2, nc2] = [b, o, c, o2, c2].map(normaliseItem) as CalendarItem[];
        for (const field of SYNCED_FIELDS) {
          const s = (item: CalendarItem | undefined) => stableStringify(item?.[field]);
          // Both sides agree after the writes.
          expect(s(no2)).toBe(s(nc2));
          for (const [side, edited] of [
            ['outlook', no],
            ['crm', nc],
          ] as const) {
            if (s(edited) === s(nb)) continue; // not an edit
            const kept = s(no2) === s(edited);
            const trashed = result.lost.some(
              (l) => l.field === field && l.side === side && stableStringify(l.value) === s(edited),
            );
            expect(kept || trashed).toBe(true);
          }
        }
        const again = mergeItems({
          outlookBase: o2,
          crmBase: c2,
          outlook: o2,
          crm: c2,
          outlookModified: '2026-01-03T00:00:00Z',
          crmModified: '2026-01-03T00:00:00Z',
          policy: 'newest-wins',
        });
        expect(again).toMatchObject({ toCrm: [], toOutlook: [] });
      }),
      { numRuns: 500 },
    );
  });
});
