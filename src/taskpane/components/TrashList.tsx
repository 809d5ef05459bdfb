import { Body1, Button, Caption1, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowUndo20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { StatusAction } from '../hooks/useStatus';
import { failureReason, formatInstant, formatLostValue } from '../status/formatStatus';
import type { TrashView } from '../status/statusService';

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
  action: { alignSelf: 'flex-start', marginTop: tokens.spacingVerticalXS },
});

/** SPEC D4: what sync overwrote or deleted, each with a way back. */
export function TrashList(props: {
  rows: readonly TrashView[];
  onAct: (action: StatusAction, target: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const describe = (row: TrashView) =>
    row.kind === 'deleted'
      ? t('status.trash.deleted')
      : t('status.trash.overwritten', {
          field: t(`status.fields.${row.lost.field}`),
          side: t(`status.sides.${row.lost.side}`),
          value: formatLostValue(row.lost, t, i18n.language),
        });
  return (
    <section className={styles.root} aria-labelledby="status-trash-heading">
      <Text
        as="h3"
        size={300}
        weight="semibold"
        className={styles.heading}
        id="status-trash-heading"
      >
        {t('status.trash.title')}
      </Text>
      <Body1 className={styles.muted}>{t('status.trash.body')}</Body1>
      {props.rows.length === 0 ? (
        <Body1 className={styles.muted}>{t('status.trash.empty')}</Body1>
      ) : (
        <ul className={styles.list} aria-labelledby="status-trash-heading">
          {props.rows.map((row) => {
            const name = row.subject ?? t('status.item.unknown');
            return (
              <li key={row.id} className={styles.row}>
                <Text weight="semibold" className={styles.text}>
                  {name}
                </Text>
                <Caption1 className={styles.text}>{describe(row)}</Caption1>
                <Caption1 className={styles.muted}>{formatInstant(row.at, i18n.language)}</Caption1>
                {row.restore?.state === 'requested' && (
                  <Caption1 role="status">{t('status.trash.requested')}</Caption1>
                )}
                {row.restore?.state === 'done' && (
                  <Caption1 role="status">{t('status.trash.done')}</Caption1>
                )}
                {row.restore?.state === 'failed' && (
                  <Caption1 className={styles.muted}>
                    {t('status.trash.failed', { reason: failureReason(row.restore.code, t) })}
                  </Caption1>
                )}
                {(row.restore === null || row.restore.state === 'failed') && (
                  <Button
                    size="small"
                    className={styles.action}
                    icon={<ArrowUndo20Regular />}
                    aria-label={t('status.trash.restoreNamed', { name })}
                    onClick={() => props.onAct('restore', row.id)}
                  >
                    {t('status.trash.restore')}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
