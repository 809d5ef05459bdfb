import type { CalendarColor, PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import type { ContactFields } from './contactSchemas';
import type { EventFields } from './schemas';

/** One `singleValueLegacyExtendedProperty`: `{ id: "String {guid} Name X", value }`. */
export interface ExtendedProperty {
  id: string;
  value: string;
}

/** A changed occurrence of a series; its fields are the master's with `overrides` on top. */
export interface StoredException {
  changeKey: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  overrides: Partial<EventFields>;
  extendedProperties: ExtendedProperty[];
}

/** A single instance or a series master as the emulator keeps it. */
export interface StoredEvent {
  id: string;
  calendarId: string;
  kind: 'singleInstance' | 'seriesMaster';
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  iCalUId: string;
  transactionId: string | null;
  fields: EventFields;
  recurrence: PatternedRecurrence | null;
  extendedProperties: ExtendedProperty[];
  /** Keyed by the occurrence's original local date (YYYY-MM-DD in the master's start zone). */
  exceptions: Record<string, StoredException>;
  /** Original local dates of deleted occurrences. */
  cancelledDates: string[];
  /**
   * Moved to Deleted Items (a DELETE, cancel or decline): still readable by `/me/events/{id}`,
   * gone from the calendar, calendarView and delta (concepts/outlook-immutable-id.md).
   */
  deleted?: boolean;
  /** The organizer cancelled the meeting or removed this attendee (attendee copies only). */
  isCancelled?: boolean;
  /** The mailbox-wide change sequence of this event's last change (delta's out-of-window @removed). */
  seq?: number;
  /** On an attendee copy: the organizer's mailbox and event it mirrors. */
  organizerRef?: { mailbox: string; eventId: string };
  /** On an attendee copy: the attendee's own answer (event resource: responseStatus). */
  response?: {
    response: 'notResponded' | 'accepted' | 'tentativelyAccepted' | 'declined';
    time: string;
  };
  /** An online meeting (isOnlineMeeting true): its join URL, also in the body's meeting blob. */
  onlineMeeting?: { joinUrl: string; conferenceId: string } | null;
}

/** One message Exchange would send for a meeting write (GET /sandbox/mail). */
export interface MailEntry {
  kind: 'invitation' | 'update' | 'cancellation';
  from: string;
  to: string[];
  eventId: string;
  iCalUId: string;
  at: string;
}

export interface StoredCalendar {
  id: string;
  name: string;
  color: CalendarColor;
  hexColor: string;
  isDefaultCalendar: boolean;
  changeKey: string;
}

export interface Mailbox {
  address: string;
  displayName: string;
  userId: string;
  calendars: StoredCalendar[];
  events: Record<string, StoredEvent>;
  /** Contact folders the client made (the default Contacts folder is implicit). */
  contactFolders?: StoredContactFolder[];
  contacts?: Record<string, StoredContact>;
}

/** A `contactFolder` under the mailbox's default Contacts folder. */
export interface StoredContactFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
}

/** A `contact` as the emulator keeps it: Graph's own field names (contactSchemas.ts). */
export interface StoredContact {
  id: string;
  parentFolderId: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  fields: ContactFields;
  extendedProperties: ExtendedProperty[];
}

/** The base of a contact delta link: the folder's contacts and versions the client knows. */
export interface ContactDeltaState {
  mailbox: string;
  folderId: string;
  createdAt: number;
  snapshot: Record<string, string>;
  changes?: { id: string; removed: boolean }[] | undefined;
  finalToken?: string | undefined;
}

/** The state of one delta round or the base a delta link points at (SPEC: calendarView/delta). */
export interface DeltaState {
  mailbox: string;
  calendarId: string;
  start: number;
  end: number;
  createdAt: number;
  /** instance id → version, as the client will know it after this round. */
  snapshot: Record<string, string>;
  /** For a round in progress (skip tokens): the ordered changes to hand out. */
  changes?: { id: string; removed: boolean }[] | undefined;
  /** The delta state the last page of this round hands out (same on every retry). */
  finalToken?: string | undefined;
  /** EmulatorState.seq when the round started: later event changes are "since". */
  seq?: number;
}

export interface EmulatorState {
  version: 1;
  /** HMAC secret for sandbox bearer tokens; kept in the snapshot so tokens survive a restart. */
  secret: string;
  mailboxes: Record<string, Mailbox>;
  deltaStates: Record<string, DeltaState>;
  /** Contact delta links (contactFolders/{id}/contacts/delta). */
  contactDeltaStates?: Record<string, ContactDeltaState>;
  /** Increases with every event change (StoredEvent.seq). */
  seq?: number;
  /** Every invitation, update and cancellation the emulated Exchange sent, oldest first. */
  mail?: MailEntry[];
  /** Applications registered in the emulated Entra tenant (entra.ts), by client id. */
  applications?: Record<string, AppRegistration>;
  /** Change notification subscriptions (subscriptions.ts), by id. */
  subscriptions?: Record<string, StoredSubscription>;
}

/** An app registration with admin-consented application permissions (entra.ts). */
export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** Application permissions granted with admin consent (the token's `roles`). */
  roles: string[];
  /** Application access policy: the mailboxes the app may touch; null = all. */
  mailboxes: string[] | null;
}

/** A `subscription` (api-reference/v1.0/resources/subscription.md) as the emulator keeps it. */
export interface StoredSubscription {
  id: string;
  /** As the client gave it, e.g. `/users/{id}/events`. */
  resource: string;
  /** The mailbox the resource names. */
  mailbox: string;
  changeTypes: ('created' | 'updated' | 'deleted')[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  /** Epoch ms. */
  expiresAt: number;
  /** The app id (app-only) or null (delegated). */
  applicationId: string | null;
  /** The user's id (delegated) or the app's id (app-only). */
  creatorId: string;
  tenantId: string;
  /** After a reauthorizationRequired: no change notifications until reauthorize or renewal. */
  paused?: boolean;
}
