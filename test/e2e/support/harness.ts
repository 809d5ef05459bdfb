/**
 * One start-up for every browser suite: the built pane (dist/, built once per run by the e2e
 * project's global setup) on a static server, optionally the sandbox CRM (in memory) and the
 * Graph emulator, and Debian's Chromium; the pane's addin-config.js points at this suite's
 * servers. Plus the page helpers the suites share.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { TEST_CRM } from '../../support/crmServer';
import { startGraphServer } from '../../../sandbox/graph';
import { suiteBrowser } from './browser';
import { ROOT } from './paneBuild';
import { startDistServer } from './distServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadAddinConfig } = require('../../../webpack.config.js') as {
  loadAddinConfig: (name: string, env: Record<string, string | undefined>) => { config: unknown };
};

/** Where the suites write their screenshots (SHOTS_DIR overrides). */
export const shots = process.env.SHOTS_DIR ?? path.join(ROOT, 'test-results');

export interface E2e {
  /** Base URL of the pane, ending in '/'. */
  readonly paneUrl: string;
  /** The sandbox CRM's and the Graph emulator's base URLs ('' without `servers`). */
  readonly crmUrl: string;
  readonly graphUrl: string;
  readonly browser: Browser;
  /** A Graph emulator token for the mailbox. */
  graphToken(mailbox: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts what a suite needs. Without `servers`, the pane's configuration names the default
 * sandbox ports (as `npm start` would) and nothing answers there.
 */
export async function startE2e(options: { servers: boolean }): Promise<E2e> {
  mkdirSync(shots, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const step of closers.reverse()) await step().catch(() => undefined);
  };
  try {
    const pane = await startDistServer();
    closers.push(() => pane.close());
    let crmUrl = '';
    let graphUrl = '';
    const env: Record<string, string> = { PANE_PORT: String(pane.port) };
    if (options.servers) {
      const crm = await startCrmServer({
        ...TEST_CRM,
        port: 0,
        dbPath: ':memory:',
        corsOrigins: [`http://127.0.0.1:${pane.port}`],
      });
      closers.push(() => crm.close());
      const graph = await startGraphServer({ port: 0 });
      closers.push(() => graph.close());
      crmUrl = crm.url;
      graphUrl = graph.url;
      env.CRM_PORT = new URL(crm.url).port;
      env.GRAPH_PORT = new URL(graph.url).port;
    }
    pane.setAddinConfig(loadAddinConfig('sandbox', env).config);
    const browser = await suiteBrowser();
    closers.push(() => browser.close());
    return {
      paneUrl: pane.url,
      crmUrl,
      graphUrl,
      browser,
      graphToken: async (mailbox) => {
        const response = await fetch(`${graphUrl}/sandbox/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ mailbox }),
        });
        return ((await response.json()) as { access_token: string }).access_token;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Headers for the sandbox CRM's API as this person (a new session each call). */
export async function crmHeaders(
  crmUrl: string,
  username: string,
  password: string = DEMO.password,
): Promise<Record<string, string>> {
  const headers = { 'x-api-key': DEMO.apiKey, 'content-type': 'application/json' };
  const session = await fetch(`${crmUrl}/api/v1/sessions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username, password }),
  });
  const { accessToken } = (await session.json()) as { accessToken: string };
  return { ...headers, authorization: `Bearer ${accessToken}` };
}

/** Every event subject in the mailbox's default calendar, read through the Graph emulator. */
export async function outlookSubjects(graphUrl: string, token: string): Promise<string[]> {
  const subjects: string[] = [];
  let next: string | undefined = `${graphUrl}/v1.0/me/calendar/events?$select=subject&$top=100`;
  for (let pages = 0; next && pages < 100; pages++) {
    const response: Response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`Graph answered ${response.status}`);
    const page = (await response.json()) as {
      value: { subject?: string }[];
      '@odata.nextLink'?: string;
    };
    subjects.push(...page.value.map((e) => e.subject ?? ''));
    next = page['@odata.nextLink'];
  }
  return subjects;
}

/**
 * A one-hour appointment `days` from now at `hour`:00 UTC, made through the Graph emulator's API;
 * its id.
 */
export async function createOutlookEvent(
  graphUrl: string,
  token: string,
  event: { subject: string; days: number; hour?: number },
): Promise<string> {
  const start = new Date(Date.now() + event.days * 86_400_000);
  start.setUTCHours(event.hour ?? 10, 0, 0, 0);
  const at = (d: Date) => ({ dateTime: d.toISOString().slice(0, 19), timeZone: 'UTC' });
  const response = await fetch(`${graphUrl}/v1.0/me/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      subject: event.subject,
      start: at(start),
      end: at(new Date(start.getTime() + 3_600_000)),
    }),
  });
  if (response.status !== 201) throw new Error(`Graph answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

/**
 * Polls `read` until `wanted` is among what it returns, for at most `ms`; true when it was. A
 * functional bound, not a timing target: latency figures belong in `npm run bench`.
 */
export async function within(
  read: () => Promise<readonly string[]>,
  wanted: string,
  ms: number,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  do {
    if ((await read()).includes(wanted)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  return (await read()).includes(wanted);
}

/** Presses Tab until `target` has the focus (at most `max` presses): no pointer involved. */
export async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the element');
}

/** Waits until no animation runs (Fluent's dialogs, accordions and tabs move when they open). */
export const settled = (page: Page) =>
  page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== 'running'),
  );

/** How far the page scrolls sideways, in px (0 or less: it fits). */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
