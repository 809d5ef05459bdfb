import { useEffect, useMemo, useState } from 'react';
import type { CurrentItem } from '../../host/host';
import { useConnection } from '../components/ConnectionProvider';
import type { ItemActivityView, ItemCrm, ItemSyncState, MailboxItems } from '../item/itemService';
import { useServices } from '../services';
import type { SyncController } from '../sync/syncController';
import { useLive, type LiveResult } from './useLive';

export type Loadable<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly value: T }
  | { readonly kind: 'failed'; readonly error: unknown };

export interface ItemView {
  readonly current: Loadable<CurrentItem>;
  readonly items: MailboxItems;
  readonly state: LiveResult<ItemSyncState>;
  /** The CRM side when signed in with a CRM session; null otherwise. */
  readonly crm: ItemCrm | null;
  /** The linked activity, once the item is linked and the CRM answered (null: it is gone). */
  readonly activity: Loadable<ItemActivityView | null> | null;
  setActivity(view: ItemActivityView): void;
  /** SPEC O2: the Outlook event's web link, when known. */
  readonly outlookUrl: string | null;
  readonly scheduler: SyncController | null;
  readonly connected: boolean;
}

/** The item view's data (SPEC E1, T3, O1, O2): the host's item, the store's record, the CRM's. */
export function useItemView(): ItemView {
  const { item, host } = useServices();
  const { status } = useConnection();
  const connection = status.kind === 'connected' ? status.connection : null;
  const scheduler = status.kind === 'connected' ? status.scheduler : null;
  const [current, setCurrent] = useState<Loadable<CurrentItem>>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    item.current().then(
      (value) => live && setCurrent({ kind: 'ready', value }),
      (error: unknown) => live && setCurrent({ kind: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [item]);

  // The store is the paired mailbox's; before sign-in, the host's (the same one once paired).
  const mailbox = connection?.mailbox ?? host.mailboxAddress();
  const items = useMemo(() => item.forMailbox(mailbox), [item, mailbox]);
  const outlookId =
    current.kind === 'ready' && current.value.kind === 'appointment' ? current.value.id : null;
  const live = useMemo(
    () => (outlookId === null ? null : items.syncState(outlookId)),
    [items, outlookId],
  );
  const state = useLive(live);
  const crm = useMemo(() => (connection ? item.crm(connection) : null), [item, connection]);

  const crmId = state.kind === 'ready' ? (state.value.link?.crmId ?? null) : null;
  const [activity, setActivityState] = useState<Loadable<ItemActivityView | null> | null>(null);
  const [outlookUrl, setOutlookUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!crm || crmId === null || outlookId === null) {
      setActivityState(null);
      setOutlookUrl(null);
      return undefined;
    }
    let live = true;
    setActivityState({ kind: 'loading' });
    crm.activity(crmId).then(
      (value) => live && setActivityState({ kind: 'ready', value }),
      (error: unknown) => live && setActivityState({ kind: 'failed', error }),
    );
    crm.outlookUrl(outlookId).then(
      (url) => live && setOutlookUrl(url),
      (error: unknown) => console.warn('Could not read the Outlook link', error),
    );
    return () => {
      live = false;
    };
  }, [crm, crmId, outlookId]);

  return {
    current,
    items,
    state,
    crm,
    activity,
    setActivity: (value) => setActivityState({ kind: 'ready', value }),
    outlookUrl,
    scheduler,
    connected: connection !== null,
  };
}
