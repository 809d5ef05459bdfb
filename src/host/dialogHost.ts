import type { CurrentItem, DialogHandle, Host, ItemKind, SettingValue } from './host';
import { HostError } from './host';
import { memorySettingsStore } from './settingsStore';

/**
 * The host inside an Office dialog opened by a ribbon command (`taskpane.html?view=…`). Office
 * gives a dialog no mailbox and no roaming settings, only `messageParent`: settings here live in
 * memory for the dialog's lifetime, and what must be kept travels to the ribbon as a message.
 */
export class DialogHost implements Host {
  readonly kind = 'office';
  private readonly settings = memorySettingsStore();

  constructor(private readonly language: string | undefined) {}

  /** A dialog does not know the mailbox. */
  mailboxAddress(): string {
    return '';
  }

  displayLanguage(): string | undefined {
    return this.language || undefined;
  }

  currentItemKind(): ItemKind {
    return 'none';
  }

  async currentItem(): Promise<CurrentItem> {
    return { kind: 'none' };
  }

  async currentMessage(): Promise<null> {
    return null;
  }

  getSetting(key: string): SettingValue | undefined {
    return this.settings.get(key);
  }

  async setSetting(key: string, value: SettingValue): Promise<void> {
    this.settings.set(key, value);
  }

  displayDialog(): Promise<DialogHandle> {
    // Office does not open a dialog from a dialog.
    return Promise.reject(new HostError('A dialog cannot open another dialog'));
  }
}
