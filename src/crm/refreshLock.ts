/**
 * Issue 14, item 6: one refresh of the rotating CRM token at a time across every pane, dialog and
 * command runtime of the add-in's origin. The refresh token is single use (docs/crm-sync-api.yaml,
 * /sessions/refresh): two runtimes presenting the same one make the CRM revoke the session.
 *
 * Web Locks (`navigator.locks`, exclusive mode) are shared by every same-origin document and
 * worker of a browser profile — https://developer.mozilla.org/docs/Web/API/Web_Locks_API — so a
 * lock held in one pane makes the others wait. Where the runtime has none (Node, jsdom, old
 * webviews), an in-process queue per name gives the same guarantee inside this process.
 */

/** Runs `task` holding the exclusive lock `name`, waiting for it if another holder has it. */
export interface ExclusiveLocks {
  run<T>(name: string, task: () => Promise<T>): Promise<T>;
}

/** The part of the Web Locks LockManager used here. */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { mode: 'exclusive' },
    task: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

export class WebLocks implements ExclusiveLocks {
  constructor(private readonly locks: LockManagerLike) {}

  run<T>(name: string, task: () => Promise<T>): Promise<T> {
    return this.locks.request(name, { mode: 'exclusive' }, () => task());
  }
}

/** Exclusive locks inside one JavaScript realm: a FIFO queue per name. */
export class InProcessLocks implements ExclusiveLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(name) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(task);
    const tail = mine.catch(() => undefined);
    this.tails.set(name, tail);
    try {
      return await mine;
    } finally {
      // The queue forgets the name once nobody waits behind this holder.
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}

/** One per realm, so every CrmSession of this runtime queues behind the same holder. */
const inProcess = new InProcessLocks();

/** The runtime's cross-pane locks: Web Locks where they exist, else the realm's own queue. */
export function crossPaneLocks(): ExclusiveLocks {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks ? new WebLocks(locks) : inProcess;
}
