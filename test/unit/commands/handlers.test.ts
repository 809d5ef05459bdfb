import { createCommandHandlers, type CompletableEvent } from '../../../src/commands/handlers';
import { showSyncNotice, syncNoticeKey, type NoticeItem } from '../../../src/commands/itemNotice';
import {
  answerSyncRequests,
  askOpenPaneToSync,
  isPaneMessage,
  paneChannelName,
} from '../../../src/shared/paneChannel';

function completion() {
  let completed = 0;
  const event: CompletableEvent = { completed: () => void (completed += 1) };
  return { event, count: () => completed };
}

test.each([
  [true, 'syncing'],
  [false, 'openPane'],
] as const)(
  '"Sync now" with a pane answering=%s tells the person %s and completes',
  async (answered, notice) => {
    const told: string[] = [];
    const handlers = createCommandHandlers({
      askOpenPaneToSync: async () => answered,
      notify: async (n) => void told.push(n),
    });
    expect(Object.keys(handlers)).toEqual(['syncNow']);
    const { event, count } = completion();
    await handlers.syncNow?.(event);
    expect(told).toEqual([notice]);
    expect(count()).toBe(1);
  },
);

test('a notice that cannot be shown still completes the event and throws nothing into Office', async () => {
  const handlers = createCommandHandlers({
    askOpenPaneToSync: async () => false,
    notify: () => Promise.reject(new Error('no item')),
  });
  const { event, count } = completion();
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  await expect(handlers.syncNow?.(event)).resolves.toBeUndefined();
  expect(count()).toBe(1);
  spy.mockRestore();
});

test('an open pane answers "Sync now" over the channel and syncs; with none, the ask times out', async () => {
  expect(await askOpenPaneToSync(50)).toBe(false);
  let synced = 0;
  const stop = answerSyncRequests(() => void (synced += 1));
  try {
    expect(await askOpenPaneToSync(2000)).toBe(true);
    expect(synced).toBe(1);
  } finally {
    stop();
  }
  expect(await askOpenPaneToSync(50)).toBe(false);
  expect(synced).toBe(1);
});

test('messages that are not ours are ignored by the pane', async () => {
  let synced = 0;
  const stop = answerSyncRequests(() => void (synced += 1));
  const stranger = new BroadcastChannel(paneChannelName);
  try {
    stranger.postMessage({ kind: 'sync' });
    stranger.postMessage({ kind: 'signIn', id: 'x' });
    stranger.postMessage('sync');
    expect(isPaneMessage({ kind: 'sync', id: 'a'.repeat(101) })).toBe(false);
    // A real request after the strangers: once it is answered, the strangers were seen first.
    expect(await askOpenPaneToSync(2000)).toBe(true);
    expect(synced).toBe(1);
  } finally {
    stranger.close();
    stop();
  }
});

test('the notice is shown on the item in the host language, replacing the previous one', async () => {
  const calls: { key: string; message: string; type: string; persistent: boolean }[] = [];
  const item: NoticeItem = {
    notificationMessages: {
      replaceAsync: (key, details, callback) => {
        calls.push({ key, ...details, type: String(details.type) });
        callback?.({ status: 'succeeded' });
      },
    },
  };
  await showSyncNotice(item, 'de-DE', 'openPane');
  await showSyncNotice(item, 'xx', 'syncing');
  expect(calls.map((c) => [c.key, c.type, c.persistent])).toEqual([
    [syncNoticeKey, 'informationalMessage', false],
    [syncNoticeKey, 'informationalMessage', false],
  ]);
  expect(calls[0]?.message).toMatch(/CRM-Synchronisierung/);
  expect(calls[1]?.message).toBe('Syncing your calendar with the CRM now.');
  const failing: NoticeItem = {
    notificationMessages: {
      replaceAsync: (_key, _details, callback) =>
        callback?.({ status: 'failed', error: { message: 'too long' } }),
    },
  };
  await expect(showSyncNotice(failing, 'en', 'syncing')).rejects.toThrow(/too long/);
  await expect(showSyncNotice(null, 'en', 'syncing')).resolves.toBeUndefined();
});
