/**
 * The item view's port (SPEC E1, T3, O1, O2): what the pane shows about the appointment it is
 * open on, from the sync store, the host and the CRM. Components reach it only through the
 * services context; the real one (createItemService.ts) is built over the Host, the store and
 * the CRM client, and tests give it a fake-indexeddb store and a behaving CRM fake.
 */
import type { CurrentItem } from '../../host/host';
import type { RelationIds, RelationKind, RelationOption } from '../../crm';
import type { ExtranetCrm } from '../message/messageService';
import type { Instant } from '../../sync/core/model';
import type { SyncRecordRow } from '../../sync/store/schema';
import type { Connection } from '../connection/connectionService';
import type { Live } from '../status/statusService';

/** SPEC E1: one of the item's last syncs. */
export interface ItemSyncRecord {
  readonly at: Instant;
  readonly op: SyncRecordRow['op'];
  readonly outcome: SyncRecordRow['outcome'];
  /** A SyncError code (failed) or an exclusion reason (skipped); null when it went well. */
  readonly code: string | null;
  /** For a skipped item, what exactly (e.g. the RRULE parts Outlook lacks). */
  readonly detail: readonly string[];
}

/** What the store knows of one Outlook item. */
export interface ItemSyncState {
  /** The subject when the item was last synced; null when the store never linked it. */
  readonly subject: string | null;
  /** The linked CRM activity, or null while the item is not linked. */
  readonly link: {
    readonly crmId: string;
    readonly crmTypeId: string;
    /** SPEC F3: whether this person owns the activity (only the owner may change it). */
    readonly isOwner: boolean;
  } | null;
  /** Newest first, at most three (SPEC E1). */
  readonly records: readonly ItemSyncRecord[];
  /** SPEC T3: the last run left it out until a type is chosen. */
  readonly waitingForType: boolean;
  /** SPEC T3: the type the person chose, until the item is linked. */
  readonly chosenTypeId: string | null;
  /** SPEC E4: set aside after repeated failures, or unlinked by the person. */
  readonly setAside: boolean;
}

/** One relation of the activity with its name; null when none is set. */
export type NamedRelations = Readonly<Record<RelationKind, RelationOption | null>>;

/** SPEC O3: a contact person taking part in the activity, as the CRM resolved them. */
export interface ContactParticipant {
  /** The contact person's CRM id. */
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

/** The linked CRM activity as the item view shows it (SPEC O1, O2, O3). */
export interface ItemActivityView {
  readonly id: string;
  readonly etag: string;
  readonly typeId: string;
  readonly completed: boolean;
  readonly cancelled: boolean;
  readonly relations: NamedRelations;
  /** SPEC O3: the customers' contact persons among the participants, in the CRM's order. */
  readonly contacts: readonly ContactParticipant[];
  /** SPEC O2 "Open in the CRM": the CRM's own web address of the activity, when it has one. */
  readonly crmUrl: string | null;
}

/** The CRM side of the item view for one connection; it shares projects as the message view does. */
export interface ItemCrm extends ExtranetCrm {
  /** The activity, or null when it is gone or no longer visible. */
  activity(crmId: string): Promise<ItemActivityView | null>;
  /** SPEC O1: customers, projects or sales cases whose name contains `q`. */
  search(kind: RelationKind, q: string, customerId?: string): Promise<readonly RelationOption[]>;
  /** SPEC O1, F2: replaces the relations (owner only); never touches the Outlook item. */
  setRelations(crmId: string, relations: RelationIds, etag: string): Promise<ItemActivityView>;
  /** SPEC O2 "Open in Outlook": the event's Outlook on the web link; null when it has none. */
  outlookUrl(outlookId: string): Promise<string | null>;
  /** SPEC O3: the open projects of the contact person's customer, which can be shared with them. */
  projectsToShare(contactId: string): Promise<readonly SharableProject[]>;
}

export interface SharableProject {
  readonly id: string;
  readonly name: string;
}

/** One mailbox's store, as the item view uses it. */
export interface MailboxItems {
  /** The store's view of one Outlook item, again on every change of the store. */
  syncState(outlookId: string): Live<ItemSyncState>;
  /**
   * SPEC T3: keeps the chosen type and asks the next run to read the item again (its change is
   * behind the cursors by now); that run creates the CRM activity with this type.
   */
  chooseType(outlookId: string, typeId: string): Promise<void>;
}

export interface ItemService {
  /** The appointment the pane was opened on (the host's REST id and subject). */
  current(): Promise<CurrentItem>;
  forMailbox(mailbox: string): MailboxItems;
  /** The CRM side for a signed-in connection; null when it brings no CRM session. */
  crm(connection: Connection): ItemCrm | null;
}
