import { z } from 'zod';

/**
 * Faults a test (or `POST /sandbox/faults`) injects into /v1.0 requests. Each fault applies to
 * the next `count` matching requests (default 1; `count: 0` = until cleared), in the order added.
 */
export const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599),
    retryAfterSeconds: z.number().int().min(0).optional(),
    code: z.string().optional(),
    count: z.number().int().min(0).optional(),
    pathContains: z.string().optional(),
    method: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('latency'),
    ms: z.number().int().min(0).max(120_000),
    count: z.number().int().min(0).optional(),
    pathContains: z.string().optional(),
    method: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('drop'),
    count: z.number().int().min(0).optional(),
    pathContains: z.string().optional(),
    method: z.string().optional(),
  }),
]);
export type FaultSpec = z.infer<typeof faultSchema>;

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

export interface FaultController {
  add(spec: FaultSpec): void;
  /** Removes every injected fault. */
  clear(): void;
  /** Forgets all delta/skip tokens (of one mailbox, or all): the next use gets 410. */
  expireDeltaTokens(mailbox?: string): void;
  /** Changes the per-mailbox concurrency limit (Graph: 4 concurrent requests per app+mailbox). */
  setMaxConcurrentPerMailbox(n: number): void;
  /** Changes the per-mailbox request budget (Graph: 10,000 requests per 10 minutes). */
  setRequestBudget(budget: Partial<RequestBudget>): void;
  readonly budget: RequestBudget;
  /** Requests that were answered with an injected or throttling fault, for assertions. */
  readonly stats: FaultStats;
}

export interface FaultStats {
  injected: number;
  /** 429s for either limit: the budget and the concurrency. */
  throttled: number;
  peakInFlight: number;
  /** Issue 16: 429s for the request budget alone, since the budget was last set. */
  budgetThrottled: number;
  /** Issue 16: the most requests any one mailbox had counted in a window, since last set. */
  peakInWindow: number;
}

/**
 * concepts/throttling-limits.md, Outlook service limits: "10,000 API requests in a 10 minute
 * period" per app ID and mailbox, and 4 concurrent requests. Each $batch sub-request counts.
 */
export interface RequestBudget {
  limit: number;
  windowMs: number;
}
export const DEFAULT_BUDGET: RequestBudget = { limit: 10_000, windowMs: 600_000 };

export class Faults implements FaultController {
  private active: ActiveFault[] = [];
  private readonly inFlight = new Map<string, number>();
  /** Per mailbox: the times of the requests counted in the current window, oldest first. */
  private readonly counted = new Map<string, number[]>();
  readonly stats: FaultStats = {
    injected: 0,
    throttled: 0,
    peakInFlight: 0,
    budgetThrottled: 0,
    peakInWindow: 0,
  };
  budget: RequestBudget;

  constructor(
    public maxConcurrentPerMailbox: number,
    private readonly onExpire: (mailbox?: string) => void,
    budget: RequestBudget = DEFAULT_BUDGET,
  ) {
    this.budget = { ...budget };
  }

  setRequestBudget(budget: Partial<RequestBudget>): void {
    this.budget = { ...this.budget, ...budget };
    this.counted.clear();
    this.stats.budgetThrottled = 0;
    this.stats.peakInWindow = 0;
  }

  /**
   * Counts one request against the mailbox's budget. Over it: the seconds until the oldest
   * counted request leaves the window (the Retry-After), and the request is not counted.
   */
  spend(mailbox: string, nowMs: number): number | null {
    const list = this.counted.get(mailbox) ?? [];
    const from = nowMs - this.budget.windowMs;
    let drop = 0;
    while (drop < list.length && (list[drop] ?? 0) <= from) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length >= this.budget.limit) {
      this.stats.throttled++;
      this.stats.budgetThrottled++;
      const oldest = list[0] ?? nowMs;
      return Math.max(1, Math.ceil((oldest + this.budget.windowMs - nowMs) / 1000));
    }
    list.push(nowMs);
    this.counted.set(mailbox, list);
    this.stats.peakInWindow = Math.max(this.stats.peakInWindow, list.length);
    return null;
  }

  /** Requests counted in the current window for a mailbox. */
  used(mailbox: string, nowMs: number): number {
    const from = nowMs - this.budget.windowMs;
    return (this.counted.get(mailbox) ?? []).filter((t) => t > from).length;
  }

  add(spec: FaultSpec): void {
    this.active.push({ spec: faultSchema.parse(spec), remaining: spec.count ?? 1 });
  }

  clear(): void {
    this.active = [];
  }

  expireDeltaTokens(mailbox?: string): void {
    this.onExpire(mailbox);
  }

  setMaxConcurrentPerMailbox(n: number): void {
    this.maxConcurrentPerMailbox = n;
  }

  /** Takes the faults (at most one of each kind) that apply to this request. */
  take(method: string, url: string): FaultSpec[] {
    const out: FaultSpec[] = [];
    for (const f of this.active) {
      const s = f.spec;
      if (out.some((o) => o.kind === s.kind)) continue;
      if (s.pathContains && !url.includes(s.pathContains)) continue;
      if (s.method && s.method.toUpperCase() !== method.toUpperCase()) continue;
      out.push(s);
      if (f.remaining > 0 && --f.remaining === 0) f.remaining = -1;
    }
    this.active = this.active.filter((f) => f.remaining !== -1);
    if (out.some((s) => s.kind !== 'latency')) this.stats.injected++;
    return out;
  }

  /** Real concurrency tracking across in-flight requests; false = over the limit. */
  acquire(mailbox: string): boolean {
    const n = this.inFlight.get(mailbox) ?? 0;
    if (n >= this.maxConcurrentPerMailbox) {
      this.stats.throttled++;
      return false;
    }
    this.inFlight.set(mailbox, n + 1);
    this.stats.peakInFlight = Math.max(this.stats.peakInFlight, n + 1);
    return true;
  }

  release(mailbox: string): void {
    const n = (this.inFlight.get(mailbox) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(mailbox);
    else this.inFlight.set(mailbox, n);
  }
}
