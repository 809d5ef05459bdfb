/**
 * The item view's service as the composition root hands it out: the real one
 * (createItemService.ts: the store, the CRM client, Graph) is imported the first time the item
 * view uses it.
 */
import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import type { Connection } from '../connection/connectionService';
import { liveOnDemand, once, perMailbox } from '../onDemand';
import type { PaneRoot } from '../paneRoot';
import type { ItemCrm, ItemService, MailboxItems } from './itemService';

/** A mailbox's items whose real ones arrive later: each call waits for them (loaded once). */
export function itemsWhenLoaded(load: () => Promise<MailboxItems>): MailboxItems {
  return {
    syncState: (outlookId) => liveOnDemand(async () => (await load()).syncState(outlookId)),
    chooseType: async (outlookId, typeId) => (await load()).chooseType(outlookId, typeId),
  };
}

export function itemServiceOnDemand(
  options: { readonly host: Host; readonly config: AddinConfig; readonly root?: PaneRoot },
  load: () => Promise<ItemService> = async () =>
    (await import(/* webpackChunkName: "item-service" */ './createItemService')).createItemService(
      options,
    ),
): ItemService {
  const real = once(load);
  const crms = new WeakMap<Connection, ItemCrm>();
  return {
    current: async () => (await real()).current(),
    forMailbox: perMailbox((_key, mailbox) =>
      itemsWhenLoaded(async () => (await real()).forMailbox(mailbox)),
    ),
    crm(connection) {
      // As the real one: no CRM session, no CRM side (decided without loading anything).
      if (!connection.crm?.session) return null;
      let crm = crms.get(connection);
      if (!crm) {
        const side = async (): Promise<ItemCrm> => {
          const loaded = (await real()).crm(connection);
          if (!loaded) throw new Error('The connection has no CRM session');
          return loaded;
        };
        crm = {
          activity: async (crmId) => (await side()).activity(crmId),
          search: async (kind, q, customerId) => (await side()).search(kind, q, customerId),
          setRelations: async (crmId, relations, etag) =>
            (await side()).setRelations(crmId, relations, etag),
          outlookUrl: async (outlookId) => (await side()).outlookUrl(outlookId),
          projectsToShare: async (contactId) => (await side()).projectsToShare(contactId),
          share: async (projectId, contactId) => (await side()).share(projectId, contactId),
          saveShare: async (projectId, contactId, access) =>
            (await side()).saveShare(projectId, contactId, access),
          stopShare: async (projectId, contactId) => (await side()).stopShare(projectId, contactId),
        };
        crms.set(connection, crm);
      }
      return crm;
    },
  };
}
