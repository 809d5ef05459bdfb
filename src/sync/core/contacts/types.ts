/**
 * The contact planner's vocabulary (SPEC K1, K2): the calendar's shape (plan/types.ts) for a
 * second item kind — links with a base per side, operations that can wait in the outbox, the
 * same brake.
 */
import type { CrmContact, OutlookContact } from '../sides';
import type { ConflictPolicy } from '../merge';
import type { RecordLost } from '../mergeRecord';
import type { Brake, ChangesOf, LinkOf } from '../plan/types';
import type { ContactField, ContactItem } from './model';

/** SPEC K2: contact sync off, two-way, or one-way CRM → Outlook. */
export type ContactMode = 'off' | 'twoWay' | 'crmToOutlook';

export interface ContactSettings {
  readonly mode: ContactMode;
  /** SPEC K1: CRM contact people of synced activities go to the address book. */
  readonly addActivityContacts: boolean;
  readonly conflictPolicy: ConflictPolicy;
}

/** A contact pair: the calendar's link with contact bases (no versions: contacts carry none). */
export type ContactLink = LinkOf<ContactItem>;

/** A contact value sync overwrote (SPEC D4), as for activities. */
export type ContactLost = RecordLost<ContactItem, ContactField>;

/** The calendar's change sets, for contacts; an Outlook deletion is a `@removed` read back as 404. */
export interface ContactPlanInput extends ChangesOf<ContactLink, OutlookContact, CrmContact> {
  /** SPEC K1: CRM contacts among the participants of synced activities. */
  readonly activityContactIds: ReadonlySet<string>;
  /** CRM contacts the person dropped from a one-way sync (deleted their Outlook copy). */
  readonly setAside: ReadonlySet<string>;
}

export type ContactOperation =
  | {
      readonly op: 'contactLink';
      readonly outlook: OutlookContact;
      readonly crm: CrmContact;
      readonly reason: 'stamp' | 'match';
      /**
       * Both bases. When the two differ, the loser's values: if the update that follows fails,
       * the next run still sees the winner's values as its edit and sends them again.
       */
      readonly base: ContactItem;
    }
  | {
      readonly op: 'contactCreateInCrm';
      readonly outlook: OutlookContact;
      readonly item: ContactItem;
      readonly idempotencyKey: string;
    }
  | {
      readonly op: 'contactCreateInOutlook';
      readonly crm: CrmContact;
      readonly item: ContactItem;
      /** The outbox key; Graph has no transactionId for contacts (see OutlookContacts). */
      readonly key: string;
    }
  | {
      readonly op: 'contactUpdate';
      readonly link: ContactLink;
      /** Values the CRM takes, Outlook takes, and fields both hold alike already. */
      readonly toCrm: Partial<ContactItem>;
      readonly toOutlook: Partial<ContactItem>;
      readonly agreed: Partial<ContactItem>;
      /** SPEC D4: what the conflict policy overwrote, into the trash before anything is written. */
      readonly lost: readonly ContactLost[];
    }
  /** SPEC K2: deleted in Outlook → archived in the CRM (two-way only). */
  | { readonly op: 'contactArchiveInCrm'; readonly link: ContactLink; readonly item: ContactItem }
  /** SPEC K2: deleted (or archived) in the CRM → deleted in Outlook, into the trash first. */
  | {
      readonly op: 'contactDeleteInOutlook';
      readonly outlookId: string;
      readonly crmId: string;
      readonly item: ContactItem;
      readonly linked: boolean;
    }
  | {
      readonly op: 'contactUnlink';
      readonly link: ContactLink;
      /**
       * `setAside`: deleted in Outlook under a one-way sync; the CRM is not written and the
       * contact is not copied again until the person releases it.
       */
      /** `replaced`: the contact goes on under a new Outlook id with the same stamp (issue 15). */
      readonly reason: 'deletedOnBothSides' | 'setAside' | 'replaced';
    };

export interface ContactPlan {
  readonly operations: readonly ContactOperation[];
  readonly brake: Brake | null;
  /** What the brake held back, as the calendar's Plan.held. */
  readonly held: readonly ContactOperation[];
}
