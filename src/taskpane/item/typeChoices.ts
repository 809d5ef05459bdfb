/**
 * SPEC T3: with no default type, an Outlook item waits until the person picks a type for it in
 * the pane. The choice is kept in roaming settings (it follows the mailbox to every Outlook client,
 * so whichever client runs next creates the activity) and every run reads it into
 * `RunOptions.typeChoices` (sync/startSync.ts). Read back through zod: never trusted.
 */
import * as z from 'zod';
import type { Host } from '../../host/host';

export const typeChoicesSettingKey = 'itemTypeChoices';

/** Roaming settings hold 32 KB; an immutable event id is ~150 characters. */
export const MAX_TYPE_CHOICES = 50;

const ChoiceSchema = z.object({
  outlookId: z.string().min(1).max(512),
  typeId: z.string().min(1).max(64),
  at: z.string(),
});
type Choice = z.infer<typeof ChoiceSchema>;

function read(host: Host): Choice[] {
  const raw = host.getSetting(typeChoicesSettingKey);
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
export async function saveTypeChoice(
  host: Host,
  choice: { readonly outlookId: string; readonly typeId: string; readonly at: string },
  done: ReadonlySet<string> = new Set(),
): Promise<void> {
  const kept = read(host).filter((c) => c.outlookId !== choice.outlookId && !done.has(c.outlookId));
  const next = [ChoiceSchema.parse(choice), ...kept].slice(0, MAX_TYPE_CHOICES);
  await host.setSetting(
    typeChoicesSettingKey,
    next.map((c) => ({ outlookId: c.outlookId, typeId: c.typeId, at: c.at })),
  );
}
