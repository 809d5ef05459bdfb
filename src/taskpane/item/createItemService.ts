/**
 * The real ItemService: the host names the item, the sync store (Dexie live queries) tells its
 * link and last syncs, the CRM client reads and changes the linked activity, Graph gives the
 * event's web link. Built once by the pane's composition root, over its root's mailbox resources
 * (one Graph client and one store opening per mailbox, src/taskpane/paneRoot.ts).
 */
import { liveQuery } from 'dexie';
import type { AddinConfig } from '../../config/addinConfig';
import {
  CrmContactCard,
  CrmExtranet,
  CrmItemActivity,
  type RelationKind,
  type RelationOption,
} from '../../crm';
import type { ItemActivity } from '../../crm';
import type { Host } from '../../host/host';
import { immutableIdOf } from '../../outlook/graphIds';
import { GraphOutlookCalendar } from '../../outlook/graphOutlookCalendar';
import type { Instant } from '../../sync/core/model';
import type { OutlookCalendar } from '../../sync/ports';
import { retryItem } from '../../sync/store/actions';
import { lastSyncs, RECORDS_PER_ITEM } from '../../sync/store/records';
import type { SyncDb } from '../../sync/store/schema';
import type { SyncStore } from '../../sync/store/syncStore';
import type { Connection } from '../connection/connectionService';
import { once, perMailbox } from '../onDemand';
import { createPaneRoot, type PaneRoot } from '../paneRoot';
import type {
  ContactParticipant,
  ItemActivityView,
  ItemCrm,
  ItemService,
  ItemSyncState,
  MailboxItems,
  NamedRelations,
} from './itemService';
import { itemsWhenLoaded } from './itemServiceOnDemand';
import { readTypeChoices, saveTypeChoice } from './typeChoices';

