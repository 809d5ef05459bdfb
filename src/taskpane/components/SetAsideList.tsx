import { Caption1, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { StatusAction } from '../hooks/useStatus';
import { failureReason, formatInstant } from '../status/formatStatus';
import type { SetAsideView } from '../status/statusService';
import { ItemActions } from './ItemActions';
import { ItemList } from './kit/ItemList';
import { useKitStyles } from './kit/styles';

/** SPEC E4: items that kept failing (or that the person unlinked), set aside until retried. */
export function SetAsideList(props: {
  items: readonly SetAsideView[];
  onAct: (action: StatusAction, target: string) => void;
  /** False where unlinking is not offered (sync on the company's service, issue 17). */
  canUnlink?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const styles = useKitStyles();
  return (
    <ItemList
      headingId="status-set-aside-heading"
      title={t('status.setAside.title')}
      lead={t('status.setAside.body')}
      empty={t('status.setAside.empty')}
      items={props.items}
      itemKey={(item) => item.itemKey}
      renderItem={(item) => {
        const name = item.subject ?? t('status.item.unknown');
        return (
          <>
            <Text weight="semibold" className={styles.text}>
              {name}
            </Text>
            <Caption1 className={styles.text}>
              {item.unlinked
                ? t('status.setAside.unlinked')
                : t('status.setAside.failures', {
                    count: item.failures,
                    reason: failureReason(item.lastCode, t),
                  })}
            </Caption1>
            <Caption1 className={styles.muted}>
              {t('status.setAside.since', { time: formatInstant(item.since, i18n.language) })}
            </Caption1>
            <ItemActions
              itemKey={item.itemKey}
              name={name}
              canUnlink={props.canUnlink !== false && !item.unlinked}
              onAct={props.onAct}
            />
          </>
        );
      }}
    />
  );
}
