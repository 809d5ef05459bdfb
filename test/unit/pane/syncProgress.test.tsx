/**
 * Issue 16 item 4: the progress line says how many writes are done, how many are left and about
 * how long they take, in every locale the pane speaks.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { SyncProgress } from '../../../src/taskpane/components/SyncProgress';
import { createI18n } from '../../../src/i18n/createI18n';
import type { SchedulerSnapshot } from '../../../src/sync/scheduler/types';
import type { RunProgress } from '../../../src/sync/engine/run';
import { estimateSeconds } from '../../../src/sync/engine/run';
import { JsdomStyles } from './jsdomStyles';

const snapshot = (progress: RunProgress): SchedulerSnapshot => ({
  state: 'syncing',
  active: true,
  lastSyncAt: null,
  nextRunAt: null,
  lastOutcome: null,
  progress,
});

async function show(progress: RunProgress, language: 'en' | 'fi' | 'sv' | 'it' | 'de' = 'en') {
  const i18n = await createI18n(language);
  render(
    <I18nextProvider i18n={i18n}>
      <SyncProgress snapshot={snapshot(progress)} />
    </I18nextProvider>,
    { wrapper: JsdomStyles },
  );
  return screen.getByRole('progressbar').getAttribute('aria-valuetext') ?? '';
}

test('writing: done, left and the estimate in minutes', async () => {
  const text = await show({ phase: 'writing', done: 4000, total: 10000, etaSeconds: 610 });
  expect(screen.getByText('Writing change 4001 of 10000')).toBeTruthy();
  expect(screen.getByText('6000 still to write, about 11 min')).toBeTruthy();
  expect(text).toBe('Writing change 4001 of 10000. 6000 still to write, about 11 min');
});

test('under a minute, and no pace yet', async () => {
  await show({ phase: 'writing', done: 10, total: 30, etaSeconds: 12 });
  expect(screen.getByText('20 still to write, under a minute')).toBeTruthy();
  cleanup();
  await show({ phase: 'writing', done: 0, total: 30, etaSeconds: null });
  expect(screen.getByText('30 still to write')).toBeTruthy();
});

test.each(['fi', 'sv', 'it', 'de'] as const)('%s: the estimate is translated', async (lang) => {
  const text = await show({ phase: 'writing', done: 1, total: 200, etaSeconds: 300 }, lang);
  expect(text).toContain('199');
  expect(text).toContain('5');
  expect(text).not.toContain('still to write');
  expect(text).not.toContain('{{');
});

test('the estimate follows the pace of the writes so far', () => {
  expect(estimateSeconds(0, 100, 5_000)).toBeNull();
  expect(estimateSeconds(10, 100, 500)).toBeNull();
  expect(estimateSeconds(25, 100, 10_000)).toBe(30);
  expect(estimateSeconds(100, 100, 10_000)).toBe(0);
});
