/**
 * CRM activity (docs/crm-sync-api.yaml `Activity`) ⇄ the canonical CalendarItem + CrmOnlyFields.
 * Pure functions: no I/O. SPEC F1 fields, F4/F5 participants, R1 recurrence, F2 CRM-only links.
 */
import type { CrmActivity, CrmActivityInput } from '../sync/ports';
import type { CalendarItem, ItemTime, ShowAs } from '../sync/core/model';
import type { components } from './generated/crm-sync-api';
import type { ApiActivity } from './schemas';
import { participantFromApi, participantsToApi } from './participantMapping';

type Schemas = components['schemas'];
export type ActivityCreateBody = Schemas['ActivityCreate'];
export type ActivityPatchBody = Schemas['ActivityPatch'];
type ApiShowAs = Schemas['Activity']['showAs'];
type Overrides = NonNullable<Schemas['RecurrenceInput']['overrides']>;

/** `2026-11-25T07:00:00.000Z` or `…+02:00` → `2026-11-25T07:00:00Z` (model Instant). */
export function toInstant(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function timeFromApi(a: ApiActivity): ItemTime {
  return a.allDay
    ? { kind: 'allDay', startDate: a.start, endDate: a.end, timeZone: a.timeZone }
    : { kind: 'timed', start: toInstant(a.start), end: toInstant(a.end), timeZone: a.timeZone };
}

export function itemFromApi(a: ApiActivity): CalendarItem {
  return {
    subject: a.subject,
    time: timeFromApi(a),
    location: a.location ?? '',
    description: a.description,
    isPrivate: a.private,
    showAs: a.showAs,
    reminderMinutes: a.reminderMinutesBeforeStart,
    participants: a.participants.map(participantFromApi),
    recurrence: a.recurrence ? { rrule: a.recurrence.rrule, exdates: a.recurrence.exdates } : null,
    // The CRM keeps changed occurrences inside the series (overrides), never as activities.
    occurrenceOf: null,
    isCancelled: a.cancelled,
  };
}

export function activityFromApi(a: ApiActivity): CrmActivity {
  return {
    id: a.id,
    etag: a.etag,
    item: itemFromApi(a),
    crm: {
      typeId: a.typeId,
      relations: { ...a.relations },
      completed: a.completed,
      ownerId: a.ownerId,
    },
    cancelled: a.cancelled,
    outlookLinks: a.outlookLinks.map((l) => ({ mailbox: l.mailbox, eventId: l.eventId })),
    lastModified: toInstant(a.updatedAt),
  };
}

// The CRM has no "unknown" free/busy value; Outlook shows unknown items as busy.
const showAsToApi = (s: ShowAs): ApiShowAs => (s === 'unknown' ? 'busy' : s);

/** The synced fields (SPEC F1, F4, R1) as the contract writes them. */
function syncedFields(item: CalendarItem, overrides: Overrides) {
  const t = item.time;
  return {
    subject: item.subject,
    description: item.description,
    allDay: t.kind === 'allDay',
    start: t.kind === 'allDay' ? t.startDate : t.start,
    end: t.kind === 'allDay' ? t.endDate : t.end,
    timeZone: t.timeZone,
    location: item.location === '' ? null : item.location,
    private: item.isPrivate,
    showAs: showAsToApi(item.showAs),
    reminderMinutesBeforeStart: item.reminderMinutes,
    participants: participantsToApi(item.participants),
    recurrence: item.recurrence
      ? { rrule: item.recurrence.rrule, exdates: [...item.recurrence.exdates], overrides }
      : null,
  };
}

export function toCreateBody(input: CrmActivityInput): ActivityCreateBody {
  return {
    ...syncedFields(input.item, {}),
    typeId: input.typeId,
    ...(input.relations ? { relations: { ...input.relations } } : {}),
    ...(input.outlookLink ? { outlookLink: { ...input.outlookLink } } : {}),
  };
}

/**
 * PATCH body: every synced field, no CRM-only field (SPEC F2). `keepOverrides` are the series'
 * changed occurrences, which PATCH would otherwise drop (it replaces `recurrence` whole).
 */
export function toPatchBody(item: CalendarItem, keepOverrides: Overrides = {}): ActivityPatchBody {
  const exdates = new Set(item.recurrence?.exdates ?? []);
  const overrides = Object.fromEntries(
    Object.entries(keepOverrides).filter(([id]) => !exdates.has(id)),
  );
  return syncedFields(item, overrides);
}
