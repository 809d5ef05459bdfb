import { useCallback, useMemo } from 'react';
import { useServices } from '../services';
import type { StatusOverview } from '../status/statusService';
import { useLive, type LiveResult } from './useLive';

/** The toaster the Status view's confirmations go to. */
export const statusToasterId = 'status-toaster';

export type StatusAction = 'retry' | 'unlink' | 'restore';

export interface StatusApi {
  readonly overview: LiveResult<StatusOverview>;
  /** Does the action on the store, asks for a run at once, and confirms it in a toast. */
  act(action: StatusAction, target: string | number): Promise<void>;
}

/**
 * The Status view's data and actions for one mailbox (SPEC D4, E2, E4). `syncNow` is the running
 * loop's, when there is one: the store keeps the request, and the next run carries it out anyway.
 */
export function useStatus(
  mailbox: string,
  syncNow: (() => void) | null,
  toast: (action: StatusAction, ok: boolean) => void,
): StatusApi {
  const { status } = useServices();
  const store = useMemo(() => status.forMailbox(mailbox), [status, mailbox]);
  const live = useMemo(() => store.overview(), [store]);
  const overview = useLive(live);
  const act = useCallback(
    async (action: StatusAction, target: string | number) => {
      try {
        if (action === 'restore') await store.restore(Number(target));
        else if (action === 'retry') await store.retry(String(target));
        else await store.unlink(String(target));
        toast(action, true);
      } catch (error) {
        console.warn('Status action failed', error);
        toast(action, false);
        return;
      }
      // An unlink needs no run; a retry or a restore is wanted now.
      if (action !== 'unlink') syncNow?.();
    },
    [store, syncNow, toast],
  );
  return { overview, act };
}
