/**
 * CRM activity (docs/crm-sync-api.yaml `Activity`) ⇄ the canonical CalendarItem + CrmOnlyFields.
 * Pure functions: no I/O. SPEC F1 fields, F4/F5 participants, R1 recurrence, F2 CRM-only links.
 */
import type { CrmActivity, CrmActivityInput } from '../sync/ports';
import type {
  CalendarItem,
  ItemTime,
  OccurrenceChange,
  Recurrence,
  ShowAs,
} from '../sync/core/model';
import { isIanaZone } from '../sync/core/time/zoned';
import type { components } from './generated/crm-sync-api';
import type { ApiActivity } from './schemas';
import { participantFromApi, participantsToApi } from './participantMapping';

type Schemas = components['schemas'];
export type ActivityCreateBody = Schemas['ActivityCreate'];
export type ActivityPatchBody = Schemas['ActivityPatch'];
type ApiShowAs = Schemas['Activity']['showAs'];
type Overrides = NonNullable<Schemas['RecurrenceInput']['overrides']>;
type ApiOverride = Schemas['OccurrenceOverride'];

/** `2026-11-25T07:00:00.000Z` or `…+02:00` → `2026-11-25T07:00:00Z` (model Instant). */
export function toInstant(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function timeFromApi(a: ApiActivity): ItemTime {
  // Issue 14: a zone this runtime does not know (the contract checks only that there is one).
  // A single item's times are instants or dates, so it syncs in UTC; a series keeps the zone its
  // occurrences' wall-clock times need, and the engine sets it aside (itemUnprocessable).
  const timeZone = a.recurrence || isIanaZone(a.timeZone) ? a.timeZone : 'UTC';
  return a.allDay
    ? { kind: 'allDay', startDate: a.start, endDate: a.end, timeZone }
    : { kind: 'timed', start: toInstant(a.start), end: toInstant(a.end), timeZone };
}

/** One CRM occurrence override → the model's change (a cancelled one is an EXDATE instead). */
function changeFromApi(o: ApiOverride, allDay: boolean): OccurrenceChange {
  const when = (v: string) => (allDay ? v.slice(0, 10) : toInstant(v));
  return {
    ...(o.subject !== undefined ? { subject: o.subject } : {}),
    ...(o.location !== undefined ? { location: o.location ?? '' } : {}),
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(o.start !== undefined ? { start: when(o.start) } : {}),
    ...(o.end !== undefined ? { end: when(o.end) } : {}),
    ...(o.showAs !== undefined ? { showAs: o.showAs } : {}),
    ...(o.reminderMinutesBeforeStart !== undefined
      ? { reminderMinutes: o.reminderMinutesBeforeStart }
      : {}),
  };
}

/**
 * SPEC R1: the CRM keeps changed occurrences inside the series (overrides) and cancels one either
 * by EXDATE or by an override with `cancelled: true`; the model has one way for each.
 */
function recurrenceFromApi(a: ApiActivity): Recurrence | null {
  if (!a.recurrence) return null;
  const exdates = new Set(a.recurrence.exdates);
  const overrides: Record<string, OccurrenceChange> = {};
  for (const [id, o] of Object.entries(a.recurrence.overrides)) {
    if (o.cancelled) exdates.add(id);
    else overrides[id] = changeFromApi(o, a.allDay);
  }
  const changed = Object.keys(overrides).length > 0;
  return { rrule: a.recurrence.rrule, exdates: [...exdates], ...(changed ? { overrides } : {}) };
}

function changeToApi(change: OccurrenceChange): ApiOverride {
  return {
    ...(change.subject !== undefined ? { subject: change.subject } : {}),
    ...(change.location !== undefined
      ? { location: change.location === '' ? null : change.location }
      : {}),
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.start !== undefined ? { start: change.start } : {}),
    ...(change.end !== undefined ? { end: change.end } : {}),
    ...(change.showAs !== undefined ? { showAs: showAsToApi(change.showAs) } : {}),
    ...(change.reminderMinutes !== undefined
      ? { reminderMinutesBeforeStart: change.reminderMinutes }
      : {}),
  };
}

function overridesToApi(r: Recurrence): Overrides {
  return Object.fromEntries(
    Object.entries(r.overrides ?? {}).map(([id, change]) => [id, changeToApi(change)]),
  );
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
    recurrence: recurrenceFromApi(a),
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
function syncedFields(item: CalendarItem) {
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
      ? {
          rrule: item.recurrence.rrule,
          exdates: [...item.recurrence.exdates],
          overrides: overridesToApi(item.recurrence),
        }
      : null,
  };
}

export function toCreateBody(input: CrmActivityInput): ActivityCreateBody {
  return {
    ...syncedFields(input.item),
    typeId: input.typeId,
    ...(input.relations ? { relations: { ...input.relations } } : {}),
    ...(input.outlookLink ? { outlookLink: { ...input.outlookLink } } : {}),
  };
}

/**
 * PATCH body: every synced field, no CRM-only field (SPEC F2). It replaces `recurrence` whole:
 * the item's series carries every exception the CRM holds (the merge applies edits to the CRM's
 * own value — mergeSeries.ts), so none is dropped.
 */
export function toPatchBody(item: CalendarItem): ActivityPatchBody {
  return syncedFields(item);
}
