import { Body1, Spinner, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { Notice } from './kit/Notice';
import { useViewStyles } from './kit/ViewLayout';
import { useTypeNames } from '../hooks/useActivityTypes';
import { useItemView, type ItemView } from '../hooks/useItemView';
import { useItemVersion } from '../hooks/useItemVersion';
import type { ItemSyncState } from '../item/itemService';
import { useServices } from '../services';
import { ActivityContacts } from './item/ActivityContacts';
import { ItemStateBadge, ItemSyncHistory } from './item/ItemSyncHistory';
import { LinkedActivity } from './item/LinkedActivity';
import { MessageSection } from './message/MessageSection';
import { TypeChoice } from './item/TypeChoice';

/** The CRM side: the linked activity, or why it cannot be shown. */
function CrmPart(props: { view: ItemView; state: ItemSyncState; nameOf: (id: string) => string }) {
  const { t } = useTranslation();
  const { preferences } = useServices();
  const { view, state } = props;
  if (!state.link) return null;
  if (!view.connected) return <Notice>{t('itemView.activity.notConnected')}</Notice>;
  if (!view.crm) return <Notice>{t('itemView.activity.unavailable')}</Notice>;
  const activity = view.activity;
  if (activity === null || activity.kind === 'loading') {
    return <Spinner size="tiny" label={t('itemView.activity.loading')} />;
  }
  if (activity.kind === 'failed') {
    return <Notice intent="error">{t('itemView.activity.loadFailed')}</Notice>;
  }
  if (activity.value === null)
    return <Notice intent="warning">{t('itemView.activity.gone')}</Notice>;
  const customerFirst = preferences.load('en').options.showRelationsByDefault;
  return (
    <>
      <LinkedActivity
        view={activity.value}
        crm={view.crm}
        typeName={props.nameOf(activity.value.typeId)}
        isOwner={state.link.isOwner}
        customerFirst={customerFirst}
        outlookUrl={view.outlookUrl}
        onSaved={view.setActivity}
      />
      <ActivityContacts contacts={activity.value.contacts} crm={view.crm} />
    </>
  );
}

/**
 * The item tab: on a message, the sender's CRM card (issue 7, SPEC O3); otherwise the appointment
 * view. A pinned pane follows the selected item (ItemChanged): each item gets fresh views, keyed
 * by the item version, and the kind is read again (a message, an appointment, or none).
 */
export function ItemSection() {
  const { host } = useServices();
  const version = useItemVersion();
  return host.currentItemKind() === 'message' ? (
    <MessageSection key={`message-${version}`} />
  ) : (
    <AppointmentSection key={`item-${version}`} />
  );
}

/** SPEC E1, T3, O1, O2: the appointment the pane is open on, and its sync. */
function AppointmentSection() {
  const { t, i18n } = useTranslation();
  const styles = useViewStyles();
  const { preferences } = useServices();
  const view = useItemView();
  const { types, typeName: nameOfType, nameOf } = useTypeNames();
  const prefs = preferences.load(i18n.language);
  // SPEC T1: only types whose new items sync to the CRM can be picked; never the personal one.
  const creatable = view.connected
    ? (types?.filter((type) => {
        const allowed = prefs.outlookToCrm.createTypes;
        return !type.personal && (allowed === 'all' || allowed.includes(type.id));
      }) ?? null)
    : null;

  const { current } = view;
  if (current.kind === 'loading') return <Spinner size="tiny" label={t('itemView.loading')} />;
  if (current.kind === 'failed' || current.value.kind === 'none') {
    return <Notice>{t('itemView.noItem')}</Notice>;
  }
  if (current.value.kind === 'unsaved') return <Notice>{t('itemView.unsaved')}</Notice>;
  const { state } = view;
  if (state.kind === 'loading') return <Spinner size="tiny" label={t('itemView.loading')} />;
  if (state.kind === 'failed') return <Notice intent="error">{t('itemView.loadFailed')}</Notice>;
  const sync = state.value;
  const subject = current.value.subject || sync.subject || t('itemView.noSubject');
  const outlookId = current.value.id;
  const asksForType = !sync.link && (sync.waitingForType || sync.chosenTypeId !== null);
  return (
    <div className={styles.root}>
      <div className={styles.head}>
        <Text as="h3" size={400} weight="semibold" className={styles.subject}>
          {subject}
        </Text>
        <div>
          <ItemStateBadge state={sync} />
        </div>
        {!sync.link && !asksForType && (
          <Body1 className={styles.muted}>{t('itemView.notLinkedHint')}</Body1>
        )}
      </div>
      {asksForType && (
        <TypeChoice
          types={creatable}
          chosenTypeId={sync.chosenTypeId}
          nameOf={nameOfType}
          onChoose={async (typeId) => {
            await view.items.chooseType(outlookId, typeId);
            view.scheduler?.syncNow();
          }}
        />
      )}
      <CrmPart view={view} state={sync} nameOf={nameOf} />
      <ItemSyncHistory records={sync.records} />
    </div>
  );
}
