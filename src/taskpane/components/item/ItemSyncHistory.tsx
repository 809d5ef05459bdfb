import { Badge, Body1, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ItemSyncRecord, ItemSyncState } from '../../item/itemService';
import { failureReason, formatInstant } from '../../status/formatStatus';
import { ItemList } from '../kit/ItemList';
import { useKitStyles } from '../kit/styles';

const useStyles = makeStyles({
  line: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

const exclusionReasons = [
  'corruptTime',
  'forwardedFromOtherCalendar',
  'privateNotSynced',
  'waitingForType',
  'typeNotSynced',
  'completedInCrm',
  'notOwner',
  'stampedPartnerMissing',
  'recurrenceNotSupported',
  'unreadable',
  'crmUnreadable',
  'invitationNotAnswered',
  'organisedByOthers',
  'occurrenceCrossesNeighbour',
  'attendeesOverCap',
] as const;
type ExclusionReason = (typeof exclusionReasons)[number];
const isExclusionReason = (code: string): code is ExclusionReason =>
  (exclusionReasons as readonly string[]).includes(code);

/** Why a sync left the item out (SPEC X1, T1, T3, P1, R3), with what exactly where known. */
export function skipReason(code: string | null, detail: readonly string[], t: TFunction): string {
  if (code === null || !isExclusionReason(code)) return t('itemView.reasons.unknown');
  return t(`itemView.reasons.${code}`, { detail: detail.join(', ') });
}

function reasonOf(record: ItemSyncRecord, t: TFunction): string | null {
  if (record.outcome === 'failed') return failureReason(record.code ?? '', t);
  if (record.outcome === 'skipped') return skipReason(record.code, record.detail, t);
  return null;
}

const outcomeColor = { ok: 'success', failed: 'danger', skipped: 'warning' } as const;

/** The item's sync state in one badge (SPEC E1). */
export function ItemStateBadge(props: { state: ItemSyncState }) {
  const { t } = useTranslation();
  const { state } = props;
  const [color, key] = state.setAside
    ? (['warning', 'setAside'] as const)
    : state.link
      ? (['success', 'linked'] as const)
      : state.waitingForType && state.chosenTypeId === null
        ? (['warning', 'waitingForType'] as const)
        : (['informative', 'notLinked'] as const);
  return (
    <Badge appearance="tint" color={color} shape="rounded">
      {t(`itemView.state.${key}`)}
    </Badge>
  );
}

/** SPEC E1: the item's last three syncs, newest first, each with what it did or why not. */
export function ItemSyncHistory(props: { records: readonly ItemSyncRecord[] }) {
  const { t, i18n } = useTranslation();
  const styles = { ...useKitStyles(), ...useStyles() };
  return (
    <ItemList
      headingId="item-history-heading"
      title={t('itemView.history.title')}
      empty={t('itemView.history.empty')}
      items={props.records}
      itemKey={(record) => `${record.at}-${record.op}-${record.outcome}`}
      renderItem={(record) => {
        const reason = reasonOf(record, t);
        return (
          <>
            <div className={styles.line}>
              <Badge appearance="outline" color={outcomeColor[record.outcome]}>
                {t(`itemView.history.outcome.${record.outcome}`)}
              </Badge>
              <Caption1 className={styles.muted}>
                {formatInstant(record.at, i18n.language)}
              </Caption1>
            </div>
            {record.op !== 'skip' && (
              <Body1 className={styles.text}>{t(`itemView.ops.${record.op}`)}</Body1>
            )}
            {reason !== null && <Body1 className={styles.text}>{reason}</Body1>}
          </>
        );
      }}
    />
  );
}
