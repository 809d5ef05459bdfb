/**
 * The pane's side of the ribbon's "Sync now" and of the launch-event handlers (issue 6 item 5).
 * Those run in the commands runtime, apart from the pane: they note a request in roaming settings
 * (src/commands/pendingSync.ts) and announce it on a BroadcastChannel. The pane's loop consumes the
 * notes — at start, before every run, and at once when an announcement arrives — and a note
 * means "push now": the run reads the calendar's delta itself.
 *
 * Roaming settings are read once per page load in Outlook (Office.RoamingSettings remarks), so a
 * note written while the pane is open reaches it through the announcement, and one written while
 * it is closed through the settings it loads next time.
 */
import {
  isPaneMessage,
  syncRequestChannel,
  takePendingSync,
  type PaneMessage,
} from '../../commands/pendingSync';
import type { Host } from '../../host/host';

export interface SyncRequestTarget {
  syncNow(): void;
}

/** Clears the queued notes; true when there were any (the caller then syncs at once). */
export async function consumePendingSync(host: Host): Promise<boolean> {
  try {
    return (await takePendingSync(host)).length > 0;
  } catch (error) {
    // A note left behind only causes one more push later: never a reason to fail a run.
    console.warn('Could not clear the queued sync requests', error);
    return false;
  }
}

let channel: BroadcastChannel | null = null;
let target: { host: Host; loop: SyncRequestTarget } | null = null;

/**
 * Makes `loop` the one that answers announcements from now on (a pane has one loop at a time;
 * a loop started again after sign-in replaces the old one), and clears what is queued already.
 */
export function watchSyncRequests(host: Host, loop: SyncRequestTarget): void {
  target = { host, loop };
  if (channel === null && typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(syncRequestChannel);
    channel.onmessage = (event: MessageEvent) => {
      const message: unknown = event.data;
      const current = target;
      if (!current || !isPaneMessage(message) || message.kind !== 'sync') return;
      void consumePendingSync(current.host).then(() => current.loop.syncNow());
    };
  }
  // The loop's first run starts at once anyway: it is the push the queued notes asked for.
  void consumePendingSync(host);
}

/**
 * The ribbon's "Sign in" (SPEC C4) asks an open pane first (askOpenPaneToSignIn): this pane
 * answers that it is here, so the command opens nothing, and `onSignIn` signs in if need be.
 * Returns the unsubscribe.
 */
export function answerSignInRequests(onSignIn: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(syncRequestChannel);
  channel.onmessage = (event: MessageEvent) => {
    const message: unknown = event.data;
    if (!isPaneMessage(message) || message.kind !== 'signIn') return;
    channel.postMessage({ kind: 'paneHere', id: message.id } satisfies PaneMessage);
    onSignIn();
  };
  return () => channel.close();
}
