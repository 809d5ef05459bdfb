/**
 * Sign-in throttling (OWASP Authentication Cheat Sheet, "Protect against automated attacks"):
 * failed sign-ins are counted per user name and per client address in a fixed window. Once
 * either count reaches its limit, further attempts are refused with 429 and `Retry-After` until
 * the window ends — before any password is hashed, so a flood costs the server nothing.
 *
 * An attempt counts as failed from the moment it starts: parallel attempts cannot slip past the
 * limit while their hashes run. A successful sign-in takes its attempt back and clears the user
 * name's count. Memory is bounded: at most `maxTracked` keys per kind; when full, expired
 * windows go first, then the oldest.
 */
import { HttpProblem } from '../http/problem';
import type { Clock } from './clock';

export interface SignInLimits {
  /** Failed sign-ins per user name per window. Default 5. */
  perUser: number;
  /** Failed sign-ins per client address per window. Default 20. */
  perAddress: number;
  /** Window length. Default 900 s (15 min). */
  windowSeconds: number;
  /** Keys remembered per kind. Default 10,000. */
  maxTracked?: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perUser: 5,
  perAddress: 20,
  windowSeconds: 900,
};

interface Window {
  start: number;
  failures: number;
}

class Counter {
  private readonly windows = new Map<string, Window>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxTracked: number,
  ) {}

  /** Milliseconds until the key may try again, or 0. */
  blockedFor(key: string, now: number): number {
    const w = this.current(key, now);
    return w && w.failures >= this.limit ? w.start + this.windowMs - now : 0;
  }

  fail(key: string, now: number): void {
    const w = this.current(key, now);
    if (w) {
      w.failures += 1;
      return;
    }
    this.makeRoom(now);
    this.windows.set(key, { start: now, failures: 1 });
  }

  /** Takes back one counted attempt (it succeeded). */
  undo(key: string, now: number): void {
    const w = this.current(key, now);
    if (w && w.failures > 0) w.failures -= 1;
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string, now: number): Window | undefined {
    const w = this.windows.get(key);
    if (w && now - w.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxTracked) return;
    for (const [key, w] of this.windows) {
      if (now - w.start >= this.windowMs) this.windows.delete(key);
    }
    // Still full: forget the oldest windows (Map keeps insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxTracked) break;
      this.windows.delete(key);
    }
  }
}

export interface SignInAttempt {
  /** The attempt succeeded: take it back and clear the user name's count. */
  succeeded(): void;
}

export class SignInLimiter {
  private readonly users: Counter;
  private readonly addresses: Counter;

  constructor(
    private readonly clock: Clock,
    limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {
    const windowMs = limits.windowSeconds * 1000;
    const max = limits.maxTracked ?? 10_000;
    this.users = new Counter(limits.perUser, windowMs, max);
    this.addresses = new Counter(limits.perAddress, windowMs, max);
  }

  /**
   * Starts an attempt, or throws 429 `too-many-sign-in-attempts` with `Retry-After`.
   * The user name is keyed whether or not such a user exists, so 429 reveals nothing.
   */
  begin(companyId: string, username: string, address: string): SignInAttempt {
    const now = this.clock.now();
    const userKey = `${companyId}\n${username.toLowerCase()}`;
    const wait = Math.max(
      this.users.blockedFor(userKey, now),
      this.addresses.blockedFor(address, now),
    );
    if (wait > 0) {
      const seconds = String(Math.max(1, Math.ceil(wait / 1000)));
      throw new HttpProblem({
        status: 429,
        code: 'too-many-sign-in-attempts',
        title: 'Too many requests',
        detail: `Too many failed sign-ins. Try again in ${seconds} seconds.`,
        headers: { 'Retry-After': seconds },
      });
    }
    this.users.fail(userKey, now);
    this.addresses.fail(address, now);
    return {
      succeeded: () => {
        this.users.clear(userKey);
        this.addresses.undo(address, this.clock.now());
      },
    };
  }
}
