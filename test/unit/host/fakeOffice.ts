import type {
  AsyncResultLike,
  DialogLike,
  OfficeContextLike,
} from '../../../src/host/officeContext';

type Handler = (arg: { message?: string; error?: number }) => void;

/** A small fake of the Office surface the adapters use (STACK.md: simpler than office-addin-mock). */
export function fakeOfficeContext(options: {
  item?: { itemType?: string; subject?: unknown } | null;
  saveFails?: boolean;
  dialogFails?: boolean;
}) {
  const settings: Record<string, unknown> = {};
  const handlers = new Map<string, Handler>();
  const opened: { url: string; options: Office.DialogOptions }[] = [];
  const dialog: DialogLike & { closed: boolean } = {
    closed: false,
    close() {
      this.closed = true;
    },
    addEventHandler: (type, handler) => void handlers.set(String(type), handler),
  };
  const fail = { code: 12007, message: 'Office said no' };
  const context: OfficeContextLike = {
    displayLanguage: 'sv-SE',
    mailbox: { userProfile: { emailAddress: 'ben@fabrikam.example' }, item: options.item ?? null },
    roamingSettings: {
      get: (name) => settings[name],
      set: (name, value) => void (settings[name] = value),
      saveAsync: (callback) =>
        callback?.(
          options.saveFails
            ? { status: 'failed', value: undefined, error: fail }
            : { status: 'succeeded', value: undefined },
        ),
    },
    ui: {
      displayDialogAsync: (url, dialogOptions, callback) => {
        opened.push({ url, options: dialogOptions });
        const result: AsyncResultLike<DialogLike> = options.dialogFails
          ? { status: 'failed', value: dialog, error: fail }
          : { status: 'succeeded', value: dialog };
        callback(result);
      },
    },
  };
  /** Simulates Office raising a dialog event. */
  const raise = (type: string, arg: { message?: string; error?: number }) =>
    handlers.get(type)?.(arg);
  return { context, settings, opened, dialog, raise };
}

/** office.js's enum values, which OfficeHost reads at call time. */
export function installOfficeEnums(): void {
  Object.defineProperty(globalThis, 'Office', {
    configurable: true,
    value: {
      EventType: {
        DialogMessageReceived: 'dialogMessageReceived',
        DialogEventReceived: 'dialogEventReceived',
        ItemChanged: 'olkItemSelectedChanged',
      },
    },
  });
}
