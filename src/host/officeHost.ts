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
import { browserSettingsStore, type SettingsStore } from './settingsStore';
import { type AsyncResultLike, type OfficeContextLike, succeeded } from './officeContext';

type OfficeItem = NonNullable<OfficeContextLike['mailbox']['item']>;

/** Office.MailboxEnums.RestVersion.v2_0: the REST id format Microsoft Graph takes. */
const REST_V2 = 'v2.0' as Office.MailboxEnums.RestVersion;

/** The host inside an Outlook client: every Office callback becomes a Promise that never throws. */
export class OfficeHost implements Host {
  readonly kind = 'office';

  private device: SettingsStore | undefined;
  private readonly itemListeners = new Set<() => void>();
  private itemHandlerAdded = false;

  constructor(private readonly context: OfficeContextLike) {}

  /**
   * One ItemChanged handler per pane, registered on first use and fanned out to the listeners.
   * 'olkItemSelectedChanged' is Office.EventType.ItemChanged; the handler must expect a null item
   * (outlook/pinnable-taskpane.md), which currentItem*() answer as 'none' / null.
   */
  onItemChanged(listener: () => void): () => void {
    this.itemListeners.add(listener);
    const add = this.context.mailbox.addHandlerAsync;
    if (!this.itemHandlerAdded && typeof add === 'function') {
      this.itemHandlerAdded = true;
      const fromOffice: unknown =
        typeof Office !== 'undefined' ? Office.EventType?.ItemChanged : undefined;
      const eventType = (typeof fromOffice === 'string'
        ? fromOffice
        : 'olkItemSelectedChanged') as unknown as Office.EventType;
      try {
        add.call(this.context.mailbox, eventType, () => {
          for (const notify of [...this.itemListeners]) notify();
        });
      } catch (error) {
        console.warn('Could not follow the selected item', error);
      }
    }
    return () => void this.itemListeners.delete(listener);
  }

  /** localStorage on this device, one prefix per mailbox (memory where storage is blocked). */
  get deviceSettings(): SettingsStore {
    this.device ??= browserSettingsStore(`crm-sync-device:${this.mailboxAddress()}:`);
    return this.device;
  }

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

  /**
   * SPEC E1, O1: the appointment's REST id (Graph's id format) and subject. Read forms carry the
   * EWS id in `itemId`; a compose form has one only once saved (`getItemIdAsync`, Mailbox 1.8).
   */
  async currentItem(): Promise<CurrentItem> {
    const { mailbox } = this.context;
    const item = mailbox.item;
    if (!item || item.itemType !== 'appointment') return { kind: 'none' };
    const subject = await subjectOf(item);
    const ewsId = typeof item.itemId === 'string' && item.itemId !== '' ? item.itemId : null;
    const id = ewsId ?? (await savedItemId(item));
    if (id === null) return { kind: 'unsaved', subject };
    if (typeof mailbox.convertToRestId !== 'function') return { kind: 'none' };
    try {
      return { kind: 'appointment', id: mailbox.convertToRestId(id, REST_V2), subject };
    } catch {
      return { kind: 'none' };
    }
  }

  /** Issue 7: a read message's sender, subject and plain-text body (the first 4000 characters). */
  async currentMessage(): Promise<CurrentMessage | null> {
    const item = this.context.mailbox.item;
    if (!item || item.itemType !== 'message') return null;
    const address = item.from?.emailAddress;
    if (typeof address !== 'string' || address === '') return null;
    const name = item.from?.displayName;
    const [subject, body] = await Promise.all([subjectOf(item), bodyTextOf(item)]);
    return {
      sender: { address, name: typeof name === 'string' ? name : '' },
      subject,
      bodyPreview: body.slice(0, 4000),
    };
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

  /** In memory only, like adoptSetting: the next saveAsync writes the removal. */
  removeSetting(key: string): void {
    this.context.roamingSettings.remove?.(key);
  }

  /** In memory only: the next saveAsync, whoever calls it, writes it with the rest. */
  adoptSetting(key: string, value: SettingValue): void {
    this.context.roamingSettings.set(key, value);
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

/** A read form's subject is a string; a compose form's has `getAsync`. Never rejects. */
function subjectOf(item: OfficeItem): Promise<string> {
  const subject = item.subject;
  if (typeof subject === 'string') return Promise.resolve(subject);
  const getAsync = (subject as { getAsync?: unknown } | null | undefined)?.getAsync;
  if (typeof getAsync !== 'function') return Promise.resolve('');
  return new Promise((resolve) => {
    try {
      getAsync.call(subject, (result: AsyncResultLike<unknown>) =>
        resolve(succeeded(result) && typeof result.value === 'string' ? result.value : ''),
      );
    } catch {
      resolve('');
    }
  });
}

/** The body as plain text (Office.CoercionType.Text = 'text'); '' when it cannot be read. */
function bodyTextOf(item: OfficeItem): Promise<string> {
  const body = item.body;
  const getAsync = body?.getAsync;
  if (typeof getAsync !== 'function') return Promise.resolve('');
  return new Promise((resolve) => {
    try {
      getAsync.call(body, 'text' as Office.CoercionType, (result) =>
        resolve(succeeded(result) && typeof result.value === 'string' ? result.value : ''),
      );
    } catch {
      resolve('');
    }
  });
}

/** The EWS id of a compose form's item once it was saved; null when it never was. */
function savedItemId(item: OfficeItem): Promise<string | null> {
  const getItemIdAsync = item.getItemIdAsync;
  if (typeof getItemIdAsync !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    try {
      getItemIdAsync.call(item, (result) =>
        resolve(succeeded(result) && result.value !== '' ? result.value : null),
      );
    } catch {
      resolve(null);
    }
  });
}

function toHostError(what: string, error: { code: number; message: string } | undefined) {
  return new HostError(error ? `${what}: ${error.message}` : what, error?.code);
}
