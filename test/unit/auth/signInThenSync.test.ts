/**
 * Issue 11 item 6 end to end on the token side: the real SyncScheduler runs with the sync loop's
 * silent-only MSAL provider (over the behaving fake MSAL): runs that need a sign-in end with
 * graphSignInNeeded and open nothing, even once the loop stops; the pane's button signs in with
 * one popup and the loop runs again.
 */
import { MsalTokenProvider } from '../../../src/outlook/auth/msalTokenProvider';
import { SyncError } from '../../../src/sync/core/errors';
import type { RunOutcome } from '../../../src/sync/engine/run';
import { SyncScheduler } from '../../../src/sync/scheduler';
import { signInThenSync } from '../../../src/taskpane/sync/startSync';
import { FakeDialogHost } from './fakeDialogHost';
import { FakeMsal } from './fakeMsal';

const DAY = 86_400_000;

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 11, 5, 8) }));
afterEach(() => jest.useRealTimers());

test('background runs open no window; the button signs in once and the loop runs again', async () => {
  const msal = new FakeMsal();
  const host = new FakeDialogHost();
  const tokens = new MsalTokenProvider({
    client: async () => msal,
    host,
    naaSupported: () => true,
    dialogUrl: 'https://addin.example.com/auth-dialog.html',
    silentOnly: true,
  });
  const scheduler = new SyncScheduler(
    {
      run: async (): Promise<RunOutcome> => {
        try {
          await tokens.getToken();
          return { state: 'done', counts: {}, failures: 0 };
        } catch (error) {
          if (error instanceof SyncError) return { state: 'failed', error };
          throw error;
        }
      },
      now: () => Date.now(),
      random: () => 0,
    },
    { msUntilMidnight: (now) => DAY - (now % DAY) },
  );
  const snapshot = () => scheduler.getSnapshot();
  const popups = () => msal.calls.filter((c) => c.method === 'popup').length;

  scheduler.setActive(true);
  scheduler.start();
  await jest.advanceTimersByTimeAsync(0);
  const first = snapshot().lastOutcome;
  expect(first?.state === 'failed' && first.error.code).toBe('graphSignInNeeded');

  // Let the loop retry until it gives up (SPEC E4): never a popup or a dialog on the way.
  await jest.advanceTimersByTimeAsync(30 * 60_000);
  expect(snapshot().state).toBe('signedOut');
  expect(popups()).toBe(0);
  expect(host.opened).toEqual([]);

  await signInThenSync(tokens, scheduler);
  await jest.advanceTimersByTimeAsync(0);
  expect(popups()).toBe(1);
  expect(snapshot().lastOutcome?.state).toBe('done');
  expect(snapshot().state).not.toBe('signedOut');
  scheduler.stop();
});
