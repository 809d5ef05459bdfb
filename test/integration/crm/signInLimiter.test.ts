/**
 * The reference CRM's sign-in limiter and password hashes below the HTTP layer: windows end,
 * memory stays bounded under a flood of distinct names, and a cheaper (older) hash verifies and is
 * upgraded to the current cost.
 */
import { createClock } from '../../../sandbox/crm/domain/clock';
import { Passwords } from '../../../sandbox/crm/domain/secrets';
import { SignInLimiter } from '../../../sandbox/crm/domain/signInLimits';

const T0 = Date.parse('2026-03-04T10:00:00Z');

function limited(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    const init = (err as { init?: { status: number; headers?: Record<string, string> } }).init;
    expect(init?.status).toBe(429);
    return init?.headers?.['Retry-After'];
  }
}

describe('SignInLimiter', () => {
  it('blocks a user name after N failures until its window ends, case-insensitively', () => {
    let now = T0;
    const limiter = new SignInLimiter(
      createClock(() => now),
      {
        perUser: 3,
        perAddress: 100,
        windowSeconds: 60,
      },
    );
    for (let i = 0; i < 3; i++) limiter.begin('c', 'Anna@x.example', `10.0.0.${i}`);
    expect(limited(() => limiter.begin('c', 'anna@x.example', '10.0.0.9'))).toBe('60');
    // Same name in another company is another key.
    expect(limited(() => limiter.begin('d', 'anna@x.example', '10.0.0.9'))).toBeUndefined();
    now += 59_500;
    expect(limited(() => limiter.begin('c', 'anna@x.example', '10.0.0.9'))).toBe('1');
    now += 500;
    expect(limited(() => limiter.begin('c', 'anna@x.example', '10.0.0.9'))).toBeUndefined();
  });

  it('stays bounded under a flood of distinct names: the oldest windows are forgotten', () => {
    const now = T0;
    const limiter = new SignInLimiter(
      createClock(() => now),
      {
        perUser: 1,
        perAddress: 1_000_000,
        windowSeconds: 900,
        maxTracked: 100,
      },
    );
    limiter.begin('c', 'victim', 'a');
    expect(limited(() => limiter.begin('c', 'victim', 'a'))).toBe('900');
    for (let i = 0; i < 100; i++) limiter.begin('c', `flood${i}`, 'a');
    // 100 newer keys pushed the victim's window out: bounded memory costs that one window.
    expect(limited(() => limiter.begin('c', 'victim', 'a'))).toBeUndefined();
    // The newest ones are still tracked.
    expect(limited(() => limiter.begin('c', 'flood99', 'a'))).toBe('900');
  });
});

describe('Passwords', () => {
  it('verifies a cheaper hash and returns one at the current cost to store instead', async () => {
    const old = await new Passwords({ N: 16, r: 1, p: 1 }).hash('secret');
    const current = new Passwords({ N: 1024, r: 8, p: 1 });
    expect((await current.verify('wrong', old)).ok).toBe(false);
    const check = await current.verify('secret', old);
    expect(check.ok).toBe(true);
    expect(check.rehash?.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await current.verify('secret', check.rehash)).toEqual({ ok: true });
    // An unknown user is checked against a dummy hash and never passes.
    expect((await current.verify('not-a-password', undefined)).ok).toBe(false);
    // A tampered row asking for absurd memory is refused, not run.
    expect((await current.verify('secret', 'scrypt$1073741824$8$1$c2FsdA==$aGFzaA==')).ok).toBe(
      false,
    );
    expect(current.inFlight).toBe(0);
  });
});
