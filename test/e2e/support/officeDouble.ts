/**
 * A TEST-ONLY `Office` global for Chromium (issue 11, build item 10): the real pane (dist/) and
 * the real OfficeHost run under it as they would inside Outlook. It is injected before the page's
 * scripts (`page.addInitScript`) and the page's office.js URL is answered with an empty script, so
 * nothing of Microsoft's library replaces it. Each behaviour follows a Microsoft page, cited beside
 * it (OfficeDev/office-js-docs-pr, docs/…). Roaming settings live in the test process, one store
 * per mailbox, as Exchange keeps them in the mailbox: every page of that mailbox loads them once
 * when it starts and `saveAsync` writes them back whole.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** What the double shows as the selected mail item (a read-form message). */
export interface DoubleMessage {
  /** The EWS id Outlook gives a read form in `item.itemId`. */
  readonly itemId: string;
  readonly from: { readonly emailAddress: string; readonly displayName: string };
  readonly subject: string;
  readonly body: string;
}

/** Roaming settings of one mailbox, shared by every page (device) that opens it. */
export class RoamingStore {
  /** The JSON text Outlook would keep in the mailbox; '{}' before the first save. */
  private text = '{}';
  saves = 0;
  read(): string {
    return this.text;
  }
  write(text: string): void {
    this.text = text;
    this.saves++;
  }
  get(name: string): unknown {
    return (JSON.parse(this.text) as Record<string, unknown>)[name];
  }
}

export interface DoubleOptions {
  readonly mailbox: string;
  readonly displayLanguage?: string;
  readonly item: DoubleMessage | null;
  /** Origins the manifest lists as AppDomains (besides the page's own). */
  readonly appDomains?: readonly string[];
}

