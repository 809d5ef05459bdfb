/**
 * The ribbon's function commands. Only "Sync now" is one: "Sign in" and "Preferences" are
 * ShowTaskpane buttons that open the pane on that view (manifest.template.xml), so the pane stays
 * the one writer of roaming settings and no dialog depends on a function command's short-lived
 * runtime (design/add-in-commands.md).
 */

/** What Outlook passes to a function command. */
export interface CompletableEvent {
  completed(options?: { allowEvent?: boolean }): void;
}

export type CommandHandler = (event: CompletableEvent) => Promise<void>;

/** What the person is told on the item after "Sync now" (notificationMessages). */
export type SyncNotice = 'syncing' | 'openPane';

export interface CommandDeps {
  /** Asks an open pane to sync; true when one answered (src/shared/paneChannel.ts). */
  readonly askOpenPaneToSync: () => Promise<boolean>;
  /** Shows the notice on the current item; may reject (logged, never thrown into Office). */
  readonly notify: (notice: SyncNotice) => Promise<void>;
}

/**
 * Runs the work and always calls `event.completed()`: Outlook shows a spinner until it is called.
 * Errors are logged, never thrown into Office.
 */
async function completing(event: CompletableEvent, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    console.error('Add-in command failed', error);
  } finally {
    event.completed();
  }
}

/**
 * SPEC S3 "Sync now" from the ribbon: an open pane syncs at once; with none open nothing can run
 * (the engine lives in the pane), and the person is told on the item that the sync runs when the
 * pane opens.
 */
function syncNow(deps: CommandDeps): CommandHandler {
  return (event) =>
    completing(event, async () => {
      const answered = await deps.askOpenPaneToSync();
      await deps.notify(answered ? 'syncing' : 'openPane');
    });
}

/** The function names the manifest declares (FunctionName). */
export function createCommandHandlers(deps: CommandDeps): Readonly<Record<string, CommandHandler>> {
  return { syncNow: syncNow(deps) };
}
