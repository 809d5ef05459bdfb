import fc from 'fast-check';
import { itemHash, stableStringify } from '../../../src/sync/core/hash';
import { mergeItems, SYNCED_FIELDS, type ConflictPolicy } from '../../../src/sync/core/merge';
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
    base,
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
    const result = merge(base, base);
    expect(result.outlookNeedsUpdate || result.crmNeedsUpdate).toBe(false);
  });

  it('one side changed a field: take it and update only the other side', () => {
    const result = merge({ ...base, subject: 'Moved to Friday' }, base);
    expect(result.merged.subject).toBe('Moved to Friday');
    expect([result.outlookNeedsUpdate, result.crmNeedsUpdate]).toEqual([false, true]);
    expect(result.conflicts).toEqual([]);
  });

  it('each side changed a different field: both changes survive on both sides', () => {
    const result = merge({ ...base, subject: 'New title' }, { ...base, location: 'Room 2' });
    expect(result.merged).toMatchObject({ subject: 'New title', location: 'Room 2' });
    expect([result.outlookNeedsUpdate, result.crmNeedsUpdate]).toEqual([true, true]);
    expect(result.lost).toEqual([]);
  });

  it('both changed a field the same way: nothing to write', () => {
    const result = merge({ ...base, subject: 'Same' }, { ...base, subject: 'Same' });
    expect(result.outlookNeedsUpdate || result.crmNeedsUpdate).toBe(false);
  });

  it.each<[ConflictPolicy, string, string]>([
    ['newest-wins', 'From CRM', 'From Outlook'],
    ['outlook-wins', 'From Outlook', 'From CRM'],
    ['crm-wins', 'From CRM', 'From Outlook'],
  ])('SPEC D4: a conflict under %s keeps the loser for the trash', (policy, winner, loser) => {
    const result = merge(
      { ...base, subject: 'From Outlook' },
      { ...base, subject: 'From CRM' },
      policy,
    );
    expect(result.merged.subject).toBe(winner);
    expect(result.conflicts).toEqual(['subject']);
    expect(result.lost).toEqual([
      { field: 'subject', side: winner === 'From CRM' ? 'outlook' : 'crm', value: loser },
    ]);
  });

  it('property: no edit is lost — every field either merged or in the trash', () => {
    fc.assert(
      fc.property(calendarItem, calendarItem, calendarItem, (b, o, c) => {
        const result = mergeItems({
          base: b,
          outlook: o,
          crm: c,
          outlookModified: '2026-01-01T00:00:00Z',
          crmModified: '2026-01-02T00:00:00Z',
          policy: 'newest-wins',
        });
        const [nb, no, nc, nm] = [b, o, c, result.merged].map(normaliseItem) as [
          CalendarItem,
          CalendarItem,
          CalendarItem,
          CalendarItem,
        ];
        for (const field of SYNCED_FIELDS) {
          const s = (item: CalendarItem) => stableStringify(item[field]);
          for (const [side, edited] of [
            ['outlook', no],
            ['crm', nc],
          ] as const) {
            if (s(edited) === s(nb)) continue; // not an edit
            const kept = s(nm) === s(edited);
            const trashed = result.lost.some(
              (l) => l.field === field && l.side === side && stableStringify(l.value) === s(edited),
            );
            expect(kept || trashed).toBe(true);
          }
        }
        // Applying the merge to both sides converges: merging again changes nothing.
        const again = mergeItems({
          base: result.merged,
          outlook: result.merged,
          crm: result.merged,
          outlookModified: '2026-01-03T00:00:00Z',
          crmModified: '2026-01-03T00:00:00Z',
          policy: 'newest-wins',
        });
        expect(again.outlookNeedsUpdate || again.crmNeedsUpdate).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
