/**
 * SPEC F1: every synced field survives CalendarItem → CRM body → CRM activity → CalendarItem.
 * The "CRM" here stores the create body as the contract says a CRM does (UTC instants, null for
 * no location, resolved participants); the integration variant runs the same table on the
 * reference server.
 */
import { itemFromApi, toCreateBody, type ActivityCreateBody } from '../../../src/crm/mapping';
import { ActivitySchema, type ApiActivity } from '../../../src/crm/schemas';
import { F1_CASES } from './f1Cases';

function store(body: ActivityCreateBody): ApiActivity {
  const utc = (v: string) => new Date(Date.parse(v)).toISOString();
  const allDay = body.allDay ?? false;
  return ActivitySchema.parse({
    id: 'act_1',
    etag: '"1"',
    version: 1,
    subject: body.subject,
    description: body.description ?? '',
    allDay,
    start: allDay ? body.start : utc(body.start),
    end: allDay ? body.end : utc(body.end),
    timeZone: body.timeZone,
    location: body.location ?? null,
    private: body.private ?? false,
    showAs: body.showAs ?? 'busy',
    reminderMinutesBeforeStart: body.reminderMinutesBeforeStart ?? null,
    typeId: body.typeId,
    completed: false,
    cancelled: false,
    ownerId: 'usr_anna',
    participants: (body.participants ?? []).map((p) => ({
      name: null,
      email: null,
      ...p,
      optional: p.optional ?? false,
    })),
    recurrence: body.recurrence
      ? { rrule: body.recurrence.rrule, exdates: body.recurrence.exdates ?? [], overrides: {} }
      : null,
    relations: { customerId: null, projectId: null, salesCaseId: null },
    outlookLinks: [],
    createdAt: '2026-03-04T10:00:00.000Z',
    updatedAt: '2026-03-04T10:00:00.000Z',
  });
}

describe('SPEC F1 round trip through the mapping', () => {
  it.each(F1_CASES)('%s', (_name, item) => {
    const body = toCreateBody({ item, typeId: 'typ_meeting' });
    expect(itemFromApi(store(body))).toEqual(item);
  });

  it('writes no CRM-only field on update (SPEC F2)', () => {
    const { toPatchBody } = jest.requireActual<typeof import('../../../src/crm/mapping')>(
      '../../../src/crm/mapping',
    );
    const patch = toPatchBody(F1_CASES[0]![1]);
    expect(Object.keys(patch)).not.toEqual(expect.arrayContaining(['typeId']));
    for (const k of ['typeId', 'completed', 'relations']) expect(patch).not.toHaveProperty(k);
  });
});
