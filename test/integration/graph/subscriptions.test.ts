/**
 * The emulator's change notifications (sandbox/graph/subscriptions.ts, routes/subscriptions.ts),
 * against a real loopback webhook: the validation handshake, the 4,230-minute limit, batched
 * created/updated/deleted notifications with clientState, expiry, and the three lifecycle
 * notifications (microsoft-graph-docs-contrib concepts/change-notifications-*.md).
 */
import { startReceiver, eventually, type TestReceiver } from '../../support/webhookReceiver';
import { NOW, startHarness, type Harness } from './helpers';

const MINUTE = 60_000;
let clock = NOW;
let h: Harness;
let rx: TestReceiver;

const eventBody = (subject: string) => ({
  subject,
  start: { dateTime: '2025-03-21T09:00:00', timeZone: 'UTC' },
  end: { dateTime: '2025-03-21T10:00:00', timeZone: 'UTC' },
});

const subscribe = (over: Record<string, unknown> = {}) =>
  h.call<Record<string, string>>('POST', '/v1.0/subscriptions', {
    body: {
      changeType: 'created,updated,deleted',
      notificationUrl: `${rx.url}/notify`,
      lifecycleNotificationUrl: `${rx.url}/lifecycle`,
      resource: '/me/events',
      expirationDateTime: new Date(clock + 60 * MINUTE).toISOString(),
      clientState: 'secret-state',
      ...over,
    },
  });

const notifications = (path = '/notify') =>
  rx.received.filter((r) => r.path === path).flatMap((r) => r.body.value);

beforeEach(async () => {
  clock = NOW;
  h = await startHarness({
    now: () => clock,
    notifications: { validationTimeoutMs: 1_000, retryBaseMs: 10, maxDeliveryAttempts: 2 },
  });
  rx = await startReceiver();
});

afterEach(async () => {
  await h.close();
  await rx.close();
});

describe('subscriptions: the validation handshake', () => {
  it('validates both URLs with a decoded plain-text token and answers 201', async () => {
    const res = await subscribe();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      resource: '/me/events',
      changeType: 'created,updated,deleted',
      clientState: 'secret-state',
      notificationUrl: `${rx.url}/notify`,
      lifecycleNotificationUrl: `${rx.url}/lifecycle`,
    });
    expect(rx.validations).toHaveLength(2);
    // Graph's token has spaces and colons: the receiver must decode it (it did: the echo matched).
    expect(rx.validations[0]).toMatch(/^Validation: .+ Request-Id: /);
  });

  it('refuses a subscription whose endpoint echoes the token still encoded', async () => {
    rx.mode.set('/notify', 'wrongToken');
    const res = await subscribe();
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('validation request failed');
    const list = await h.call<{ value: unknown[] }>('GET', '/v1.0/subscriptions');
    expect(list.body.value).toEqual([]);
  });

  it('refuses one whose endpoint does not answer within the deadline', async () => {
    rx.mode.set('/lifecycle', 'silent');
    expect((await subscribe()).status).toBe(400);
  });

  it('posts only to loopback and refuses what Graph refuses', async () => {
    expect((await subscribe({ notificationUrl: 'https://example.com/hook' })).status).toBe(400);
    expect((await subscribe({ clientState: 'x'.repeat(129) })).status).toBe(400);
    expect((await subscribe({ changeType: 'created,moved' })).status).toBe(400);
    expect((await subscribe({ resource: '/me/messages' })).status).toBe(400);
    const other = await subscribe({ resource: '/users/ben@contoso.example/events' });
    expect(other.status).toBe(403);
  });
});

describe('subscriptions: lifetime', () => {
  it('allows at most 4,230 minutes and a future time', async () => {
    const tooLong = await subscribe({
      expirationDateTime: new Date(clock + 4231 * MINUTE).toISOString(),
    });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain('4230 minutes');
    const past = await subscribe({ expirationDateTime: new Date(clock - MINUTE).toISOString() });
    expect(past.status).toBe(400);
    const longest = await subscribe({
      expirationDateTime: new Date(clock + 4230 * MINUTE).toISOString(),
    });
    expect(longest.status).toBe(201);
  });

  it('renews with PATCH, and an expired subscription is gone and notifies no more', async () => {
    // Within the delegated token's hour (the emulator's clock moves it too).
    const { body: sub } = await subscribe({
      expirationDateTime: new Date(clock + 20 * MINUTE).toISOString(),
    });
    const id = sub.id ?? '';
    clock += 15 * MINUTE;
    const renewed = await h.call<Record<string, string>>('PATCH', `/v1.0/subscriptions/${id}`, {
      body: { expirationDateTime: new Date(clock + 20 * MINUTE).toISOString() },
    });
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expirationDateTime ?? '')).toBe(clock + 20 * MINUTE);
    clock += 21 * MINUTE;
    expect((await h.call('GET', `/v1.0/subscriptions/${id}`)).status).toBe(404);
    const late = await h.call('PATCH', `/v1.0/subscriptions/${id}`, {
      body: { expirationDateTime: new Date(clock + 20 * MINUTE).toISOString() },
    });
    expect(late.status).toBe(404);
    // A change after expiry: the next subscription's notification arrives, none for the old one.
    const { body: next } = await subscribe();
    await h.call('POST', '/v1.0/me/events', { body: eventBody('after expiry') });
    await eventually(() => notifications().length > 0, 'a notification');
    expect(notifications().map((n) => n.subscriptionId)).toEqual([next.id]);
  });
});

