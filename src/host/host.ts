/**
 * What the add-in needs from the application it runs in. Components and commands reach Office only
 * through this interface (REQUIREMENTS.md: Office.js calls sit in plain modules), so the same pane
 * runs in Outlook (`OfficeHost`) and in a plain browser tab (`StandaloneHost`, chosen by
 * configuration).
 */

import type { SettingsStore } from './settingsStore';

/** The kind of Outlook item the pane or command was opened on. */
export type ItemKind = 'message' | 'appointmentOrganizer' | 'appointmentAttendee' | 'none';

/** Values roaming settings can hold: they are serialised as JSON by Office. */
export type SettingValue =
  | string
  | number
  | boolean
  | null
  | readonly SettingValue[]
  | { readonly [key: string]: SettingValue };

/**
 * The appointment the pane was opened on (SPEC E1, O1), as far as the host can name it: `id` is
 * the REST id Graph uses (`convertToRestId`), not Outlook's EWS id. A new appointment that was
 * never saved has no id yet.
 */
export type CurrentItem =
  | { readonly kind: 'appointment'; readonly id: string; readonly subject: string }
  | { readonly kind: 'unsaved'; readonly subject: string }
  | { readonly kind: 'none' };

/**
 * The message the pane is open on (issue 7: the sender's CRM contact card, an activity from the
 * mail). `bodyPreview` is plain text, at most a few thousand characters; never HTML.
 */
export interface CurrentMessage {
  readonly sender: { readonly address: string; readonly name: string };
  readonly subject: string;
  readonly bodyPreview: string;
}

export interface DialogOptions {
  /** Percent of the screen, 1–100, as `displayDialogAsync` takes it. */
  readonly widthPercent: number;
  readonly heightPercent: number;
}

/** An open dialog: messages come from the page inside it through `messageParent`. */
export interface DialogHandle {
  close(): void;
  onMessage(listener: (message: string) => void): void;
  onClosed(listener: () => void): void;
}

export interface Host {
  /** 'office' inside an Outlook client, 'standalone' in a plain browser tab. */
  readonly kind: 'office' | 'standalone';
  /** The signed-in mailbox's primary SMTP address. */
  mailboxAddress(): string;
  /** The host application's UI language (BCP 47), when there is one. */
  displayLanguage(): string | undefined;
  currentItemKind(): ItemKind;
  /** The appointment the pane is open on; never rejects (a failure is `none`). */
  currentItem(): Promise<CurrentItem>;
  /** The message the pane is open on; null on anything else. Never rejects. */
  currentMessage(): Promise<CurrentMessage | null>;
  /**
   * Roaming settings: per mailbox, 32 KB, not secure (REQUIREMENTS.md) — preferences only, never
   * tokens or passwords.
   */
  getSetting(key: string): SettingValue | undefined;
  /** Sets and persists one setting; resolves once it is saved. */
  setSetting(key: string, value: SettingValue): Promise<void>;
  /**
   * Takes a value another runtime of this installation saved into this runtime's copy of the
   * roaming settings, without saving (Office loads them once per runtime). Hosts that read live
   * storage need none.
   */
  adoptSetting?(key: string, value: SettingValue): void;
  /**
   * Removes a roaming setting from this runtime's copy; the next save (setSetting) writes the
   * removal with the rest. For keys an earlier version wrote and this one no longer reads.
   */
  removeSetting?(key: string): void;
  /**
   * Storage on this installation only (this device's browser storage, never roaming): caches that
   * need not follow the mailbox, kept out of the 32 KB roaming settings (issue 11).
   */
  readonly deviceSettings?: SettingsStore;
  displayDialog(url: string, options: DialogOptions): Promise<DialogHandle>;
  /**
   * The pinned pane moved to another item (or to none): Outlook's ItemChanged event, Mailbox 1.5
   * (outlook/pinnable-taskpane.md). `currentItem*()` already answer for the new item when the
   * listener runs. Returns the unsubscribe. Hosts whose item never changes leave it out.
   */
  onItemChanged?(listener: () => void): () => void;
}

/** A host call that failed; keeps Office's error code and message for the log. */
export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    message: string,
    readonly code?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
