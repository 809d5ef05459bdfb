import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
} from '@fluentui/react-components';
import { DeleteDismiss20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * SPEC C5: the forced removal, behind a confirmation that warns of duplicates. Fluent's Dialog
 * traps focus and returns it to the trigger when closed.
 */
export function ForcedRemovalDialog(props: { onConfirm: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={(_event, data) => setOpen(data.open)} modalType="alert">
      <DialogTrigger disableButtonEnhancement>
        <Button size="small" icon={<DeleteDismiss20Regular />}>
          {t('signIn.forcedRemoval.action')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('signIn.forcedRemoval.title')}</DialogTitle>
          <DialogContent>{t('signIn.forcedRemoval.body')}</DialogContent>
          <DialogActions fluid>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary">{t('signIn.forcedRemoval.cancel')}</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              onClick={() => {
                setOpen(false);
                props.onConfirm();
              }}
            >
              {t('signIn.forcedRemoval.confirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
