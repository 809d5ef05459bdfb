import type {
  CurrentItem,
  CurrentMessage,
  DialogHandle,
  DialogOptions,
  Host,
  ItemKind,
  SettingValue,
} from './host';
import { HostError } from './host';
import { browserSettingsStore, memorySettingsStore, type SettingsStore } from './settingsStore';

export interface StandaloneHostOptions {
  /** The demo mailbox from the configuration (`hostFallback.mailbox`). */
  readonly mailbox: string;
  readonly itemKind?: ItemKind;
  /**
   * The appointment the pane is "open on": a Graph event id of the demo mailbox, e.g. from the
   * page's `?item=<id>` (selectHost), with the subject shown until the store knows better.
   */
  readonly item?: { readonly id: string; readonly subject?: string };
  /** The message the pane is "open on", e.g. from `?message=<sender>` (selectHost). */
  readonly message?: CurrentMessage;
  readonly settings?: SettingsStore;
  /** This installation's store (Host.deviceSettings); memory when `settings` is given (tests). */
  readonly deviceSettings?: SettingsStore;
  /** The browser's preferred languages (`navigator.languages`), injected for tests. */
  readonly browserLanguages?: readonly string[];
}

/**
 * Stands in for Outlook in a plain browser tab (the sandbox, the e2e tests): a demo mailbox,
 * settings in localStorage, dialogs as popup windows. Chosen only by configuration.
 */
export class StandaloneHost implements Host {
  readonly kind = 'standalone';
  private readonly settings: SettingsStore;
  readonly deviceSettings: SettingsStore;

  constructor(private readonly options: StandaloneHostOptions) {
    this.settings = options.settings ?? browserSettingsStore(`crm-sync:${options.mailbox}:`);
    this.deviceSettings =
      options.deviceSettings ??
      (options.settings
        ? memorySettingsStore()
        : browserSettingsStore(`crm-sync-device:${options.mailbox}:`));
  }

  mailboxAddress(): string {
    return this.options.mailbox;
  }

  /** A browser has no "Office display language"; the language picker falls back to the browser's. */
  displayLanguage(): string | undefined {
    return undefined;
  }

  currentItemKind(): ItemKind {
    if (this.options.itemKind) return this.options.itemKind;
    if (this.options.message) return 'message';
    return this.options.item ? 'appointmentAttendee' : 'none';
  }

  async currentItem(): Promise<CurrentItem> {
    const { item } = this.options;
    return item
      ? { kind: 'appointment', id: item.id, subject: item.subject ?? '' }
      : { kind: 'none' };
  }

  async currentMessage(): Promise<CurrentMessage | null> {
    return this.options.message ?? null;
  }

  getSetting(key: string): SettingValue | undefined {
    return this.settings.get(key);
  }

  async setSetting(key: string, value: SettingValue): Promise<void> {
    this.settings.set(key, value);
  }

  removeSetting(key: string): void {
    // One store standing for both (tests): the key is the device's now, and stays.
    if (this.settings !== this.deviceSettings) this.settings.remove?.(key);
  }

  async displayDialog(url: string, options: DialogOptions): Promise<DialogHandle> {
    const width = Math.round((window.screen.availWidth * options.widthPercent) / 100);
    const height = Math.round((window.screen.availHeight * options.heightPercent) / 100);
    const popup = window.open(url, '_blank', `popup,width=${width},height=${height}`);
    if (!popup) throw new HostError('The browser blocked the dialog window');
    const origin = new URL(url, window.location.href).origin;
    return {
      close: () => popup.close(),
      onMessage: (listener) =>
        window.addEventListener('message', (event: MessageEvent<unknown>) => {
          // Only the dialog's own page may talk to us, as with Office's messageParent.
          if (event.source === popup && event.origin === origin && typeof event.data === 'string') {
            listener(event.data);
          }
        }),
      onClosed: (listener) => {
        const timer = window.setInterval(() => {
          if (popup.closed) {
            window.clearInterval(timer);
            listener();
          }
        }, 500);
      },
    };
  }
}
