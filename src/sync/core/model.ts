/**
 * The canonical calendar item both sides map into (ARCHITECTURE.md). Pure data: no
 * classes, no Dates — strings a test can write by hand and a hash can be taken of.
 *
 * Times are instants plus the IANA zone the item was made in, so "09:00 in Helsinki" survives a
 * trip through a side that stores UTC (SPEC F1). All-day items are dates, never instants.
 */

/** An instant, ISO 8601 in UTC with seconds: `2026-11-25T07:00:00Z`. */
export type Instant = string;
/** A calendar date: `2026-11-25`. */
export type PlainDate = string;
/** A wall-clock date-time without zone: `2026-11-25T09:00:00` (the zone is the item's). */
export type LocalDateTime = string;
/** An IANA time-zone name: `Europe/Helsinki`. */
export type IanaZone = string;

export type ItemTime =
  | {
      readonly kind: 'timed';
      readonly start: Instant;
      readonly end: Instant;
      readonly timeZone: IanaZone;
    }
  | {
      readonly kind: 'allDay';
      readonly startDate: PlainDate;
      /** Exclusive, as in both Graph and RFC 5545: a one-day item ends the next day. */
      readonly endDate: PlainDate;
      readonly timeZone: IanaZone;
    };

/** Outlook's free/busy values; the CRM contract uses the same names (SPEC F1). */
export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

/** SPEC F4: CRM users, the customer's contact people, resources, everyone else. */
export type ParticipantKind = 'user' | 'contact' | 'resource' | 'external';

export interface Participant {
  readonly kind: ParticipantKind;
  /** Lower-cased e-mail address; absent only for CRM people without one. */
  readonly email?: string;
  readonly name?: string;
  /** The CRM's id for users, contacts and resources. */
  readonly crmId?: string;
  /** SPEC F5: optional attendees stay optional. */
  readonly optional: boolean;
}

/**
 * One occurrence of a series, named by its original start as wall time in the series' zone
 * (`2026-11-25T09:00:00`), or by its date for all-day series — RFC 5545's RECURRENCE-ID;TZID=…,
 * and the CRM contract's recurrence id.
 */
export type RecurrenceId = LocalDateTime | PlainDate;

/**
 * What one occurrence changed from its series (an exception, SPEC R1). Only what differs is
 * present; `start` and `end` come together when the occurrence was moved (instants for timed
 * series, dates for all-day ones).
 */
export interface OccurrenceChange {
  readonly subject?: string;
  readonly location?: string;
  readonly description?: string;
  readonly start?: Instant | PlainDate;
  readonly end?: Instant | PlainDate;
  readonly showAs?: ShowAs;
  readonly reminderMinutes?: number | null;
}

/**
 * A recurring series' rule (SPEC R1–R5): an RFC 5545 RRULE value (without the `RRULE:` prefix)
 * evaluated in the item's zone from its start; the occurrences removed from it (EXDATE —
 * cancelled occurrences); and the changed ones (exceptions), by recurrence id. Both sides keep a
 * series' exceptions inside it, so a series travels as one item.
 */
export interface Recurrence {
  readonly rrule: string;
  readonly exdates: readonly RecurrenceId[];
  /** Absent or empty: no exceptions. */
  readonly overrides?: Readonly<Record<RecurrenceId, OccurrenceChange>>;
}

/** The fields both sides carry (SPEC F1, F4, R1). */
export interface CalendarItem {
  readonly subject: string;
  readonly time: ItemTime;
  readonly location: string;
  /** Plain text. HTML from Outlook is converted on the way in and sanitised on the way out. */
  readonly description: string;
  readonly isPrivate: boolean;
  readonly showAs: ShowAs;
  /** Minutes before start; null = no reminder. */
  readonly reminderMinutes: number | null;
  readonly participants: readonly Participant[];
  /** Set on a series; null on single items and on occurrences. */
  readonly recurrence: Recurrence | null;
  /**
   * Set on an occurrence or exception of a series: the series' id on the same side and the
   * occurrence's original start (its RFC 5545 RECURRENCE-ID).
   */
  readonly occurrenceOf: {
    readonly seriesId: string;
    readonly originalStart: Instant | PlainDate;
  } | null;
  readonly isCancelled: boolean;
}

/** The relation kinds an activity can point at (SPEC O1). */
export interface CrmRelations {
  readonly customerId: string | null;
  readonly projectId: string | null;
  readonly salesCaseId: string | null;
}

/** CRM-only fields: they ride beside the item and never reach Outlook (SPEC F2). */
export interface CrmOnlyFields {
  readonly typeId: string;
  readonly relations: CrmRelations;
  readonly completed: boolean;
  /** SPEC F3: the owner is the organizer; it cannot change while sync is on. */
  readonly ownerId: string;
}
