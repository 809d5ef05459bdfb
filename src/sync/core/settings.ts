/**
 * What the person chose in the pane (SPEC W, T, P) and what the engine needs to know about them,
 * as plain data: the planner reads nothing else.
 */
import type { ContactSettings } from './contacts/types';
import type { ConflictPolicy } from './merge';
import type { IanaZone } from './model';

/** One direction's settings (SPEC W1, W2, T1, T2): each direction has its own. */
export interface DirectionSettings {
  /** W1: days back from today, 0–60. */
  readonly daysBack: number;
  /** W2: days ahead from today, 0–365. */
  readonly daysAhead: number;
  /** T1: activity types whose new items sync; 'all' by default; [] = none. */
  readonly createTypes: 'all' | readonly string[];
  /** T2: activity types whose edits and deletions sync. */
  readonly editTypes: 'all' | readonly string[];
}

/** P1: how private items travel. */
export type PrivateMode = 'full' | 'busy' | 'skip';

export interface SyncSettings {
  readonly outlookToCrm: DirectionSettings;
  readonly crmToOutlook: DirectionSettings;
  /** T3: the type of items made in Outlook; null = they wait until the person picks one. */
  readonly defaultTypeId: string | null;
  /** P1: the CRM's personal activity type, if it has one. */
  readonly personalTypeId: string | null;
  readonly privateMode: PrivateMode;
  /** The subject a private item gets when it travels as a busy block (already translated). */
  readonly busySubject: string;
  readonly conflictPolicy: ConflictPolicy;
  /** The person's own zone: days and windows are theirs. */
  readonly timeZone: IanaZone;
  /** The paired mailbox (lower case) and CRM user. */
  readonly mailbox: string;
  readonly crmUserId: string;
  /** SPEC F4: invite the customer's contact people to meetings; off (absent) by default. */
  readonly inviteContacts?: boolean;
  /**
   * Issue 12, item 6: a meeting someone else organises is copied to the CRM only once the person
   * has answered it (accepted or tentative). On (absent) by default; false copies invitations
   * as they arrive.
   */
  readonly waitForInvitationAnswer?: boolean;
  /**
   * SPEC K1, K2: contact sync as the Preferences say; the composition root wires the contact
   * adapters when it is present, and each run takes it as saved at that moment.
   */
  readonly contacts?: ContactSettings;
}

export const DEFAULT_DIRECTION: DirectionSettings = {
  daysBack: 1, // SPEC W1 default: the first sync takes items from the previous day on
  daysAhead: 365,
  createTypes: 'all',
  editTypes: 'all',
};

/** SPEC D3: a run that would delete or cancel this share of the linked items, and at least
 * this many, stops and asks. */
export const MASS_DELETE_RATIO = 0.2;
export const MASS_DELETE_MIN = 10;

export function typeAllowed(list: 'all' | readonly string[], typeId: string | null): boolean {
  if (list === 'all') return true;
  return typeId !== null && list.includes(typeId);
}

/**
 * Issue 15: the type filters of both directions as one string. What a filter held back is synced
 * once it allows it, so a run whose filters differ from the last run's reads both sides in full
 * (engine/calendarKind.ts): a held edit or deletion is behind the cursors by then.
 */
export function filtersKey(settings: Pick<SyncSettings, 'outlookToCrm' | 'crmToOutlook'>): string {
  const types = (list: 'all' | readonly string[]) => (list === 'all' ? 'all' : [...list].sort());
  const of = (d: DirectionSettings) => ({
    createTypes: types(d.createTypes),
    editTypes: types(d.editTypes),
  });
  return JSON.stringify({
    outlookToCrm: of(settings.outlookToCrm),
    crmToOutlook: of(settings.crmToOutlook),
  });
}
