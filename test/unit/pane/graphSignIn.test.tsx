/**
 * Issue 11 item 6: the loop never opens a Microsoft 365 sign-in window by itself; when a run ends
 * with graphSignInNeeded the pane offers the button that does, and syncs after it.
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { SyncError } from '../../../src/sync/core/errors';
import { renderSyncingPane } from './renderPane';

async function startLoop(language: 'en' | 'sv' = 'en') {
  return (await renderSyncingPane({ language })).loop;
}

const signInNeeded = {
  state: 'failed' as const,
  error: new SyncError('graphSignInNeeded', 'background run needs the person'),
};

test('a run that needs a Microsoft 365 sign-in shows the button; pressing it signs in, then syncs', async () => {
  const loop = await startLoop();
  expect(screen.queryByRole('button', { name: 'Sign in to Microsoft 365' })).toBeNull();
  act(() => loop.set({ state: 'waiting', lastOutcome: signInNeeded }));
  expect(screen.getByText('Microsoft 365 sign-in needed.')).toBeTruthy();
  const before = loop.syncNowCalls;
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Sign in to Microsoft 365' }));
  });
  expect(loop.requests).toEqual(['signIn']);
  expect(loop.syncNowCalls).toBe(before + 1);
});

test('while signing in the button is busy; a failed sign-in says why', async () => {
  const loop = await startLoop();
  let finish = () => undefined as void;
  loop.signInGate = new Promise<void>((resolve) => (finish = resolve));
  loop.signInFailure = new SyncError('graphSignInFailed', 'the person closed the popup');
  act(() => loop.set({ state: 'waiting', lastOutcome: signInNeeded }));
  const button = screen.getByRole('button', { name: 'Sign in to Microsoft 365' });
  await act(async () => {
    fireEvent.click(button);
  });
  expect(button.getAttribute('aria-disabled')).toBe('true');
  await act(async () => finish());
  await waitFor(() => expect(button.getAttribute('aria-disabled')).not.toBe('true'));
  expect(screen.getByText('Signing in to Microsoft 365 failed.')).toBeTruthy();
});

test('signed out by repeated graphSignInNeeded: the button, not the "sign out and in again" text', async () => {
  const loop = await startLoop();
  act(() => loop.set({ state: 'signedOut', lastOutcome: signInNeeded }));
  fireEvent.click(screen.getByRole('tab', { name: 'Status' }));
  // The Status view loads when first shown (React.lazy).
  await screen.findByRole('button', { name: 'Full sync now' });
  expect(
    screen.getAllByRole('button', { name: 'Sign in to Microsoft 365' }).length,
  ).toBeGreaterThan(0);
  expect(screen.queryByText(/Sync stopped because signing in failed repeatedly/)).toBeNull();
});

test('another failure shows no Microsoft 365 sign-in button', async () => {
  const loop = await startLoop();
  act(() =>
    loop.set({
      state: 'offline',
      lastOutcome: { state: 'failed', error: new SyncError('offline', 'no network') },
    }),
  );
  expect(screen.queryByRole('button', { name: 'Sign in to Microsoft 365' })).toBeNull();
});

test('the prompt is translated (Swedish)', async () => {
  const loop = await startLoop('sv');
  act(() => loop.set({ state: 'waiting', lastOutcome: signInNeeded }));
  expect(screen.getByText('Inloggning i Microsoft 365 behövs.')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Logga in i Microsoft 365' })).toBeTruthy();
});
