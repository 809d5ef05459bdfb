import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Brake } from '../../sync/core/plan/types';

/**
 * SPEC D3: a run stopped before deleting a large share of the linked items. The counts come from
 * the planner; "Go ahead" runs once with the confirmation, "Not now" lets regular runs resume.
 */
export function BrakeQuestion(props: {
  brake: Brake;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const { brake } = props;
  const text =
    brake.kind === 'massDelete'
      ? t('status.brake.massDelete', { destructive: brake.destructive, linked: brake.linked })
      : brake.side === 'outlook'
        ? t('status.brake.emptyOutlook', { linked: brake.linked })
        : t('status.brake.emptyCrm', { linked: brake.linked });
  return (
    <MessageBar intent="warning" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{t('status.brake.title')}</MessageBarTitle> {text}{' '}
        {t('status.brake.question')}
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={props.onConfirm}>
          {t('status.brake.confirm')}
        </Button>
        <Button onClick={props.onDismiss}>{t('status.brake.cancel')}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
