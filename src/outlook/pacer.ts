/**
 * Issue 16, item 4: the Graph budget of one app and mailbox, kept on our side. Graph's Outlook
 * service limits (concepts/throttling-limits.md, "Outlook service limits") allow 10,000 API
 * requests in a 10 minute period per app ID and mailbox, and each request of a $batch counts
 * on its own (concepts/json-batching.md, "Batch size limitations": "Requests in a batch are
 * evaluated individually against the applicable throttling limits"). The pacer remembers what
 * the client spent in the last window and, before a request would pass the limit, waits until
 * enough of the oldest spending has left the window — so a first sync larger than the budget
 * takes longer instead of meeting a wall of 429s.
 *
 * Hand-written (a sliding-window log of a few thousand numbers): the well-kept limiters on npm
 * (bottleneck, p-throttle) pace by a fixed rate or a reservoir refilled on a timer, not by a
 * sliding window whose unit of cost is a batch's sub-requests.
 */

export interface GraphBudget {
  /** Sub-requests allowed in one window. */
  readonly limit: number;
  readonly windowMs: number;
}

/** concepts/throttling-limits.md, Outlook service limits: 10,000 requests per 10 minutes. */
export const GRAPH_BUDGET: GraphBudget = { limit: 10_000, windowMs: 600_000 };

/**
 * Our clock and Graph's are not the same, and a request is counted when it arrives: a spending
 * leaves our window this much later than it left Graph's, so the two never disagree about room.
 */
const MARGIN_MS = 2_000;

/**
 * Issue 18: where the spending is counted when more than this process spends one budget — the
 * scale-out workers share one per app and mailbox (src/service/scale/sharedBudget.ts keeps it in
 * PostgreSQL). Without it the pacer counts in memory, as above.
 */
export interface SharedBudgetCounts {
  /**
   * Counts `cost` as spent now when it fits in every budget the counts keep, and answers 0;
   * otherwise counts nothing and answers the milliseconds until it would fit.
   */
  tryTake(cost: number): Promise<number>;
}

export interface PacerOptions {
  readonly budget?: GraphBudget;
  readonly shared?: SharedBudgetCounts;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface PacerState {
  /** Sub-requests spent in the window ending now. */
  readonly used: number;
  readonly limit: number;
  readonly windowMs: number;
  /** Milliseconds waited so far for the budget (all requests together). */
  readonly waitedMs: number;
}

export class Pacer {
  readonly budget: GraphBudget;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly shared: SharedBudgetCounts | undefined;
  /** [time, cost] of each spending in the window, oldest first. */
  private readonly spent: [number, number][] = [];
  private used = 0;
  private waited = 0;
  /** Takers wait in turn: a large batch is not overtaken for ever by small requests. */
  private queue: Promise<void> = Promise.resolve();

  constructor(options: PacerOptions = {}) {
    this.budget = options.budget ?? GRAPH_BUDGET;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.shared = options.shared;
  }

  /**
   * Waits until `cost` sub-requests fit in the budget, then counts them as spent now. Bounded:
   * a cost is at most the limit, and what is spent leaves the window within `windowMs`, so one
   * take waits at most one window (and its margin) once its turn comes.
   */
  take(cost: number): Promise<void> {
    const n = Math.max(1, Math.min(this.budget.limit, Math.ceil(cost)));
    const turn = this.queue.then(() => this.takeNow(n));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  state(): PacerState {
    this.expire(this.now());
    return {
      used: this.used,
      limit: this.budget.limit,
      windowMs: this.budget.windowMs,
      waitedMs: this.waited,
    };
  }

  private async takeNow(n: number): Promise<void> {
    if (this.shared) return this.takeShared(this.shared, n);
    // At most twice: one wait computed from the log empties enough of it; the second pass only
    // covers a sleep that woke early.
    for (let pass = 0; pass < 3; pass++) {
      const now = this.now();
      this.expire(now);
      const wait = this.waitFor(n, now);
      if (wait <= 0) break;
      this.waited += wait;
      await this.sleep(wait);
    }
    this.spent.push([this.now(), n]);
    this.used += n;
  }

  /**
   * The shared counts decide. Others spend the same budget meanwhile, so a wait may not be
   * enough: bounded to a few windows' worth of passes, after which the request goes anyway and
   * Graph's own 429 with Retry-After (graphClient.ts) is the last word.
   */
  private async takeShared(shared: SharedBudgetCounts, n: number): Promise<void> {
    for (let pass = 0; pass < 20; pass++) {
      const wait = await shared.tryTake(n);
      if (wait <= 0) break;
      this.waited += wait;
      await this.sleep(wait);
    }
    // This process's own spending, for state().
    this.spent.push([this.now(), n]);
    this.used += n;
  }

  private expire(now: number): void {
    const from = now - this.budget.windowMs - MARGIN_MS;
    while (this.spent.length > 0 && (this.spent[0]?.[0] ?? now) <= from) {
      this.used -= this.spent.shift()?.[1] ?? 0;
    }
  }

  /** Milliseconds until `n` more fit: when enough of the oldest spending has left the window. */
  private waitFor(n: number, now: number): number {
    let over = this.used + n - this.budget.limit;
    if (over <= 0) return 0;
    for (const [at, cost] of this.spent) {
      over -= cost;
      if (over <= 0) return at + this.budget.windowMs + MARGIN_MS - now + 1;
    }
    return this.budget.windowMs + MARGIN_MS;
  }
}
