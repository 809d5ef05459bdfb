/**
 * The CRM lease a run holds while it writes (issue 4, issue 11): taken lazily, renewed while held,
 * given back only by its holder. ./run.ts ends a run as 'busy' on LeaseHeld.
 */
import type { EngineDeps } from './context';

/** Raised inside a run when the CRM lease is another client's: the run ends as 'busy'. */
export class LeaseHeld extends Error {
  override readonly name = 'LeaseHeld';
}

/**
 * The CRM lease, taken only when the run is about to write: reading needs no lease, and an idle
 * run then costs one request per side (issue 4's target) instead of three on the CRM.
 *
 * Issue 11: while the run holds it, the lease is renewed every third of its TTL (the same
 * compare-and-set PUT with the same holder id), so a run longer than the TTL never loses it to
 * another client mid-write. A renewal the CRM refuses means another holder took it: the next
 * write point ends the run as 'busy'. Renewal stops with the run; the lease is given back only by
 * its holder (DELETE with this holder id, which the CRM refuses for anyone else).
 */
export function lazyLease(deps: Pick<EngineDeps, 'crm' | 'holderId' | 'leaseSeconds'>): {
  ensure(): Promise<void>;
  release(): Promise<void>;
} {
  const ttlSeconds = deps.leaseSeconds ?? 120;
  let held = false;
  let lost = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const renew = async () => {
    try {
      if ((await deps.crm.acquireLease(deps.holderId, ttlSeconds)) === null) lost = true;
    } catch {
      // A failed renewal is retried at the next tick; the TTL leaves two more before it lapses.
    }
  };
  return {
    async ensure() {
      if (lost) throw new LeaseHeld();
      if (held) return;
      const lease = await deps.crm.acquireLease(deps.holderId, ttlSeconds);
      if (lease === null) throw new LeaseHeld();
      held = true;
      timer = setInterval(() => void renew(), Math.max(1, ttlSeconds / 3) * 1000);
    },
    async release() {
      if (timer !== undefined) clearInterval(timer);
      if (held && !lost) await deps.crm.releaseLease(deps.holderId).catch(() => undefined);
    },
  };
}
