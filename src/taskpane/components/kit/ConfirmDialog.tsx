/**
 * The pane's component kit (issue 13): a step behind a confirmation (forced removal, stopping an
 * extranet share, syncing again from a date). Fluent's Dialog traps focus and returns it to the
 * trigger when it closes. The cancelling button closes it; the confirming one submits the
 * dialog's form (so Enter in a field confirms too) and closes it unless the step says a field in
 * `body` is not valid yet.
 */
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
import { useState, type ReactElement, type ReactNode } from 'react';

export function ConfirmDialog(props: {
  /** The button that opens the dialog. */
  trigger: ReactElement;
  title: string;
  body: ReactNode;
  confirm: string;
  cancel: string;
  /**
   * Starts the step. Returning `false` keeps the dialog open (what `body` asks for is not valid
   * yet); anything else closes it.
   */
  onConfirm: () => unknown;
  /** Each time the dialog opens: a form in `body` starts afresh. */
  onOpen?: () => void;
  /**
   * 'alert' (the default, for a destructive step): only its buttons close it. 'modal': Escape
   * and a click outside close it too.
   */
  modalType?: 'alert' | 'modal';
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      modalType={props.modalType ?? 'alert'}
      open={open}
      onOpenChange={(_, data) => {
        setOpen(data.open);
        if (data.open) props.onOpen?.();
      }}
    >
      <DialogTrigger disableButtonEnhancement>{props.trigger}</DialogTrigger>
      <DialogSurface>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (props.onConfirm() !== false) setOpen(false);
          }}
        >
          <DialogBody>
            <DialogTitle>{props.title}</DialogTitle>
            <DialogContent>{props.body}</DialogContent>
            <DialogActions fluid>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary">{props.cancel}</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary">
                {props.confirm}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
