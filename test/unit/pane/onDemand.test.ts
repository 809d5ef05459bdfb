import { liveOnDemand, once } from '../../../src/taskpane/onDemand';
import type {
  Live,
  MailboxStatus,
  StatusService,
} from '../../../src/taskpane/status/statusService';
import { statusServiceOnDemand } from '../../../src/taskpane/status/statusServiceOnDemand';
import { connectionServiceOnDemand } from '../../../src/taskpane/connection/connectionServiceOnDemand';
import type { ConnectionService } from '../../../src/taskpane/connection/connectionService';
import { parseAddinConfig } from '../../../src/config/addinConfig';
import { StandaloneHost } from '../../../src/host/standaloneHost';
import { memorySettingsStore } from '../../../src/host/settingsStore';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A Live that hands out `values` to each subscriber and counts them. */
function liveOf<T>(...values: T[]) {
  const state = { subscribed: 0, unsubscribed: 0 };
  const live: Live<T> = {
    subscribe(observer) {
      state.subscribed += 1;
      values.forEach((v) => observer.next(v));
      return { unsubscribe: () => void (state.unsubscribed += 1) };
    },
  };
  return { live, state };
}

test('once loads once, and again only after a failed load', async () => {
  let calls = 0;
  let fail = true;
  const load = once(async () => {
    calls += 1;
    if (fail) throw new Error('chunk failed');
    return calls;
  });
  await expect(load()).rejects.toThrow('chunk failed');
  fail = false;
  expect(await load()).toBe(2);
  expect(await load()).toBe(2);
  expect(calls).toBe(2);
});

test('liveOnDemand subscribes once loaded, passes values, and unsubscribes the real one', async () => {
  const { live, state } = liveOf(1, 2);
  const seen: number[] = [];
  const subscription = liveOnDemand(async () => live).subscribe({ next: (v) => seen.push(v) });
  expect(state.subscribed).toBe(0);
  await flush();
  expect(seen).toEqual([1, 2]);
  subscription.unsubscribe();
  expect(state.unsubscribed).toBe(1);
});

test('liveOnDemand: unsubscribed before the load, never subscribes; a failed load is the error', async () => {
  const { live, state } = liveOf(1);
  liveOnDemand(async () => live)
    .subscribe({ next: () => undefined })
    .unsubscribe();
  await flush();
  expect(state.subscribed).toBe(0);

  const errors: unknown[] = [];
  liveOnDemand<number>(async () => {
    throw new Error('offline');
  }).subscribe({ next: () => undefined, error: (e) => errors.push(e) });
  await flush();
  expect(errors).toEqual([new Error('offline')]);
});

test('the status service loads the real one on first use only, and delegates to it', async () => {
  const { live } = liveOf('overview');
  const calls: string[] = [];
  const mailbox: MailboxStatus = {
    overview: () => live as unknown as ReturnType<MailboxStatus['overview']>,
    retry: async (key) => void calls.push(`retry ${key}`),
    unlink: async (key) => void calls.push(`unlink ${key}`),
    restore: async (id) => (calls.push(`restore ${id}`), true),
  };
  let loads = 0;
  const service = statusServiceOnDemand(async (): Promise<StatusService> => {
    loads += 1;
    return { forMailbox: (m) => (calls.push(`open ${m}`), mailbox) };
  });
  const status = service.forMailbox('Anna@Contoso.example');
  expect(service.forMailbox('anna@contoso.example')).toBe(status);
  expect(loads).toBe(0);
  await status.retry('o:1');
  await status.unlink('c:2');
  expect(await status.restore(3)).toBe(true);
  expect(loads).toBe(1);
  expect(calls).toEqual([
    'open Anna@Contoso.example',
    'retry o:1',
    'open Anna@Contoso.example',
    'unlink c:2',
    'open Anna@Contoso.example',
    'restore 3',
  ]);
});

test('the connection service loads the real one on the first sign-in', async () => {
  const config = parseAddinConfig({
    addinOrigin: 'https://localhost:3000',
    officeJsUrl: '/office-js/office.js',
    environment: 'sandbox',
    graphBaseUrl: 'http://localhost:3002/v1.0',
    auth: { kind: 'sandbox', tokenUrl: 'http://localhost:3002/sandbox/token' },
    hostFallback: { kind: 'none' },
  });
  const host = new StandaloneHost({
    mailbox: 'anna@contoso.example',
    settings: memorySettingsStore(),
  });
  let loads = 0;
  const real: ConnectionService = {
    connect: async () => {
      throw new Error('not here');
    },
    resume: async () => null,
    removeLocalPairing: async () => undefined,
  };
  const service = connectionServiceOnDemand({ host, config }, async () => {
    loads += 1;
    return real;
  });
  expect(loads).toBe(0);
  expect(await service.resume('anna@contoso.example')).toBeNull();
  await service.removeLocalPairing();
  expect(loads).toBe(1);
});
