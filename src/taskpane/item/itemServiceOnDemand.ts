/**
 * The item view's service as the composition root hands it out: the real one
 * (createItemService.ts: the store, the CRM client, Graph) is imported the first time the item
 * view uses it.
 */
import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import type { Connection } from '../connection/connectionService';
import { liveOnDemand, once } from '../onDemand';
import type { PaneRoot } from '../paneRoot';
import type { ItemCrm, ItemService, MailboxItems } from './itemService';

export function itemServiceOnDemand(
  options: { readonly host: Host; readonly config: AddinConfig; readonly root?: PaneRoot },
  load: () => Promise<ItemService> = async () =>
    (await import(/* webpackChunkName: "item-service" */ './createItemService')).createItemService(
      options,
    ),
): ItemService {
  const real = once(load);
  const open = new Map<string, MailboxItems>();
  const crms = new WeakMap<Connection, ItemCrm>();
  return {
    current: async () => (await real()).current(),
    forMailbox(mailbox) {
      const key = mailbox.trim().toLowerCase();
      let items = open.get(key);
      if (!items) {
        const store = async () => (await real()).forMailbox(mailbox);
        items = {
          syncState: (outlookId) => liveOnDemand(async () => (await store()).syncState(outlookId)),
          chooseType: async (outlookId, typeId) => (await store()).chooseType(outlookId, typeId),
        };
        open.set(key, items);
      }
      return items;
    },
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
