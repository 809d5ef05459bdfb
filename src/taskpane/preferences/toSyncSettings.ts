/**
 * Maps the saved preferences onto what the engine reads (SyncSettings): the type choices are
 * checked against the CRM's current activity types, everything else is taken as saved.
 */
import type { ActivityType } from '../../crm';
import type { DirectionSettings, SyncSettings } from '../../sync/core/settings';
import type { DirectionPreferences, Preferences } from './preferences';

/** What the preferences do not hold: who is syncing, where, and the translated busy subject. */
export interface SyncContext {
  readonly busySubject: string;
  readonly timeZone: string;
  readonly mailbox: string;
  readonly crmUserId: string;
}

/** SPEC T3: the type of items made in Outlook: "Meeting", else the first non-personal type. */
export function pickDefaultTypeId(types: readonly ActivityType[]): string | null {
  const meeting = types.find(
    (t) => !t.personal && [t.name, t.names.en].some((n) => n.trim().toLowerCase() === 'meeting'),
  );
  return (meeting ?? types.find((t) => !t.personal))?.id ?? null;
}

/**
 * SPEC T3: the chosen type; null when the person asked to pick each time; the CRM's "Meeting"
 * when nothing was chosen or the chosen type no longer exists in the CRM.
 */
export function defaultTypeFor(
  preferences: Pick<Preferences, 'defaultTypeId'>,
  types: readonly ActivityType[],
): string | null {
  const chosen = preferences.defaultTypeId;
  if (chosen === null) return null;
  if (chosen !== undefined && types.some((t) => t.id === chosen)) return chosen;
  return pickDefaultTypeId(types);
}

function direction(preferences: DirectionPreferences): DirectionSettings {
  return {
    daysBack: preferences.daysBack,
    daysAhead: preferences.daysAhead,
    createTypes: preferences.createTypes,
    editTypes: preferences.editTypes,
  };
}

export function toSyncSettings(
  preferences: Preferences,
  types: readonly ActivityType[],
  context: SyncContext,
): SyncSettings {
  return {
    outlookToCrm: direction(preferences.outlookToCrm),
    crmToOutlook: direction(preferences.crmToOutlook),
    defaultTypeId: defaultTypeFor(preferences, types),
    personalTypeId: types.find((t) => t.personal)?.id ?? null,
    privateMode: preferences.privateMode,
    busySubject: context.busySubject,
    conflictPolicy: preferences.conflictPolicy,
    timeZone: context.timeZone,
    mailbox: context.mailbox.trim().toLowerCase(),
    crmUserId: context.crmUserId,
    contacts: {
      mode: preferences.contactSync, // SPEC K2
      addActivityContacts: preferences.options.addContactsToAddressBook, // SPEC K1
      conflictPolicy: preferences.conflictPolicy,
    },
  };
}
