import { Button } from '@fluentui/react-components';
import { DeleteDismiss20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from './kit/ConfirmDialog';

/**
 * SPEC C5: the forced removal, behind a confirmation that warns of duplicates. Fluent's Dialog
 * traps focus and returns it to the trigger when closed.
 */
export function ForcedRemovalDialog(props: { onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      trigger={
        <Button size="small" icon={<DeleteDismiss20Regular />}>
          {t('signIn.forcedRemoval.action')}
        </Button>
      }
      title={t('signIn.forcedRemoval.title')}
      body={t('signIn.forcedRemoval.body')}
      cancel={t('signIn.forcedRemoval.cancel')}
      confirm={t('signIn.forcedRemoval.confirm')}
      onConfirm={props.onConfirm}
    />
  );
}
