/**
 * Passwords (scrypt with a per-password salt) and bearer tokens (random, stored as SHA-256).
 * Tokens have 256 bits of entropy, so a fast hash is enough; passwords need a slow one.
 *
 * Password hashing runs on libuv's thread pool (`crypto.scrypt`, not `scryptSync`): a sign-in
 * never stalls the event loop, so one person signing in does not hold up everyone's sync calls.
 * The default work factor is OWASP's current minimum for scrypt (N=2^17, r=8, p=1; Password
 * Storage Cheat Sheet). A hash records its parameters, so hashes made at a lower cost (older
 * stores, tests) still verify, and are upgraded on the next successful sign-in.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet: scrypt N=2^17 (128 MiB), r=8, p=1. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** The largest cost a stored hash may ask for: a tampered row must not exhaust memory. */
const MAX_N = 2 ** 20;

function scryptAsync(password: string, salt: Buffer, cost: ScryptCost, keyLength: number) {
  // scrypt needs 128·N·r bytes; Node refuses above `maxmem` (32 MiB by default).
  const maxmem = 256 * cost.N * cost.r;
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...cost, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

function parse(stored: string): { cost: ScryptCost; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const sane =
    scheme === 'scrypt' &&
    Number.isInteger(cost.N) &&
    cost.N >= 2 &&
    cost.N <= MAX_N &&
    (cost.N & (cost.N - 1)) === 0 &&
    Number.isInteger(cost.r) &&
    cost.r >= 1 &&
    cost.r <= 32 &&
    Number.isInteger(cost.p) &&
    cost.p >= 1 &&
    cost.p <= 16 &&
    !!salt &&
    !!hash;
  if (!sane) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export interface PasswordCheck {
  ok: boolean;
  /** Set when the password was right but its hash is weaker than the current cost. */
  rehash?: string;
}

export class Passwords {
  private dummy: Promise<string> | undefined;
  private hashing = 0;

  /** @param onHash observes each hash's start and end (tests assert the event loop stays free). */
  constructor(
    private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST,
    private readonly onHash?: (phase: 'start' | 'end') => void,
  ) {}

  /** How many hashes are running on the thread pool right now. */
  get inFlight(): number {
    return this.hashing;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.run(password, salt, this.cost, KEY_LENGTH);
    const { N, r, p } = this.cost;
    return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /**
   * Checks a password against a stored hash. An unknown user (`stored` undefined) is checked
   * against a fixed hash of the same cost, so timing does not tell which users exist.
   */
  async verify(password: string, stored: string | undefined): Promise<PasswordCheck> {
    const parsed = parse(stored ?? (await (this.dummy ??= this.hash('not-a-password'))));
    if (!parsed) return { ok: false };
    const actual = await this.run(password, parsed.salt, parsed.cost, parsed.hash.length);
    const ok =
      stored !== undefined &&
      actual.length === parsed.hash.length &&
      timingSafeEqual(actual, parsed.hash);
    if (!ok) return { ok };
    const weaker = parsed.cost.N < this.cost.N || parsed.cost.r < this.cost.r;
    return weaker ? { ok, rehash: await this.hash(password) } : { ok };
  }

  private async run(password: string, salt: Buffer, cost: ScryptCost, keyLength: number) {
    this.hashing += 1;
    this.onHash?.('start');
    try {
      return await scryptAsync(password, salt, cost, keyLength);
    } finally {
      this.hashing -= 1;
      this.onHash?.('end');
    }
  }
}

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
