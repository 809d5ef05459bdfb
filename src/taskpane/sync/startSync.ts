/**
 * Starts the sync loop in the pane once the person pressed "Start sync" (SPEC C8, S5): builds the
 * engine from the connection through the composition root (createEngineDeps) and runs it on a
 * SyncScheduler. Components reach it only through the services context (`startSync`), so unit
 * tests pass a fake.
 */
import type { InteractiveTokenProvider } from '../../outlook/auth/tokenProvider';
import { createEngineDeps } from '../../sync/compose';
import type { SyncSettings } from '../../sync/core/settings';
import type { EngineDeps } from '../../sync/engine/context';
import {
  runSync,
  type ProgressListener,
  type RunOptions,
  type RunOutcome,
} from '../../sync/engine/run';
import { findDuplicates, resolveDuplicates } from '../../sync/engine/duplicates';
import { SyncScheduler } from '../../sync/scheduler';
import { readPreferences } from '../preferences/preferencesStore';
import { toSyncSettings } from '../preferences/toSyncSettings';
import { readTypeChoices } from '../item/typeChoices';
import { msUntilNextMidnight, personZone } from './clock';
import { contactFinder } from './contactFinder';
import type { DuplicateFinder, StartSync, StartSyncInput } from './syncController';
import { watchSyncRequests } from './syncRequests';
import type { PaneRoot } from '../paneRoot';
import { withErrorReports } from '../../crm/errorReport';
import { paneErrorReporter } from './errorReports';

export { pickDefaultTypeId } from '../preferences/toSyncSettings';
export { msUntilNextMidnight } from './clock';
export type * from './syncController';

/**
 * Each run reads the preferences as saved at that moment, so a change made in Preferences applies
 * from the next run on without restarting the loop. Only what a run reads from the settings
 * changes; the mailbox and zone the engine was built with stay (they are not preferences). The
 * types picked in the item view for items waiting for one (SPEC T3) are read the same way.
 */
export function runWithCurrentSettings(
  deps: EngineDeps,
  currentSettings: () => SyncSettings,
  run: (
    deps: EngineDeps,
    options: RunOptions,
    onProgress?: ProgressListener,
  ) => Promise<RunOutcome> = runSync,
  currentTypeChoices: () => Readonly<Record<string, string>> = () => ({}),
): (options: RunOptions, onProgress?: ProgressListener) => Promise<RunOutcome> {
  return (options, onProgress) =>
    run(
      { ...deps, settings: currentSettings() },
      { ...options, typeChoices: { ...currentTypeChoices(), ...options.typeChoices } },
      onProgress,
    );
}

/**
 * The engine for a connection and calendar, built through the composition root over the pane
 * root's mailbox resources (its one Graph client and store opening) and the connection's CRM
 * session; each run reads the preferences as saved at that moment (`currentSettings`). Shared by
 * startSync and the first-sync preview (previewFirstSync.ts), so the preview plans with what the
 * sync will use.
 */
export async function engineFor(
  { connection, calendarId, host, busySubject }: StartSyncInput,
  root: PaneRoot,
  // Issue 11 item 6: the loop's runs never open a sign-in window (the preview is the person's own
  // step, right after connecting, and may).
  { silentOnly = false }: { readonly silentOnly?: boolean } = {},
): Promise<{
  deps: EngineDeps;
  currentSettings: () => SyncSettings;
  tokens: InteractiveTokenProvider;
}> {
  const crm = connection.crm;
  if (!crm) throw new Error('The connection has no CRM session to sync with');
  const types = await crm.activityTypes();
  const context = {
    busySubject,
    timeZone: personZone(crm.timeZone),
    mailbox: connection.mailbox,
    crmUserId: crm.userId,
  };
  // The language only matters to the pane; 'en' stands in when none was saved.
  const currentSettings = () => toSyncSettings(readPreferences(host, 'en'), types, context);
  const resources = await root.mailbox(connection.mailbox);
  const deps = createEngineDeps({
    resources,
    interactive: !silentOnly,
    crmSession: crm.session,
    settings: currentSettings(),
    calendarId,
    // Per installation (IndexedDB), never roaming: each device is its own lease holder.
    holderId: await root.holderId(),
  });
  return { deps, currentSettings, tokens: resources.tokens };
}

/**
 * Issue 11 item 6: the person pressed "Sign in to Microsoft 365", the one place a sign-in window
 * opens; then the loop runs again (resumed, if repeated sign-in failures had stopped it).
 */
export async function signInThenSync(
  tokens: Pick<InteractiveTokenProvider, 'signIn'>,
  scheduler: Pick<SyncScheduler, 'getSnapshot' | 'resume' | 'syncNow'>,
): Promise<void> {
  await tokens.signIn();
  if (scheduler.getSnapshot().state === 'signedOut') scheduler.resume();
  else scheduler.syncNow();
}

/** The real one: the engine on the pane root's Graph client and store, the connection's CRM session. */
export const startSync =
  (root: PaneRoot): StartSync =>
  async (input) => {
    const { deps, currentSettings, tokens } = await engineFor(input, root, { silentOnly: true });
    // SPEC E5: each run's failures reported when the person opted in.
    const reporter =
      input.connection.crm && paneErrorReporter(input.host, input.connection.crm.session);
    const run = runWithCurrentSettings(
      deps,
      currentSettings,
      reporter ? withErrorReports(runSync, reporter) : runSync,
      () => readTypeChoices(input.host),
    );
    const scheduler = new SyncScheduler({ run }, { msUntilMidnight: msUntilNextMidnight });
    watchSyncRequests(scheduler);
    scheduler.start();
    scheduler.setActive(true);
    const current = () => ({ ...deps, settings: currentSettings() });
    // Under the run's own lock: a run in progress must not plan on what this deletes.
    const underRunLock = async (work: () => Promise<unknown>) => {
      const done = await deps.lock.ifAvailable(`crm-sync:${deps.settings.mailbox}`, work);
      if (done === null) throw new Error('A sync is running; try again in a moment');
      scheduler.syncNow();
    };
    const duplicates: DuplicateFinder = {
      find: () => findDuplicates(current()),
      resolve: (answer) => underRunLock(() => resolveDuplicates(current(), answer)),
      ...(deps.contacts ? contactFinder(deps, currentSettings, input, underRunLock) : {}),
    };
    const signInToMicrosoft = () => signInThenSync(tokens, scheduler);
    return Object.assign(scheduler, { duplicates, signInToMicrosoft });
  };
