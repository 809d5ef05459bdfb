/**
 * The narrow slice of `Office.context` the add-in uses. Declaring it here (instead of taking the
 * whole `Office.Context`) keeps the adapters honest about what they touch and lets tests pass a
 * small fake (REQUIREMENTS.md: a small fake of the Office surface beats office-addin-mock).
 */
export interface AsyncResultLike<T> {
  status: Office.AsyncResultStatus | 'succeeded' | 'failed';
  value: T;
  error?: { code: number; message: string };
}

export interface DialogLike {
  close(): void;
  addEventHandler(
    eventType: Office.EventType,
    handler: (arg: { message?: string; error?: number }) => void,
  ): void;
}

export interface OfficeContextLike {
  displayLanguage: string;
  mailbox: {
    userProfile: { emailAddress: string };
    item?: {
      itemType?: string;
      subject?: unknown;
      /** Read forms: the EWS id. Compose forms have `getItemIdAsync` instead (Mailbox 1.8). */
      itemId?: unknown;
      getItemIdAsync?: (callback: (result: AsyncResultLike<string>) => void) => void;
      /** Read forms of a message: the sender. */
      from?: { emailAddress?: unknown; displayName?: unknown } | null;
      body?: {
        getAsync?: (
          coercionType: Office.CoercionType,
          callback: (result: AsyncResultLike<string>) => void,
        ) => void;
      } | null;
    } | null;
    /** Mailbox 1.5: ItemChanged for a pinned pane (outlook/pinnable-taskpane.md). */
    addHandlerAsync?: (
      eventType: Office.EventType,
      handler: (arg: unknown) => void,
      callback?: (result: AsyncResultLike<void>) => void,
    ) => void;
    /** EWS id → the REST id Graph takes (Office.MailboxEnums.RestVersion.v2_0 = 'v2.0'). */
    convertToRestId?: (itemId: string, restVersion: Office.MailboxEnums.RestVersion) => string;
  };
  roamingSettings: {
    get(name: string): unknown;
    set(name: string, value: unknown): void;
    /** Office.RoamingSettings.remove (Mailbox 1.1); optional so small fakes may leave it out. */
    remove?(name: string): void;
    saveAsync(callback?: (result: AsyncResultLike<void>) => void): void;
  };
  ui: {
    displayDialogAsync(
      url: string,
      options: Office.DialogOptions,
      callback: (result: AsyncResultLike<DialogLike>) => void,
    ): void;
  };
}

/** Office reports success with the string 'succeeded' (Office.AsyncResultStatus.Succeeded). */
export function succeeded(result: AsyncResultLike<unknown>): boolean {
  return String(result.status) === 'succeeded';
}
