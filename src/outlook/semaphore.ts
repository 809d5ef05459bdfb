/**
 * A counting semaphore with weights. Graph allows 4 concurrent requests per app and mailbox
 * against Outlook (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits);
 * beyond that it answers 429 MailboxConcurrency. One semaphore per client keeps us under it. A
 * $batch envelope weighs as many slots as the sub-requests Graph runs of it at once (issue 16):
 * they are what Graph counts against the 4, not the envelope.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: { readonly weight: number; readonly go: () => void }[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>, weight = 1): Promise<T> {
    const w = Math.max(1, Math.min(this.limit, Math.floor(weight)));
    await this.acquire(w);
    try {
      return await task();
    } finally {
      this.release(w);
    }
  }

  private acquire(weight: number): Promise<void> {
    // First come, first served: a heavy waiter is not overtaken by light ones behind it.
    if (this.waiting.length === 0 && this.active + weight <= this.limit) {
      this.active += weight;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push({ weight, go }));
  }

  private release(weight: number): void {
    this.active -= weight;
    for (let next = this.waiting[0]; next; next = this.waiting[0]) {
      if (this.active + next.weight > this.limit) break;
      this.waiting.shift();
      this.active += next.weight;
      next.go();
    }
  }
}
