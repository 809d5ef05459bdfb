import type { Host, SettingValue } from '../host/host';

/**
 * Requests for an Outlook → CRM push, noted by the ribbon's "Sync now" and by the launch-event
 * handlers. The sync scheduler consumes them (`takePendingSync`) the next time the add-in runs and
 * starts a push run; the run reads the calendar's delta itself, so a note carries only which
 * trigger fired and when — never item content.
 *
 * The notes live in roaming settings because that is the one store every runtime has: classic
 * Outlook on Windows runs launch events in a JavaScript-only runtime without localStorage and
 * with no documented IndexedDB (STACK.md).
 */
export const pendingSyncKey = 'pendingSync';

/** Roaming settings hold 32 KB in all; a few dozen notes say "push soon" as well as a thousand. */
export const maxPendingSync = 20;

export const syncTriggers = [
  'syncNow',
  'OnNewAppointmentOrganizer',
  'OnAppointmentTimeChanged',
  'OnAppointmentAttendeesChanged',
  'OnAppointmentRecurrenceChanged',
] as const;
export type SyncTrigger = (typeof syncTriggers)[number];

export interface PendingSync {
  readonly trigger: SyncTrigger;
  /** ISO 8601 instant the trigger fired. */
  readonly at: string;
}

function isPendingSync(value: unknown): value is PendingSync {
  if (typeof value !== 'object' || value === null) return false;
  const { trigger, at } = value as Record<string, unknown>;
  return (syncTriggers as readonly unknown[]).includes(trigger) && typeof at === 'string';
}

/** The notes recorded so far, oldest first; anything malformed (an older format) is skipped. */
export function readPendingSync(host: Host): PendingSync[] {
  const stored = host.getSetting(pendingSyncKey);
  return Array.isArray(stored) ? stored.filter(isPendingSync) : [];
}

export async function recordPendingSync(
  host: Host,
  trigger: SyncTrigger,
  now: Date,
): Promise<void> {
  const notes = [...readPendingSync(host), { trigger, at: now.toISOString() }];
  await host.setSetting(pendingSyncKey, toSetting(notes.slice(-maxPendingSync)));
}

/** Returns the notes and clears them: what the scheduler calls before a push run. */
export async function takePendingSync(host: Host): Promise<PendingSync[]> {
  const notes = readPendingSync(host);
  if (notes.length > 0) await host.setSetting(pendingSyncKey, []);
  return notes;
}

function toSetting(notes: readonly PendingSync[]): SettingValue {
  return notes.map((note) => ({ trigger: note.trigger, at: note.at }));
}