/** Only web addresses become links: a CRM or Graph answer must not smuggle in `javascript:`. */
export function webAddress(raw: string | null | undefined, base?: string): string | null {
  if (!raw) return null;
  try {
    const url = base === undefined ? new URL(raw) : new URL(raw, `${base.replace(/\/+$/, '')}/`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The item's link through the store port, as the engine reads it (a row to repair is no link
 * there); its history, set-aside and pending rows from the tables of the same Dexie opening, so
 * the live query follows them all.
 */
interface ItemSource {
  readonly db: SyncDb;
  readonly store: SyncStore;
}

async function readState(
  { db, store }: ItemSource,
  host: Host,
  outlookId: string,
): Promise<ItemSyncState> {
  const itemKey = `o:${outlookId}`;
  const [link, rows, quarantine] = await Promise.all([
    store.linkByOutlookId('calendar', outlookId),
    lastSyncs(db, itemKey),
    db.quarantine.get(itemKey),
    // Read so that the live query runs again when a type choice asks for the item (pending).
    db.pending.get(itemKey),
  ]);
  const last = rows[0];
  return {
    subject: link?.outlookBase.subject ?? null,
    link: link ? { crmId: link.crmId, crmTypeId: link.crmTypeId, isOwner: link.isOwner } : null,
    records: rows.slice(0, RECORDS_PER_ITEM).map((row) => ({
      at: row.at,
      op: row.op,
      outcome: row.outcome,
      code: row.code ?? null,
      detail: row.detail ?? [],
    })),
    waitingForType: !link && last?.outcome === 'skipped' && last.code === 'waitingForType',
    chosenTypeId: link ? null : (readTypeChoices(host)[outlookId] ?? null),
    setAside: quarantine?.quarantined === true,
  };
}

export function mailboxItems(source: ItemSource, host: Host, clock: () => Instant): MailboxItems {
  return {
    syncState: (outlookId) => liveQuery(() => readState(source, host, outlookId)),
    async chooseType(outlookId, typeId) {
      const outlookIds = Object.keys(readTypeChoices(host));
      const linked = await source.store.linksByIds('calendar', { outlookIds });
      const linkedIds = new Set(linked.map((l) => l.outlookId));
      await saveTypeChoice(host, { outlookId, typeId, at: clock() }, linkedIds);
      // Skipped items are behind the cursors: without a pending row the next run would not
      // read this one again until it changes in Outlook.
      await retryItem(source.db, `o:${outlookId}`);
    },
  };
}

const kinds: readonly RelationKind[] = ['customer', 'project', 'salesCase'];
const idOf = (kind: RelationKind) =>
  kind === 'customer' ? 'customerId' : kind === 'project' ? 'projectId' : 'salesCaseId';

/** SPEC O3: the contact persons among the participants; a name the CRM did not resolve is the address or id. */
export function contactParticipants(a: ItemActivity): ContactParticipant[] {
  return a.participants.flatMap((p) =>
    p.kind === 'contact'
      ? [{ id: p.contactId, name: p.name?.trim() || p.email || p.contactId, email: p.email }]
      : [],
  );
}

/** The CRM side over the CRM Sync API and, for "Open in Outlook", Microsoft Graph. */
export function itemCrm(
  client: CrmItemActivity,
  outlook: () => Promise<OutlookCalendar>,
  address: string,
  contacts: { readonly cards: CrmContactCard; readonly extranet: CrmExtranet },
): ItemCrm {
  const { cards, extranet } = contacts;
  const view = async (a: ItemActivity): Promise<ItemActivityView> => {
    const named = await Promise.all(
      kinds.map(async (kind): Promise<[RelationKind, RelationOption | null]> => {
        const id = a.relations[idOf(kind)];
        if (id === null) return [kind, null];
        // A relation the CRM no longer lists still has its id: show that rather than nothing.
        return [kind, (await client.relation(kind, id)) ?? { id, name: id, customerId: null }];
      }),
    );
    return {
      id: a.id,
      etag: a.etag,
      typeId: a.typeId,
      completed: a.completed,
      cancelled: a.cancelled,
      relations: Object.fromEntries(named) as NamedRelations,
      contacts: contactParticipants(a),
      crmUrl: webAddress(a.webUrl, address),
    };
  };
  return {
    async activity(crmId) {
      const a = await client.get(crmId);
      return a && view(a);
    },
    search: (kind, q, customerId) => client.search(kind, q, customerId),
    async setRelations(crmId, relations, etag) {
      return view(await client.setRelations(crmId, relations, etag));
    },
    async outlookUrl(outlookId) {
      const event = await (await outlook()).get(outlookId);
      return webAddress(event?.webLink);
    },
    async projectsToShare(contactId) {
      const card = await cards.card(contactId);
      return card.openProjects.map((p) => ({ id: p.id, name: p.name }));
    },
    share: (projectId, contactId) => extranet.get(projectId, contactId),
    saveShare: (projectId, contactId, access) => extranet.save(projectId, contactId, access),
    stopShare: (projectId, contactId) => extranet.stop(projectId, contactId),
  };
}

function isoNow(): Instant {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createItemService(options: {
  readonly host: Host;
  readonly config: AddinConfig;
  /** The pane's root: the mailbox's one Graph client and store opening (a new root if absent). */
  readonly root?: PaneRoot;
  readonly indexedDB?: IDBFactory;
  readonly clock?: () => Instant;
}): ItemService {
  const { host, config } = options;
  const root =
    options.root ??
    createPaneRoot(host, config, options.indexedDB ? { indexedDB: options.indexedDB } : {});
  const crms = new WeakMap<Connection, ItemCrm>();
  return {
    // The store keys events by Graph's immutable ids; Office.js gives a REST id: translate it.
    async current() {
      const item = await host.currentItem();
      if (item.kind !== 'appointment') return item;
      try {
        // Issue 11 item 6: looking up the open item happens when the pane opens, not because
        // the person asked for anything: the silent client, never a sign-in window.
        const { graph } = await root.mailbox(host.mailboxAddress());
        return { ...item, id: await immutableIdOf(graph, item.id) };
      } catch {
        // Offline or not signed in: look it up as it is (a standalone host's id is already Graph's).
        return item;
      }
    },
    forMailbox: perMailbox((key) =>
      itemsWhenLoaded(
        once(async () => mailboxItems(await root.mailbox(key), host, options.clock ?? isoNow)),
      ),
    ),
    crm(connection) {
      const session = connection.crm?.session;
      if (!session) return null;
      let crm = crms.get(connection);
      if (!crm) {
        // "Open in Outlook" is the person's own step: the interactive view of the one client.
        const outlook = async () =>
          new GraphOutlookCalendar({
            client: (await root.mailbox(connection.mailbox)).graphInteractive,
            personZone: connection.crm?.timeZone ?? 'UTC',
          });
        crm = itemCrm(new CrmItemActivity(session), outlook, connection.address, {
          cards: new CrmContactCard(session),
          extranet: new CrmExtranet(session),
        });
        crms.set(connection, crm);
      }
      return crm;
    },
  };
}
