import { Button, Caption1, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowUndo20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { StatusAction } from '../hooks/useStatus';
import { failureReason, formatInstant, formatLostValue } from '../status/formatStatus';
import type { TrashView } from '../status/statusService';
import { ItemList } from './kit/ItemList';
import { useKitStyles } from './kit/styles';

const useStyles = makeStyles({
  action: { alignSelf: 'flex-start', marginTop: tokens.spacingVerticalXS },
});

/** SPEC D4: what sync overwrote or deleted, each with a way back. */
export function TrashList(props: {
  rows: readonly TrashView[];
  onAct: (action: StatusAction, target: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = { ...useKitStyles(), ...useStyles() };
  const describe = (row: TrashView) =>
    row.kind === 'deleted'
      ? t('status.trash.deleted')
      : t('status.trash.overwritten', {
          field: t(`status.fields.${row.lost.field}`),
          side: t(`status.sides.${row.lost.side}`),
          value: formatLostValue(row.lost, t, i18n.language),
        });
  return (
    <ItemList
      headingId="status-trash-heading"
      title={t('status.trash.title')}
      lead={t('status.trash.body')}
      empty={t('status.trash.empty')}
      items={props.rows}
      itemKey={(row) => row.id}
      renderItem={(row) => {
        const name = row.subject ?? t('status.item.unknown');
        return (
          <>
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
          </>
        );
      }}
    />
  );
}
