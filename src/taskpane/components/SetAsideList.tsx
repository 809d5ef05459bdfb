import { Body1, Caption1, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { StatusAction } from '../hooks/useStatus';
import { failureReason, formatInstant } from '../status/formatStatus';
import type { SetAsideView } from '../status/statusService';
import { ItemActions } from './ItemActions';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: '0' },
  list: { listStyleType: 'none', margin: '0', padding: '0' },
  row: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  text: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});

/** SPEC E4: items that kept failing (or that the person unlinked), set aside until retried. */
export function SetAsideList(props: {
  items: readonly SetAsideView[];
  onAct: (action: StatusAction, target: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  return (
    <section className={styles.root} aria-labelledby="status-set-aside-heading">
      <Text
        as="h3"
        size={300}
        weight="semibold"
        className={styles.heading}
        id="status-set-aside-heading"
      >
        {t('status.setAside.title')}
      </Text>
      <Body1 className={styles.muted}>{t('status.setAside.body')}</Body1>
      {props.items.length === 0 ? (
        <Body1 className={styles.muted}>{t('status.setAside.empty')}</Body1>
      ) : (
        <ul className={styles.list} aria-labelledby="status-set-aside-heading">
          {props.items.map((item) => {
            const name = item.subject ?? t('status.item.unknown');
            return (
              <li key={item.itemKey} className={styles.row}>
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
                  canUnlink={!item.unlinked}
                  onAct={props.onAct}
                />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
