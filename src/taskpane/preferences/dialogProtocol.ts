/**
 * The ribbon's "Preferences" dialog (SPEC C4's ribbon group): the dialog page cannot read roaming
 * settings (an Office dialog has no mailbox), so the ribbon hands it the saved values in the URL
 * (`?init=`, Microsoft's "pass information to the dialog" with query parameters: messageChild
 * needs DialogApi 1.2, which not every Outlook has), and the dialog hands the result back with
 * `messageParent`; the ribbon saves it and closes the dialog. Both ends check what they receive.
 */
import * as z from 'zod';
import type { ActivityType } from '../../crm';
import { parseCachedActivityTypes } from './activityTypesCache';
import { parseStoredPreferences, PreferencesSchema, type Preferences } from './preferences';

export const dialogInitParam = 'init';

export interface DialogInit {
  readonly preferences: Preferences;
  /** The CRM's activity types as last read by the pane (the dialog has no CRM session). */
  readonly activityTypes: readonly ActivityType[];
}

/** Adds the saved values to the dialog page's URL. */
export function withDialogInit(url: string, init: DialogInit): string {
  const target = new URL(url);
  target.searchParams.set(dialogInitParam, JSON.stringify(init));
  return target.href;
}

/** The values the ribbon passed; defaults for whatever is missing or invalid. Never throws. */
export function parseDialogInit(search: string, language: Preferences['language']): DialogInit {
  const raw = new URLSearchParams(search).get(dialogInitParam);
  let value: unknown = undefined;
  try {
    value = raw === null ? undefined : JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const record =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    preferences: parseStoredPreferences(record.preferences, language),
    activityTypes: parseCachedActivityTypes(record.activityTypes),
  };
}

const DialogMessageSchema = z.object({
  kind: z.literal('preferencesSaved'),
  preferences: PreferencesSchema,
});
export type DialogMessage = z.infer<typeof DialogMessageSchema>;

export function encodeDialogMessage(preferences: Preferences): string {
  const message: DialogMessage = { kind: 'preferencesSaved', preferences };
  return JSON.stringify(message);
}

/** The dialog's message, or null when it is not one we sent (checked like any inbound payload). */
export function parseDialogMessage(message: string): DialogMessage | null {
  try {
    const parsed = DialogMessageSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
