/**
 * The Status view's lists when sync runs on the company's service (issue 17, item 6): history,
 * set-aside items and trash read through the service's API (serviceClient.ts) instead of the
 * pane's own store — the same StatusOverview, so RunHistory, SetAsideList and TrashList draw them
 * unchanged. Read again every few seconds while a view watches, and at once after an action.
 */
import { SyncError } from '../../sync/core/errors';
import type { Live, MailboxStatus, StatusOverview } from '../status/statusService';
import type { ServiceClient } from './serviceClient';

/** As many runs as the pane's own view lists (status/createStatusService.ts RECENT_RUNS). */
export const SERVICE_RECENT_RUNS = 20;
/** The lists change only when a run ends: read less often than the state line. */
export const SERVICE_LISTS_POLL_MS = 10_000;

export interface ServiceMailboxStatusOptions {
  readonly pollMs?: number;
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
}

export function serviceMailboxStatus(
  client: ServiceClient,
  options: ServiceMailboxStatusOptions = {},
): MailboxStatus {
  const pollMs = options.pollMs ?? SERVICE_LISTS_POLL_MS;
  const schedule =
    options.setTimeout ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  const cancel =
    options.clearTimeout ??
    ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  /** Every watching view's "read now", for after an action. */
  const watchers = new Set<() => void>();

  const read = async (): Promise<StatusOverview> => {
    const [runs, setAside, trash] = await Promise.all([
      client.history(SERVICE_RECENT_RUNS),
      client.setAside(),
      client.trash(),
    ]);
    return { runs, setAside, trash };
  };

  const overview = (): Live<StatusOverview> => ({
    subscribe(observer) {
      let closed = false;
      let timer: unknown = null;
      let shown = false;
      let reads = 0;
      const readNow = async () => {
        if (timer !== null) cancel(timer);
        timer = null;
        const mine = ++reads;
        try {
          const value = await read();
          if (closed || mine !== reads) return;
          shown = true;
          observer.next(value);
        } catch (error) {
          // Once shown, a failed read keeps the lists (the state line says the service is away).
          if (!closed && mine === reads && !shown) observer.error?.(error);
        }
        if (!closed && mine === reads) timer = schedule(() => void readNow(), pollMs);
      };
      const watcher = () => void readNow();
      watchers.add(watcher);
      void readNow();
      return {
        unsubscribe() {
          closed = true;
          watchers.delete(watcher);
          if (timer !== null) cancel(timer);
        },
      };
    },
  });

  const thenRead = <T>(result: T): T => {
    for (const watcher of [...watchers]) watcher();
    return result;
  };

  return {
    overview,
    async retry(itemKey) {
      thenRead(await client.retry(itemKey));
    },
    async unlink() {
      // Not offered with the service (the lists hide the button): say so rather than pretend.
      throw new SyncError('invalidRequest', 'Unlinking is not offered by the sync service');
    },
    restore: async (trashId) => thenRead(await client.restore(trashId)),
  };
}
