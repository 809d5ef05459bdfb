/** mapping.ts details the F1 table does not reach: F4 participant rules, showAs, R1 overrides. */
import { itemFromApi, toCreateBody, toInstant, toPatchBody } from '../../../src/crm/mapping';
import { ActivitySchema } from '../../../src/crm/schemas';
import { participantsToApi } from '../../../src/crm/participantMapping';
import { sampleItem } from '../../contract/crmActivities.contract';

/** An activity as the CRM answers it, from the create body of a sample item. */
function apiActivity() {
  return {
    ...toCreateBody({ item: sampleItem(), typeId: 't' }),
    id: 'a1',
    etag: '"1"',
    version: 1,
    completed: false,
    cancelled: false,
    ownerId: 'u1',
    relations: { customerId: null, projectId: null, salesCaseId: null },
    outlookLinks: [],
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
  };
}

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

  it('SPEC R1: a series carries its exceptions and cancellations to the CRM and back', () => {
    const item = sampleItem({
      recurrence: {
        rrule: 'FREQ=DAILY;COUNT=5',
        exdates: ['2026-03-12T09:00:00'],
        overrides: {
          '2026-03-11T09:00:00': { subject: 'Moved', location: '' },
          '2026-03-13T09:00:00': { start: '2026-03-13T10:00:00Z', end: '2026-03-13T11:00:00Z' },
        },
      },
    });
    const patch = toPatchBody(item);
    expect(patch.recurrence).toEqual({
      rrule: 'FREQ=DAILY;COUNT=5',
      exdates: ['2026-03-12T09:00:00'],
      overrides: {
        '2026-03-11T09:00:00': { subject: 'Moved', location: null },
        '2026-03-13T09:00:00': { start: '2026-03-13T10:00:00Z', end: '2026-03-13T11:00:00Z' },
      },
    });
  });

  it('SPEC R1: an override that cancels an occurrence is read as an EXDATE', () => {
    const a = ActivitySchema.parse({
      ...apiActivity(),
      recurrence: {
        rrule: 'FREQ=WEEKLY;BYDAY=MO',
        exdates: ['2026-03-02T09:00:00'],
        overrides: {
          '2026-03-09T09:00:00': { cancelled: true },
          '2026-03-16T09:00:00': { subject: 'Later', start: '2026-03-16T10:00:00+02:00' },
        },
      },
    });
    expect(itemFromApi(a).recurrence).toEqual({
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      exdates: ['2026-03-02T09:00:00', '2026-03-09T09:00:00'],
      overrides: { '2026-03-16T09:00:00': { subject: 'Later', start: '2026-03-16T08:00:00Z' } },
    });
  });
});
