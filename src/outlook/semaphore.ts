/**
 * A counting semaphore. Graph allows 4 concurrent requests per app and mailbox against Outlook
 * (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits); beyond that it
 * answers 429 MailboxConcurrency. One semaphore per client keeps us under it.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // Hand the slot straight to the next waiter, so `active` never dips and overshoots.
    if (next) next();
    else this.active--;
  }
}