/** The script added to every page: runs before office.js' <script> and the pane's bundle. */
function installOfficeDouble(options: DoubleOptions): void {
  type Callback = (result: unknown) => void;
  interface Bridge {
    __officeDoubleLoadRoaming(): Promise<string>;
    __officeDoubleSaveRoaming(text: string): Promise<void>;
  }
  const bridge = window as unknown as Bridge & Record<string, unknown>;
  const ok = (value: unknown) => ({ status: 'succeeded', value, error: undefined });
  const failed = (code: number, message: string) => ({
    status: 'failed',
    value: undefined,
    error: { code, name: String(code), message },
  });
  // Office answers every *Async callback later, never inside the call.
  const later = (callback: Callback | undefined, result: unknown) => {
    if (typeof callback === 'function') setTimeout(() => callback(result), 0);
  };

  const makeItem = (message: DoubleMessage | null) => {
    if (!message) return null;
    // A read form of a message: `itemId` (EWS id), `from`, `subject` as a string, body.getAsync
    // (office-js-docs-reference: Office.MessageRead).
    return {
      itemType: 'message',
      itemId: message.itemId,
      subject: message.subject,
      from: { ...message.from },
      body: {
        getAsync: (coercionType: string, callback: Callback) =>
          later(
            callback,
            coercionType === 'text' ? ok(message.body) : failed(9000, 'Unsupported coercion type'),
          ),
      },
    };
  };

  // docs/develop/persisting-add-in-state-and-settings.md: roaming settings are loaded with the
  // add-in (once per runtime) and `saveAsync` writes the whole property bag; a change made by
  // another device is seen only when this one starts again. 32 KB per add-in per mailbox
  // (outlook/limits-for-activation-and-javascript-api-for-outlook-add-ins.md).
  let roaming: Record<string, unknown> = {};
  const ROAMING_LIMIT = 32 * 1024;
  const roamingSettings = {
    get: (name: string) => roaming[name],
    set: (name: string, value: unknown) => {
      // Stored as JSON (Office.RoamingSettings.set: values must serialise to JSON).
      roaming[name] = JSON.parse(JSON.stringify(value)) as unknown;
    },
    remove: (name: string) => void delete roaming[name],
    saveAsync: (callback?: Callback) => {
      const text = JSON.stringify(roaming);
      if (new Blob([text]).size > ROAMING_LIMIT) {
        // The docs name the limit, not the error code Outlook answers with: code 9019 here is
        // this double's own (docs/ARCHITECTURE.md, "To confirm in a real tenant").
        later(callback, failed(9019, 'Roaming settings exceed 32 KB'));
        return;
      }
      bridge.__officeDoubleSaveRoaming(text).then(
        () => later(callback, ok(undefined)),
        () => later(callback, failed(5001, 'Internal error')),
      );
    },
  };

  // outlook/pinnable-taskpane.md: a pinned pane registers ItemChanged on the mailbox; when the
  // person selects another item Outlook sets `mailbox.item` to it (null when none is selected) and
  // calls the handlers.
  const itemHandlers: Callback[] = [];
  const mailbox = {
    item: makeItem(options.item),
    userProfile: { emailAddress: options.mailbox, displayName: options.mailbox },
    addHandlerAsync: (eventType: string, handler: Callback, callback?: Callback) => {
      if (eventType !== 'olkItemSelectedChanged') {
        later(callback, failed(5002, 'Unsupported event type'));
        return;
      }
      itemHandlers.push(handler);
      later(callback, ok(undefined));
    },
    // office-js-docs-reference Office.Mailbox.convertToRestId: EWS ids use '+' and '/', REST
    // ids the URL-safe '-' and '_' (the documented difference between the two formats).
    convertToRestId: (itemId: string, restVersion: string) => {
      if (restVersion !== 'v2.0') throw new Error('Unsupported REST version');
      return itemId.replace(/\+/g, '-').replace(/\//g, '_');
    },
  };

  // docs/develop/dialog-handle-errors-events.md: 12004 when the URL's origin is neither the
  // page's nor an AppDomain; 12007 when this window already has a dialog open.
  let dialogOpen = false;
  const trusted = new Set([window.location.origin, ...(options.appDomains ?? [])]);
  const ui = {
    displayDialogAsync: (url: string, _options: unknown, callback?: Callback) => {
      let origin = '';
      try {
        origin = new URL(url, window.location.href).origin;
      } catch {
        origin = '';
      }
      if (!trusted.has(origin)) {
        later(callback, failed(12004, "The domain of the URL isn't trusted"));
        return;
      }
      if (dialogOpen) {
        later(callback, failed(12007, 'A dialog box is already opened from this host window'));
        return;
      }
      dialogOpen = true;
      const handlers: { type: string; handler: Callback }[] = [];
      const dialog = {
        close: () => {
          dialogOpen = false;
        },
        addEventHandler: (type: string, handler: Callback) => void handlers.push({ type, handler }),
      };
      bridge.__officeDoubleDialog = {
        url,
        message: (text: string) => {
          for (const h of handlers)
            if (h.type === 'dialogMessageReceived') h.handler({ message: text });
        },
      };
      later(callback, ok(dialog));
    },
  };

  // Notification messages on the item (office-js-docs-reference Office.NotificationMessages):
  // kept in the double so a test can read what the pane showed.
  const notices = new Map<string, unknown>();
  const notificationMessages = {
    addAsync: (key: string, details: unknown, callback?: Callback) => {
      notices.set(key, details);
      later(callback, ok(undefined));
    },
    replaceAsync: (key: string, details: unknown, callback?: Callback) => {
      notices.set(key, details);
      later(callback, ok(undefined));
    },
    removeAsync: (key: string, callback?: Callback) => {
      notices.delete(key);
      later(callback, ok(undefined));
    },
    getAllAsync: (callback?: Callback) =>
      later(callback, ok([...notices].map(([key, d]) => ({ key, ...(d as object) })))),
  };
  if (mailbox.item) Object.assign(mailbox.item, { notificationMessages });

  const context = {
    displayLanguage: options.displayLanguage ?? 'en-US',
    mailbox,
    roamingSettings,
    ui,
    requirements: {
      // Nested app authentication is not offered: the pane signs in to the CRM itself.
      isSetSupported: (name: string) => name === 'Mailbox',
    },
  };

  // docs/develop/initialize-add-in.md: Office.onReady resolves once Office is initialised with
  // { host, platform }; here after the roaming settings are loaded.
  const ready = bridge.__officeDoubleLoadRoaming().then((text) => {
    roaming = JSON.parse(text) as Record<string, unknown>;
    return { host: 'Outlook', platform: 'OfficeOnline' };
  });
  const office = {
    onReady: (callback?: (info: unknown) => void) =>
      ready.then((info) => {
        callback?.(info);
        return info;
      }),
    context,
    EventType: {
      ItemChanged: 'olkItemSelectedChanged',
      DialogMessageReceived: 'dialogMessageReceived',
      DialogEventReceived: 'dialogEventReceived',
    },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Text: 'text', Html: 'html' },
    MailboxEnums: { RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' } },
  };
  Object.defineProperty(window, 'Office', { value: office, writable: false, configurable: false });

  // The test's handle: select another item, as the person does in Outlook (pinned pane).
  bridge.__officeDoubleSelect = (message: DoubleMessage | null) => {
    mailbox.item = makeItem(message);
    if (mailbox.item) Object.assign(mailbox.item, { notificationMessages });
    for (const handler of [...itemHandlers]) handler({ type: 'olkItemSelectedChanged' });
  };
  bridge.__officeDoubleNotices = () => [...notices.keys()];
}

/**
 * Puts the double into `context` (every page opened in it), with `roaming` as the mailbox's
 * roaming settings. office.js requests answer with an empty script.
 */
export async function useOfficeDouble(
  context: BrowserContext,
  roaming: RoamingStore,
  options: DoubleOptions,
): Promise<void> {
  await context.exposeFunction('__officeDoubleLoadRoaming', () => roaming.read());
  await context.exposeFunction('__officeDoubleSaveRoaming', (text: string) => roaming.write(text));
  await context.route('**/office-js/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
  );
  await context.addInitScript(installOfficeDouble, options);
}

/** Selects another item in Outlook: the double sets mailbox.item and fires ItemChanged. */
export function selectItem(page: Page, message: DoubleMessage | null): Promise<void> {
  return page.evaluate((m) => {
    (window as unknown as { __officeDoubleSelect(x: unknown): void }).__officeDoubleSelect(m);
  }, message);
}