describe('subscriptions: change notifications', () => {
  it('batches created, updated and deleted with clientState and the event id', async () => {
    const { body: sub } = await subscribe();
    const created = await h.call<{ id: string }>('POST', '/v1.0/me/events', {
      body: eventBody('Board meeting'),
    });
    const id = created.body.id;
    await eventually(() => notifications().length === 1, 'the created notification');
    await h.call('PATCH', `/v1.0/me/events/${id}`, { body: { subject: 'Board meeting (moved)' } });
    await eventually(() => notifications().length === 2, 'the updated notification');
    await h.call('DELETE', `/v1.0/me/events/${id}`);
    await eventually(() => notifications().length === 3, 'the deleted notification');
    const all = notifications();
    expect(all.map((n) => n.changeType)).toEqual(['created', 'updated', 'deleted']);
    for (const n of all) {
      expect(n).toMatchObject({
        subscriptionId: sub.id,
        clientState: 'secret-state',
        resourceData: { id, '@odata.type': '#Microsoft.Graph.Event' },
      });
      expect(String(n.resource)).toMatch(new RegExp(`^Users/[^/]+/Events/${id}$`));
      // Basic notifications: no subject, body or other content.
      expect(JSON.stringify(n)).not.toContain('Board meeting');
    }
  });

  it('sends changes made close together in one POST', async () => {
    await subscribe();
    await Promise.all(
      [1, 2, 3].map((i) => h.call('POST', '/v1.0/me/events', { body: eventBody(`e${i}`) })),
    );
    await eventually(() => notifications().length === 3, 'three notifications');
    expect(rx.received.filter((r) => r.path === '/notify').length).toBeLessThan(3);
  });

  it('notifies only the change types asked for', async () => {
    await subscribe({ changeType: 'deleted' });
    const created = await h.call<{ id: string }>('POST', '/v1.0/me/events', {
      body: eventBody('x'),
    });
    await h.call('DELETE', `/v1.0/me/events/${created.body.id}`);
    await eventually(() => notifications().length > 0, 'a notification');
    expect(notifications().map((n) => n.changeType)).toEqual(['deleted']);
  });

  it('sends `missed` to the lifecycle URL when notifications cannot be delivered', async () => {
    const { body: sub } = await subscribe();
    rx.mode.set('/notify', 'fail');
    await h.call('POST', '/v1.0/me/events', { body: eventBody('lost') });
    await eventually(() => notifications('/lifecycle').length === 1, 'the missed notification');
    expect(notifications('/lifecycle')[0]).toMatchObject({
      subscriptionId: sub.id,
      clientState: 'secret-state',
      lifecycleEvent: 'missed',
    });
    const state = await h.call<{ missedNotifications: number }>('GET', '/sandbox/subscriptions');
    expect(state.body.missedNotifications).toBe(1);
  });
});

describe('subscriptions: lifecycle notifications (sandbox triggers)', () => {
  const trigger = (id: string, lifecycleEvent: string) =>
    h.call<{ delivered: boolean }>('POST', `/sandbox/subscriptions/${id}/lifecycle`, {
      body: { lifecycleEvent },
    });

  it('reauthorizationRequired pauses notifications until the subscription is reauthorized', async () => {
    const { body: sub } = await subscribe();
    const id = sub.id ?? '';
    expect((await trigger(id, 'reauthorizationRequired')).body.delivered).toBe(true);
    expect(notifications('/lifecycle')[0]).toMatchObject({
      subscriptionId: id,
      lifecycleEvent: 'reauthorizationRequired',
      clientState: 'secret-state',
    });
    await h.call('POST', '/v1.0/me/events', { body: eventBody('during the pause') });
    expect((await h.call('POST', `/v1.0/subscriptions/${id}/reauthorize`)).status).toBe(204);
    await h.call('POST', '/v1.0/me/events', { body: eventBody('after') });
    await eventually(() => notifications().length > 0, 'a notification after reauthorizing');
    expect(notifications()).toHaveLength(1);
  });

  it('subscriptionRemoved removes the subscription', async () => {
    const { body: sub } = await subscribe();
    await trigger(sub.id ?? '', 'subscriptionRemoved');
    expect(notifications('/lifecycle')[0]).toMatchObject({ lifecycleEvent: 'subscriptionRemoved' });
    expect((await h.call('GET', `/v1.0/subscriptions/${sub.id}`)).status).toBe(404);
  });

  it('missed is delivered with the subscription’s clientState', async () => {
    const { body: sub } = await subscribe();
    await trigger(sub.id ?? '', 'missed');
    expect(notifications('/lifecycle')[0]).toMatchObject({
      subscriptionId: sub.id,
      lifecycleEvent: 'missed',
      clientState: 'secret-state',
    });
  });
});
