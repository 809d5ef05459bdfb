/**
 * The Status view's service as the composition root hands it out: the real one
 * (createStatusService.ts, over Dexie) is imported the first time a view uses the store.
 */
import { liveOnDemand, once } from '../onDemand';
import type { PaneRoot } from '../paneRoot';
import type { MailboxStatus, StatusService } from './statusService';

/** The real one over the pane root's store openings (or, without a root, its own). */
export const loadStatusService = (root?: PaneRoot) => async (): Promise<StatusService> =>
  (await import(/* webpackChunkName: "sync-store" */ './createStatusService')).createStatusService(
    root ? { root } : {},
  );

export function statusServiceOnDemand(
  load: () => Promise<StatusService> = loadStatusService(),
): StatusService {
  const real = once(load);
  const open = new Map<string, MailboxStatus>();
  return {
    forMailbox(mailbox) {
      const key = mailbox.trim().toLowerCase();
      let status = open.get(key);
      if (!status) {
        const store = async () => (await real()).forMailbox(mailbox);
        status = {
          overview: () => liveOnDemand(async () => (await store()).overview()),
          retry: async (itemKey) => (await store()).retry(itemKey),
          unlink: async (itemKey) => (await store()).unlink(itemKey),
          restore: async (trashId) => (await store()).restore(trashId),
        };
        open.set(key, status);
      }
      return status;
    },
  };
}
