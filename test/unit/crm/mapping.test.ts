/** mapping.ts details the F1 table does not reach: F4 participant rules, showAs, R1 overrides. */
import { toCreateBody, toInstant, toPatchBody } from '../../../src/crm/mapping';
import { participantsToApi } from '../../../src/crm/participantMapping';
import { sampleItem } from '../../contract/crmActivities.contract';

describe('CRM mapping', () => {
  it('normalises instants to seconds in UTC', () => {
    expect(toInstant('2026-03-10T09:00:00.000+02:00')).toBe('2026-03-10T07:00:00Z');
  });

  it('Outlook "unknown" free/busy is written as busy; an empty location as null', () => {
    const body = toCreateBody({
      item: sampleItem({ showAs: 'unknown', location: '' }),
      typeId: 't',
    });
    expect(body).toMatchObject({ showAs: 'busy', location: null });
  });

  it('SPEC F4: people without a CRM id are external by address; nameless, addressless ones are left out', () => {
    expect(
      participantsToApi([
        { kind: 'resource', email: 'room@contoso.example', name: 'Room', optional: false },
        { kind: 'user', name: 'No address, no id', optional: false },
        { kind: 'external', email: 'x@y.example', name: '<b>bold</b>', optional: true },
        { kind: 'external', email: 'X@y.example', optional: false },
      ]),
    ).toEqual([
      { kind: 'external', email: 'room@contoso.example', name: 'Room', optional: false },
      { kind: 'external', email: 'x@y.example', optional: true },
    ]);
  });

  it('SPEC R1: a series update keeps the changed occurrences that are not excluded', () => {
    const item = sampleItem({
      recurrence: { rrule: 'FREQ=DAILY;COUNT=5', exdates: ['2026-03-12T09:00:00'] },
    });
    const patch = toPatchBody(item, {
      '2026-03-11T09:00:00': { subject: 'Moved' },
      '2026-03-12T09:00:00': { subject: 'Now excluded' },
    });
    expect(patch.recurrence?.overrides).toEqual({ '2026-03-11T09:00:00': { subject: 'Moved' } });
  });
});
