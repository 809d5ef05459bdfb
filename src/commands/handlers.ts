import type { Host } from '../host/host';
import {
  announceSyncRequest,
  askOpenPaneToSignIn,
  recordPendingSync,
  type SyncTrigger,
} from './pendingSync';
import { runPreferencesDialog } from './preferencesDialog';

/** What Outlook passes to a function command or a launch-event handler. */
export interface CompletableEvent {
  completed(options?: { allowEvent?: boolean }): void;
}

export type CommandHandler = (event: CompletableEvent) => Promise<void>;

export interface CommandDeps {
  /** Resolved per call: in the launch-event runtime Office.context exists only once loaded. */
  readonly host: () => Host;
  readonly now: () => Date;
  /** Absolute URL of the pane page in a given view, for dialogs. */
  readonly paneUrl: (view: 'preferences' | 'connection') => string;
  /** Tells an open pane a note was queued (default: the BroadcastChannel in pendingSync.ts). */
  readonly announce?: () => void;
  /** Asks an open pane to sign in; true when one answered (default: askOpenPaneToSignIn). */
  readonly askOpenPane?: () => Promise<boolean>;
  /**
   * Opens the add-in's task pane, where the host can (`Office.addin.showAsTaskpane`, SharedRuntime
   * 1.1 — Excel, PowerPoint and Word, not Outlook today); false when it cannot.
   */
  readonly showTaskpane?: () => Promise<boolean>;
}

/**
 * Runs the work and always calls `event.completed()`: Outlook shows a spinner, and in the launch
 * runtime keeps the handler alive, until it is called. Errors are logged, never thrown into Office.
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

/** Opens a pane view in an Office dialog and completes once the person closes it. */
function openDialog(deps: CommandDeps, view: 'preferences' | 'connection'): CommandHandler {
  return (event) =>
    new Promise<void>((resolve) => {
      const finish = () => {
        event.completed();
        resolve();
      };
      deps
        .host()
        .displayDialog(deps.paneUrl(view), { widthPercent: 40, heightPercent: 60 })
        .then((dialog) => dialog.onClosed(finish))
        .catch((error: unknown) => {
          console.error('Could not open the dialog', error);
          finish();
        });
    });
}

/**
 * "Sync now" and the launch events: the commands runtime does not run the engine (its bundle
 * stays small, and classic Outlook's launch runtime has no IndexedDB for the engine's store). It
 * queues a note in roaming settings and announces it; the pane's loop pushes at once when it is
 * open, or at its first run when it opens next (src/taskpane/sync/syncRequests.ts).
 */
const notePush =
  (deps: CommandDeps, trigger: SyncTrigger): CommandHandler =>
  (event) =>
    completing(event, async () => {
      await recordPendingSync(deps.host(), trigger, deps.now());
      (deps.announce ?? announceSyncRequest)();
    });

/**
 * SPEC C4 "Sign in" on the ribbon: an open pane signs in with the remembered sign-in (or shows
 * its form); with no pane open, the pane is opened where the host allows it, else the pane's
 * sign-in view in a dialog, which signs in with the remembered sign-in by itself or asks.
 */
function signIn(deps: CommandDeps): CommandHandler {
  const dialog = openDialog(deps, 'connection');
  return async (event) => {
    let handled = false;
    try {
      handled =
        (await (deps.askOpenPane ?? askOpenPaneToSignIn)()) ||
        (deps.showTaskpane !== undefined && (await deps.showTaskpane()));
    } catch (error) {
      console.error('Could not reach the pane', error);
    }
    if (handled) event.completed();
    else await dialog(event);
  };
}

/** The function names the manifest declares (FunctionName / LaunchEvent FunctionName). */
export function createCommandHandlers(deps: CommandDeps): Readonly<Record<string, CommandHandler>> {
  return {
    syncNow: notePush(deps, 'syncNow'),
    signIn: signIn(deps),
    openPreferences: (event) =>
      completing(event, () =>
        runPreferencesDialog({ host: deps.host(), url: deps.paneUrl('preferences') }),
      ),
    onNewAppointmentOrganizer: notePush(deps, 'OnNewAppointmentOrganizer'),
    onAppointmentTimeChanged: notePush(deps, 'OnAppointmentTimeChanged'),
    onAppointmentAttendeesChanged: notePush(deps, 'OnAppointmentAttendeesChanged'),
    onAppointmentRecurrenceChanged: notePush(deps, 'OnAppointmentRecurrenceChanged'),
  };
}
