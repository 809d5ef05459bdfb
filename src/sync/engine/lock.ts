/**
 * One run at a time per mailbox inside a browser. Web Locks (`navigator.locks`) where they exist
 * — Chromium ≥ 69, Safari ≥ 15.4 — so a pane and a dialog of the same add-in never sync at once;
 * an in-process mutex where they do not (old Office webviews, Node, jsdom: REQUIREMENTS.md).
 */
export interface RunLock {
  /** Runs `task` holding the lock `name`; resolves to null without running it if it is held. */
  ifAvailable<T>(name: string, task: () => Promise<T>): Promise<T | null>;
}

interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable: boolean },
    task: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

export class WebLocksRunLock implements RunLock {
  constructor(private readonly locks: LockManagerLike) {}

  async ifAvailable<T>(name: string, task: () => Promise<T>): Promise<T | null> {
    let ran = false;
    const result = await this.locks.request(name, { ifAvailable: true }, async (lock) => {
      if (lock === null) return null;
      ran = true;
      return task();
    });
    return ran ? result : null;
  }
}

export class InProcessRunLock implements RunLock {
  private readonly held = new Set<string>();

  async ifAvailable<T>(name: string, task: () => Promise<T>): Promise<T | null> {
    if (this.held.has(name)) return null;
    this.held.add(name);
    try {
      return await task();
    } finally {
      this.held.delete(name);
    }
  }
}

/** The best lock this runtime has. */
export function createRunLock(): RunLock {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks ? new WebLocksRunLock(locks) : new InProcessRunLock();
}
