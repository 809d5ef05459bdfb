/**
 * @jest-environment node
 *
 * NotificationReceiver's decisions (issue 17 item 3), without HTTP: the validation echo, the
 * clientState check on every notification, lifecycle routing, and what a hostile payload gets.
 * The same receiver runs over real HTTP against the emulator in
 * test/integration/service/subscriptionLife.test.ts.
 */
import { NotificationReceiver, type LifecycleEvent } from '../../../src/service/graph';

const SUBS: Record<string, { mailboxId: string; clientState: string }> = {
  'sub-a': { mailboxId: 'anna@contoso.example', clientState: 'state-a' },
  'sub-b': { mailboxId: 'ben@contoso.example', clientState: 'state-b' },
};

function make() {
  const changes: string[] = [];
  const lifecycle: [string, LifecycleEvent][] = [];
  const logs: string[] = [];
  const receiver = new NotificationReceiver({
    lookup: (id) => SUBS[id] ?? null,
    onChange: (m) => void changes.push(m),
    onLifecycle: (m, e) => void lifecycle.push([m, e]),
    log: (m) => logs.push(m),
  });
  return { receiver, changes, lifecycle, logs };
}

const change = (subscriptionId: string, clientState: string | null, id = 'ev1') => ({
  subscriptionId,
  clientState,
  changeType: 'updated',
  resource: `Users/u/Events/${id}`,
  resourceData: { id },
});

describe('NotificationReceiver', () => {
  it('echoes the decoded validation token as plain text (nosniff), 200', () => {
    const { receiver, changes } = make();
    const token = 'Validation: Testing client application reachability <b>x</b>';
    const res = receiver.handle({ query: { validationToken: token }, body: undefined });
    expect(res).toEqual({
      status: 200,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
      body: token,
    });
    expect(changes).toEqual([]);
  });

  it('refuses an empty or oversized validation token', () => {
    const { receiver } = make();
    expect(receiver.handle({ query: { validationToken: '' }, body: undefined }).status).toBe(400);
    const long = 'x'.repeat(5000);
    expect(receiver.handle({ query: { validationToken: long }, body: undefined }).status).toBe(400);
  });

  it('hands one sync request per mailbox for a batch of genuine changes', () => {
    const { receiver, changes } = make();
    const res = receiver.handle({
      query: {},
      body: {
        value: [
          change('sub-a', 'state-a', '1'),
          change('sub-a', 'state-a', '2'),
          change('sub-b', 'state-b'),
        ],
      },
    });
    expect(res.status).toBe(202);
    expect(changes.sort()).toEqual(['anna@contoso.example', 'ben@contoso.example']);
  });

  it('ignores a notification with a wrong, missing or another subscription’s clientState, answering 202', () => {
    const { receiver, changes, logs } = make();
    const res = receiver.handle({
      query: {},
      body: {
        value: [
          change('sub-a', 'state-b'),
          change('sub-a', null),
          change('sub-unknown', 'state-a'),
          change('sub-a', 'state-a-but-longer'),
          { nonsense: true },
        ],
      },
    });
    expect(res).toEqual({ status: 202, headers: {}, body: '' });
    expect(changes).toEqual([]);
    expect(receiver.ignored).toBe(5);
    expect(logs).toEqual(['Ignored 5 notification(s) that did not pass the clientState check.']);
  });

  it('keeps the genuine ones of a batch that also carries forged ones', () => {
    const { receiver, changes } = make();
    receiver.handle({
      query: {},
      body: { value: [change('sub-a', 'nope'), change('sub-b', 'state-b')] },
    });
    expect(changes).toEqual(['ben@contoso.example']);
    expect(receiver.ignored).toBe(1);
  });

  it('routes each lifecycle event to its mailbox, and drops unknown events', () => {
    const { receiver, lifecycle, changes } = make();
    const res = receiver.handle({
      query: {},
      body: {
        value: [
          {
            subscriptionId: 'sub-a',
            clientState: 'state-a',
            lifecycleEvent: 'reauthorizationRequired',
          },
          {
            subscriptionId: 'sub-b',
            clientState: 'state-b',
            lifecycleEvent: 'subscriptionRemoved',
          },
          { subscriptionId: 'sub-a', clientState: 'state-a', lifecycleEvent: 'missed' },
          { subscriptionId: 'sub-a', clientState: 'state-a', lifecycleEvent: 'somethingNew' },
        ],
      },
    });
    expect(res.status).toBe(202);
    expect(lifecycle).toEqual([
      ['anna@contoso.example', 'reauthorizationRequired'],
      ['ben@contoso.example', 'subscriptionRemoved'],
      ['anna@contoso.example', 'missed'],
    ]);
    expect(changes).toEqual([]);
    expect(receiver.ignored).toBe(1);
  });

  it('answers 400 to what is not a notification collection, and never throws', () => {
    const { receiver } = make();
    for (const body of [undefined, 'text', { value: 'x' }, { value: new Array(1001).fill({}) }]) {
      expect(receiver.handle({ query: {}, body }).status).toBe(400);
    }
  });

  it('answers at once even when a handler fails, and logs only that it failed', async () => {
    const logs: string[] = [];
    const receiver = new NotificationReceiver({
      lookup: (id) => SUBS[id] ?? null,
      onChange: () => Promise.reject(new Error('secret detail')),
      onLifecycle: () => {
        throw new Error('secret detail');
      },
      log: (m) => logs.push(m),
    });
    const res = receiver.handle({
      query: {},
      body: {
        value: [
          change('sub-a', 'state-a'),
          { subscriptionId: 'sub-a', clientState: 'state-a', lifecycleEvent: 'missed' },
        ],
      },
    });
    expect(res.status).toBe(202);
    await new Promise<void>((r) => setImmediate(r));
    expect(logs).toEqual(['A notification handler failed.', 'A notification handler failed.']);
  });
});
