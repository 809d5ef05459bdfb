/**
 * The one BroadcastChannel helper of the add-in's origin (issue 13 item 4), shared by the pane
 * channel (the ribbon's "Sync now", paneChannel.ts) and the preferences announcement
 * (src/taskpane/preferences/preferencesBroadcast.ts): where BroadcastChannel is missing or
 * refused, nothing travels and nothing throws. What arrives is `unknown`: each caller checks it.
 */

export function openChannel(name: string): BroadcastChannel | null {
  try {
    return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
  } catch {
    return null;
  }
}

/** Posts one message on `name` and closes. Never throws (a message that is not cloneable is dropped). */
export function announce(name: string, message: unknown): void {
  const channel = openChannel(name);
  if (channel === null) return;
  try {
    channel.postMessage(message);
  } catch {
    // Not cloneable: nothing to announce.
  } finally {
    channel.close();
  }
}

/**
 * Calls `onMessage` with every message on `name` (and a way to answer on the same channel) until
 * the returned function is called. The channel does not keep a Node process alive (unit tests).
 */
export function listen(
  name: string,
  onMessage: (data: unknown, reply: (message: unknown) => void) => void,
): () => void {
  const channel = openChannel(name);
  if (channel === null) return () => undefined;
  (channel as { unref?: () => void }).unref?.();
  channel.onmessage = (event: MessageEvent) => {
    onMessage(event.data, (message) => channel.postMessage(message));
  };
  return () => channel.close();
}

/** An id for one request or installation: a UUID where the page has one. */
export function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
