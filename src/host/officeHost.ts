import type { DialogHandle, DialogOptions, Host, ItemKind, SettingValue } from './host';
import { HostError } from './host';
import { type OfficeContextLike, succeeded } from './officeContext';

/** The host inside an Outlook client: every Office callback becomes a Promise that never throws. */
export class OfficeHost implements Host {
  readonly kind = 'office';

  constructor(private readonly context: OfficeContextLike) {}

  mailboxAddress(): string {
    return this.context.mailbox.userProfile.emailAddress;
  }

  displayLanguage(): string | undefined {
    return this.context.displayLanguage || undefined;
  }

  currentItemKind(): ItemKind {
    const item = this.context.mailbox.item;
    if (!item) return 'none';
    if (item.itemType === 'message') return 'message';
    if (item.itemType !== 'appointment') return 'none';
    // In compose (organizer) forms `subject` is an object with getAsync; in read forms, a string.
    return typeof item.subject === 'string' ? 'appointmentAttendee' : 'appointmentOrganizer';
  }

  getSetting(key: string): SettingValue | undefined {
    const value: unknown = this.context.roamingSettings.get(key);
    return value === undefined ? undefined : (value as SettingValue);
  }

  setSetting(key: string, value: SettingValue): Promise<void> {
    const settings = this.context.roamingSettings;
    settings.set(key, value);
    return new Promise((resolve, reject) => {
      settings.saveAsync((result) => {
        if (succeeded(result)) resolve();
        else reject(toHostError('Saving roaming settings failed', result.error));
      });
    });
  }

  displayDialog(url: string, options: DialogOptions): Promise<DialogHandle> {
    return new Promise((resolve, reject) => {
      this.context.ui.displayDialogAsync(
        url,
        { width: options.widthPercent, height: options.heightPercent, displayInIframe: false },
        (result) => {
          if (!succeeded(result)) {
            reject(toHostError('Opening the dialog failed', result.error));
            return;
          }
          const dialog = result.value;
          resolve({
            close: () => dialog.close(),
            onMessage: (listener) =>
              dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
                if (typeof arg.message === 'string') listener(arg.message);
              }),
            onClosed: (listener) =>
              dialog.addEventHandler(Office.EventType.DialogEventReceived, () => listener()),
          });
        },
      );
    });
  }
}

function toHostError(what: string, error: { code: number; message: string } | undefined) {
  return new HostError(error ? `${what}: ${error.message}` : what, error?.code);
}
