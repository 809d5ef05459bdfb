import type { Host } from '../host/host';
import { recordPendingSync, type SyncTrigger } from './pendingSync';
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

const notePush =
  (deps: CommandDeps, trigger: SyncTrigger): CommandHandler =>
  (event) =>
    completing(event, () => recordPendingSync(deps.host(), trigger, deps.now()));

/** The function names the manifest declares (FunctionName / LaunchEvent FunctionName). */
export function createCommandHandlers(deps: CommandDeps): Readonly<Record<string, CommandHandler>> {
  return {
    syncNow: notePush(deps, 'syncNow'),
    signIn: openDialog(deps, 'connection'),
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
