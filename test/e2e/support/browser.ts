import { chromium, type Browser, type BrowserServer } from 'playwright-core';

/** Set by the e2e project's global setup: the run's one Chromium, for every suite to connect to. */
export const SHARED_CHROMIUM_ENV = 'E2E_CHROMIUM_WS';

const options = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/** Debian's Chromium (STACK.md: never `npx playwright install`). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(options);
}

/** The same Chromium, served to other processes over a websocket (the e2e global setup). */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer(options);
}

/**
 * The browser a suite uses: the run's shared Chromium when the e2e global setup started one
 * (issue 13: one launch per run instead of one per suite; each suite still opens its own
 * contexts, so no cookies, storage or IndexedDB cross between suites), else a Chromium of its
 * own (`npm run bench`, or a suite run outside the e2e project). Closing the returned Browser
 * closes this suite's contexts and, when shared, only disconnects.
 */
export function suiteBrowser(): Promise<Browser> {
  const endpoint = process.env[SHARED_CHROMIUM_ENV];
  return endpoint ? chromium.connect(endpoint) : launchChromium();
}
