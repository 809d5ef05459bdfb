import type { BrowserServer } from 'playwright-core';

/**
 * The e2e global setup's Chromium, kept for the global teardown. Jest runs both in its main
 * process, sharing this module's globals only through `globalThis` (each hook file is loaded
 * apart), hence the symbol.
 */
const KEY = Symbol.for('outlook-crm-sync.e2e.sharedChromium');
type Holder = { [KEY]?: BrowserServer };

export function setSharedChromium(server: BrowserServer): void {
  (globalThis as Holder)[KEY] = server;
}

export function takeSharedChromium(): BrowserServer | undefined {
  const server = (globalThis as Holder)[KEY];
  delete (globalThis as Holder)[KEY];
  return server;
}
