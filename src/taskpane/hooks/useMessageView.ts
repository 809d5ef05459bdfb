import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ContactCard, CrmContact } from '../../crm';
import type { CurrentMessage } from '../../host/host';
import { useConnection } from '../components/ConnectionProvider';
import {
  createMessageService,
  type MessageCrm,
  type MessageService,
} from '../message/messageService';
import { useServices } from '../services';
import type { Loadable } from './useItemView';

/** The services' message view, or the real one over the host when the root gave none. */
export function useMessageService(): MessageService {
  const { message, host } = useServices();
  return useMemo(() => message ?? createMessageService(host), [message, host]);
}

export interface MessageView {
  readonly message: Loadable<CurrentMessage | null>;
  readonly connected: boolean;
  readonly crm: MessageCrm | null;
  /** The sender's CRM contact once signed in (null: not a CRM contact). */
  readonly contact: Loadable<CrmContact | null> | null;
  readonly card: Loadable<ContactCard> | null;
  /** Reads the card again (after an activity was created). */
  reloadCard(): void;
}

function useLoad<T>(load: (() => Promise<T>) | null, again: number): Loadable<T> | null {
  const [state, setState] = useState<Loadable<T> | null>(null);
  useEffect(() => {
    if (!load) {
      setState(null);
      return undefined;
    }
    let live = true;
    setState((before) => (before?.kind === 'ready' ? before : { kind: 'loading' }));
    load().then(
      (value) => live && setState({ kind: 'ready', value }),
      (error: unknown) => live && setState({ kind: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [load, again]);
  return state;
}

/** Issue 7: the message the pane is open on, its sender's CRM contact and card. */
export function useMessageView(): MessageView {
  const service = useMessageService();
  const { status } = useConnection();
  const connection = status.kind === 'connected' ? status.connection : null;
  const crm = useMemo(() => (connection ? service.crm(connection) : null), [service, connection]);
  const message = useLoad(
    useCallback(() => service.current(), [service]),
    0,
  ) ?? { kind: 'loading' as const };
  const address = message.kind === 'ready' && message.value ? message.value.sender.address : null;
  const contact = useLoad(
    useMemo(() => (crm && address ? () => crm.findContact(address) : null), [crm, address]),
    0,
  );
  const contactId = contact?.kind === 'ready' ? (contact.value?.id ?? null) : null;
  const [again, setAgain] = useState(0);
  const card = useLoad(
    useMemo(() => (crm && contactId ? () => crm.card(contactId) : null), [crm, contactId]),
    again,
  );
  return {
    message,
    connected: connection !== null,
    crm,
    contact,
    card,
    reloadCard: () => setAgain((n) => n + 1),
  };
}
