/**
 * The Status view's service as the composition root hands it out: the real one
 * (createStatusService.ts, over Dexie) is imported the first time a view uses the store.
 */
import { liveOnDemand, once, perMailbox } from '../onDemand';
import type { PaneRoot } from '../paneRoot';
import type { MailboxStatus, StatusService } from './statusService';

/** The real one over the pane root's store openings (or, without a root, its own). */
export const loadStatusService = (root?: PaneRoot) => async (): Promise<StatusService> =>
  (await import(/* webpackChunkName: "sync-store" */ './createStatusService')).createStatusService(
    root ? { root } : {},
  );

/** A mailbox's status whose real one arrives later: each call waits for it (loaded once). */
export function statusWhenLoaded(load: () => Promise<MailboxStatus>): MailboxStatus {
  return {
    overview: () => liveOnDemand(async () => (await load()).overview()),
    retry: async (itemKey) => (await load()).retry(itemKey),
    unlink: async (itemKey) => (await load()).unlink(itemKey),
    restore: async (trashId) => (await load()).restore(trashId),
  };
}

export function statusServiceOnDemand(
  load: () => Promise<StatusService> = loadStatusService(),
): StatusService {
  const real = once(load);
  return {
    forMailbox: perMailbox((_key, mailbox) =>
      statusWhenLoaded(async () => (await real()).forMailbox(mailbox)),
    ),
  };
}
