import type { Host, SettingValue } from '../host/host';

/**
 * Requests for an Outlook → CRM push, noted by the ribbon's "Sync now" and by the launch-event
 * handlers. The sync scheduler consumes them (`takePendingSync`) the next time the add-in runs and
 * starts a push run; the run reads the calendar's delta itself, so a note carries only which
 * trigger fired and when — never item content.
 *
 * The notes live in roaming settings because that is the one store every runtime has: classic
 * Outlook on Windows runs launch events in a JavaScript-only runtime without localStorage and
 * with no documented IndexedDB (REQUIREMENTS.md).
 */
export const pendingSyncKey = 'pendingSync';

/**
 * Where a note is announced to an open pane, which cannot see roaming settings saved by another
 * runtime until it loads again (Office.RoamingSettings remarks). Same origin, so the commands page
 * and the pane share it; the JavaScript-only launch runtime may lack it, and then the note waits.
 */
export const syncRequestChannel = 'crm-sync-requests';

/** What travels on the channel: a sync request, or the ribbon's sign-in and a pane's answer. */
export type PaneMessage =
  | { readonly kind: 'sync' }
  | { readonly kind: 'signIn'; readonly id: string }
  | { readonly kind: 'paneHere'; readonly id: string };

export function isPaneMessage(value: unknown): value is PaneMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, id } = value as Record<string, unknown>;
  if (kind === 'sync') return true;
  return (kind === 'signIn' || kind === 'paneHere') && typeof id === 'string';
}

function openChannel(): BroadcastChannel | null {
  try {
    return typeof BroadcastChannel === 'undefined'
      ? null
      : new BroadcastChannel(syncRequestChannel);
  } catch {
    return null;
  }
}

/** Tells an open pane that a note was recorded; nothing happens when no pane listens. */
export function announceSyncRequest(): void {
  const channel = openChannel();
  channel?.postMessage({ kind: 'sync' } satisfies PaneMessage);
  channel?.close();
}

/**
 * The ribbon's "Sign in" asks an open pane to sign in with the remembered sign-in (or to show its
 * form); true when a pane answered within `waitMs`. Only one page may use a remembered sign-in at
 * a time: the CRM rotates the refresh token on every use and revokes the session when an old one
 * comes back, so the command never signs in beside an open pane.
 */
export function askOpenPaneToSignIn(waitMs = 800): Promise<boolean> {
  const channel = openChannel();
  if (channel === null) return Promise.resolve(false);
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return new Promise((resolve) => {
    const done = (answered: boolean) => {
      clearTimeout(timer);
      channel.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), waitMs);
    channel.onmessage = (event: MessageEvent) => {
      const message: unknown = event.data;
      if (isPaneMessage(message) && message.kind === 'paneHere' && message.id === id) done(true);
    };
    channel.postMessage({ kind: 'signIn', id } satisfies PaneMessage);
  });
}

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
