/**
 * SPEC T3: with no default type, an Outlook item waits until the person picks a type for it in
 * the pane. The choice is kept on this installation (Host.deviceSettings), whose pane made it and
 * whose loop runs next, not in roaming settings (issue 11: they are the pane's preferences only,
 * within a 16 KB budget); every run reads it into `RunOptions.typeChoices` (sync/startSync.ts).
 * Read back through zod: never trusted.
 */
import * as z from 'zod';
import type { Host } from '../../host/host';
import { deviceStoreOf } from '../../host/settingsStore';

export const typeChoicesSettingKey = 'itemTypeChoices';

/** An immutable event id is ~150 characters; a short list keeps every read cheap. */
export const MAX_TYPE_CHOICES = 50;

const ChoiceSchema = z.object({
  outlookId: z.string().min(1).max(512),
  typeId: z.string().min(1).max(64),
  at: z.string(),
});
type Choice = z.infer<typeof ChoiceSchema>;

function read(host: Host): Choice[] {
  const raw = deviceStoreOf(host).get(typeChoicesSettingKey);
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const parsed = ChoiceSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Outlook event id → chosen activity type id, as `runSync` takes them. */
export function readTypeChoices(host: Host): Readonly<Record<string, string>> {
  return Object.fromEntries(read(host).map((c) => [c.outlookId, c.typeId]));
}

/**
 * Keeps the choice for one item (replacing an earlier one), newest first. `done` lists items that
 * no longer need theirs (they are linked now): they are dropped, so the list stays small.
 */
export function saveTypeChoice(
  host: Host,
  choice: { readonly outlookId: string; readonly typeId: string; readonly at: string },
  done: ReadonlySet<string> = new Set(),
): Promise<void> {
  const kept = read(host).filter((c) => c.outlookId !== choice.outlookId && !done.has(c.outlookId));
  const next = [ChoiceSchema.parse(choice), ...kept].slice(0, MAX_TYPE_CHOICES);
  deviceStoreOf(host).set(
    typeChoicesSettingKey,
    next.map((c) => ({ outlookId: c.outlookId, typeId: c.typeId, at: c.at })),
  );
  return Promise.resolve();
}
