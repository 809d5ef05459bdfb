/**
 * The message view's port (issue 7, SPEC O3): the message the pane is open on, and the CRM side —
 * the sender's contact person and card, an activity from the mail, extranet sharing of a project.
 * Components reach it only through the services context (or `useMessageService`'s default, built
 * over the Host and the connection's CRM session); tests pass a fake.
 */
import {
  CrmContactCard,
  CrmExtranet,
  type ContactCard,
  type CrmContact,
  type ExtranetAccess,
  type ExtranetShare,
  type MailActivityInput,
} from '../../crm';
import type { CurrentMessage, Host } from '../../host/host';
import type { Connection } from '../connection/connectionService';

/** SPEC O3: extranet sharing of a project with a contact person, from a message or an appointment. */
export interface ExtranetCrm {
  /** The project's share with the contact, or null when it is not shared. */
  share(projectId: string, contactId: string): Promise<ExtranetShare | null>;
  /** Shares or changes at once; `invited` when the CRM sent the invitation. */
  saveShare(
    projectId: string,
    contactId: string,
    access: ExtranetAccess,
  ): Promise<{ readonly share: ExtranetShare; readonly invited: boolean }>;
  stopShare(projectId: string, contactId: string): Promise<boolean>;
}

export interface MessageCrm extends ExtranetCrm {
  /** The active contact person with exactly this e-mail address; null when none. */
  findContact(email: string): Promise<CrmContact | null>;
  card(contactId: string): Promise<ContactCard>;
  createFromMail(input: MailActivityInput): Promise<{ readonly id: string }>;
}

export interface MessageService {
  current(): Promise<CurrentMessage | null>;
  /** The CRM side for a signed-in connection; null when it brings no CRM session. */
  crm(connection: Connection): MessageCrm | null;
}

export function createMessageService(host: Host): MessageService {
  const crms = new WeakMap<Connection, MessageCrm>();
  return {
    current: () => host.currentMessage(),
    crm(connection) {
      const session = connection.crm?.session;
      if (!session) return null;
      let crm = crms.get(connection);
      if (!crm) {
        const cards = new CrmContactCard(session);
        const extranet = new CrmExtranet(session);
        crm = {
          findContact: (email) => cards.findByEmail(email),
          card: (contactId) => cards.card(contactId),
          createFromMail: (input) => cards.createFromMail(input),
          share: (projectId, contactId) => extranet.get(projectId, contactId),
          saveShare: (projectId, contactId, access) => extranet.save(projectId, contactId, access),
          stopShare: (projectId, contactId) => extranet.stop(projectId, contactId),
        };
        crms.set(connection, crm);
      }
      return crm;
    },
  };
}
