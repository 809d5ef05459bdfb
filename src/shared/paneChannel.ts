/**
 * The one line between the ribbon's function file and an open task pane: a BroadcastChannel on
 * the add-in's origin. Shared code of both, so commands and taskpane never import each other.
 *
 * The ribbon's "Sync now" asks an open pane to sync; the pane answers that it is here and runs.
 * Nothing is written to roaming settings: the pane is their one writer (issue 11), and a pane
 * that opens later runs at once anyway (its loop's first run is the push the person asked for).
 */
import { listen, openChannel, randomId } from './broadcast';

export const paneChannelName = 'crm-sync-requests';

/** What travels on the channel: a sync request, and a pane's answer to it. */
export type PaneMessage =
  | { readonly kind: 'sync'; readonly id: string }
  | { readonly kind: 'paneHere'; readonly id: string };

export function isPaneMessage(value: unknown): value is PaneMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, id } = value as Record<string, unknown>;
  return (kind === 'sync' || kind === 'paneHere') && typeof id === 'string' && id.length <= 100;
}

/**
 * Asks an open pane to sync now; true when one answered within `waitMs` (bounded: the command's
 * spinner waits on this). No pane, or no BroadcastChannel, is false.
 */
export function askOpenPaneToSync(waitMs = 800): Promise<boolean> {
  const channel = openChannel(paneChannelName);
  if (channel === null) return Promise.resolve(false);
  const id = randomId();
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
    channel.postMessage({ kind: 'sync', id } satisfies PaneMessage);
  });
}

/**
 * The pane's side: answers every sync request and calls `onSync`. Returns the unsubscribe.
 */
export function answerSyncRequests(onSync: () => void): () => void {
  return listen(paneChannelName, (message, reply) => {
    if (!isPaneMessage(message) || message.kind !== 'sync') return;
    reply({ kind: 'paneHere', id: message.id } satisfies PaneMessage);
    onSync();
  });
}
