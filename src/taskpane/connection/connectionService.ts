/**
 * The port the Sign-in section talks to (SPEC C1–C7): one call that signs in, checks the company,
 * pairs the mailbox and lists its calendars; and the forced local removal (C5). The real one
 * (createConnectionService.ts) wires the CRM and Graph adapters; tests pass a small behaving fake.
 */

import type { ActivityType, CrmSession } from '../../crm';

/** What the sync engine needs from the CRM side of a connection (the real service fills it). */
export interface CrmForSync {
  readonly session: CrmSession;
  /** The signed-in CRM user's id. */
  readonly userId: string;
  /** The person's own time zone as the CRM knows it. */
  readonly timeZone: string;
  activityTypes(): Promise<readonly ActivityType[]>;
}

/** What the person typed in the form; the password is used once and never stored. */
export interface ConnectInput {
  readonly apiKey: string;
  /** As typed: the scheme may be missing (https assumed, SPEC C1). */
  readonly address: string;
  readonly username: string;
  readonly password: string;
  /** SPEC C3: keep the refresh token (encrypted) for automatic sign-in. */
  readonly remember: boolean;
  readonly mailbox: string;
}

/** One calendar of the mailbox, as the picker shows it. */
export interface CalendarChoice {
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly canEdit: boolean;
}

/** A signed-in, paired connection. */
export interface Connection {
  /** The normalised CRM address (`https://crm.example.com`). */
  readonly address: string;
  readonly user: { readonly displayName: string; readonly email: string };
  readonly mailbox: string;
  readonly calendars: readonly CalendarChoice[];
  /** The CRM session for the sync engine; fakes in tests may leave it out. */
  readonly crm?: CrmForSync;
  /**
   * Issue 17: the company runs the always-on sync service here (GET /company `syncService`):
   * the pane shows its state through its API and runs no engine. Absent or null: sync runs in the
   * pane, as always.
   */
  readonly syncService?: { readonly url: string } | null;
  /** The CRM's activity types, with their names in every picklist language (SPEC T1–T3, L2). */
  activityTypes(): Promise<readonly ActivityType[]>;
  /** Remembers the chosen calendar for sync (SPEC C1) once the person starts it (C8). */
  startSync(calendarId: string): Promise<void>;
  /** Revokes the CRM session (best effort) and wipes every local credential. */
  signOut(): Promise<void>;
  /** Undoes the pairing in the CRM (SPEC C5), then signs out. Throws when the CRM says no. */
  unpair(): Promise<void>;
}

export interface ConnectionService {
  /**
   * @throws SyncError wrongApiKey, wrongCredentials, crmUnreachable, tlsFailure, invalidAddress,
   *   syncDisabledForCompany (C7), mailboxPairedElsewhere (C5), mailboxMismatch (C6) …
   */
  connect(input: ConnectInput): Promise<Connection>;
  /**
   * SPEC C3, C4: signs in with the sign-in remembered on this device (refresh token and API key,
   * both encrypted) and the address kept in roaming settings, then checks the company and the
   * pairing as `connect` does. Null when nothing is remembered here.
   * @throws SyncError sessionExpired (the CRM ended the remembered session), and what `connect`
   *   throws.
   */
  resume(mailbox: string): Promise<Connection | null>;
  /** SPEC C5 forced removal: forget the pairing on this device without asking the CRM. */
  removeLocalPairing(): Promise<void>;
}

/** The picker's starting choice: the mailbox's default calendar, else the first. */
export function defaultCalendarId(calendars: readonly CalendarChoice[]): string {
  return (calendars.find((c) => c.isDefault) ?? calendars[0])?.id ?? '';
}

/** Roaming settings of the connection: preferences only, never a secret (host.ts). */
export const connectionSettingKeys = {
  address: 'crmAddress',
  username: 'crmUsername',
  calendarId: 'syncCalendarId',
  /** SPEC C8: the duplicate/invitation warning was acknowledged before the first sync. */
  firstSyncAcknowledged: 'firstSyncWarningAcknowledged',
  /** SPEC S5: sync was started on this mailbox; a later sign-in resumes it without asking. */
  syncStarted: 'syncStarted',
} as const;
