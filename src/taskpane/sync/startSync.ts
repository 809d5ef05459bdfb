/**
 * Starts the sync loop in the pane once the person pressed "Start sync" (SPEC C8, S5): builds the
 * engine from the connection through the composition root (createEngineDeps) and runs it on a
 * SyncScheduler. Components reach it only through the services context (`startSync`), so unit
 * tests pass a fake.
 */
import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import { createTokenProvider } from '../../outlook/auth/createTokenProvider';
import { createEngineDeps } from '../../sync/compose';
import type { SyncSettings } from '../../sync/core/settings';
import type { EngineDeps } from '../../sync/engine/context';
import {
  runSync,
  type ProgressListener,
  type RunOptions,
  type RunOutcome,
} from '../../sync/engine/run';
import {
  findDuplicates,
  resolveDuplicates,
  type DuplicateAnswer,
} from '../../sync/engine/duplicates';
import type { DuplicateGroup } from '../../sync/core/plan/duplicates';
import { CrmDirectory } from '../../crm';
import { contactLabel } from '../../sync/core/contacts/model';
import type { ContactDeps } from '../../sync/engine/context';
import {
  findContactDuplicates,
  resolveDuplicates as resolveContactDuplicates,
} from '../../sync/engine/contacts/duplicates';
import { SyncScheduler } from '../../sync/scheduler';
import type { Connection } from '../connection/connectionService';
import { readPreferences } from '../preferences/preferencesStore';
import { toSyncSettings } from '../preferences/toSyncSettings';
import { readTypeChoices } from '../item/typeChoices';
import { watchSyncRequests } from './syncRequests';
import { installationHolderId } from '../../shared/installationId';

export { pickDefaultTypeId } from '../preferences/toSyncSettings';

/**
 * What the pane uses of the running loop: its state, "Sync now" and the other manual runs (S3),
 * the mass-delete question (D3), stopping and restarting it.
 */
export type SyncController = Pick<
  SyncScheduler,
  | 'subscribe'
  | 'getSnapshot'
  | 'syncNow'
  | 'fullSyncNow'
  | 'syncFrom'
  | 'confirmMassDelete'
  | 'dismissBrake'
  | 'start'
  | 'stop'
> & {
  /** SPEC M3: the duplicate finder over the same engine (absent where there is none). */
  readonly duplicates?: DuplicateFinder;
};

/** SPEC M3: finds duplicate appointments in the sync window and acts on the person's answer. */
export interface DuplicateFinder {
  find(): Promise<readonly DuplicateGroup[]>;
  resolve(answer: DuplicateAnswer): Promise<void>;
  /** SPEC K3: duplicate CRM contacts; absent (or empty) when contact sync is not configured. */
  findContacts?(): Promise<readonly ContactDuplicateGroup[]>;
  resolveContacts?(answer: ContactDuplicateAnswer): Promise<void>;
}

/** SPEC K3: a group of look-alike contacts, as the pane shows them (text only). */
export interface ContactDuplicateGroup {
  readonly id: string;
  readonly members: readonly {
    readonly id: string;
    readonly name: string;
    readonly email: string | null;
    /** The customer's name, or null when the contact has none (or it could not be read). */
    readonly company: string | null;
  }[];
}

/** SPEC K3: keep one contact; the others are archived (after filling its empty fields on merge). */
export interface ContactDuplicateAnswer {
  readonly keepId: string;
  readonly otherIds: readonly string[];
  readonly merge: boolean;
}

export interface StartSyncInput {
  readonly connection: Connection;
  readonly calendarId: string;
  readonly config: AddinConfig;
  readonly host: Host;
  /** The subject of a private item sent as a busy block, already translated. */
  readonly busySubject: string;
}

export type StartSync = (input: StartSyncInput) => Promise<SyncController>;

/** Milliseconds from `now` to the next local midnight (strictly after `now`). */
export function msUntilNextMidnight(now: number): number {
  const next = new Date(now);
  next.setHours(24, 0, 0, 0);
  return Math.max(1, next.getTime() - now);
}

function personZone(fallback: string): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || fallback;
  } catch {
    return fallback;
  }
}

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
 * The engine for a connection and calendar, built through the composition root; each run reads
 * the preferences as saved at that moment (`currentSettings`). Shared by startSync and the
 * first-sync preview (previewFirstSync.ts), so the preview plans with what the sync will use.
 */
export async function engineFor({
  connection,
  calendarId,
  config,
  host,
  busySubject,
}: StartSyncInput): Promise<{ deps: EngineDeps; currentSettings: () => SyncSettings }> {
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
  const deps = createEngineDeps({
    graphBaseUrl: config.graphBaseUrl,
    graphTokens: createTokenProvider(config, { host }),
    crmSession: crm.session,
    settings: currentSettings(),
    calendarId,
    // Per installation (IndexedDB), never roaming: each device is its own lease holder.
    holderId: await installationHolderId(),
  });
  return { deps, currentSettings };
}

/**
 * SPEC K3: the contact half of the duplicate finder, with the run's contact settings as saved now
 * (as run.ts does); nothing is found while contact sync is off.
 */
function contactFinder(
  deps: EngineDeps,
  currentSettings: () => SyncSettings,
  input: StartSyncInput,
  underRunLock: (work: () => Promise<unknown>) => Promise<void>,
): Pick<DuplicateFinder, 'findContacts' | 'resolveContacts'> {
  const currentContacts = (): ContactDeps | null => {
    const settings = currentSettings().contacts;
    if (!deps.contacts || !settings) return null;
    if (settings.mode === 'off' && !settings.addActivityContacts) return null;
    return { ...deps.contacts, settings };
  };
  const session = input.connection.crm?.session;
  const directory = session ? new CrmDirectory(session) : null;
  const companyName = async (customerId: string | null): Promise<string | null> => {
    if (customerId === null || !directory) return null;
    try {
      return (await directory.customer(customerId))?.name ?? null;
    } catch {
      return null;
    }
  };
  return {
    async findContacts() {
      const contacts = currentContacts();
      if (!contacts) return [];
      const { groups, byId } = await findContactDuplicates(contacts);
      const names = new Map<string, Promise<string | null>>();
      const company = (customerId: string | null) => {
        if (customerId === null) return Promise.resolve(null);
        const known = names.get(customerId) ?? companyName(customerId);
        names.set(customerId, known);
        return known;
      };
      return Promise.all(
        groups.map(async (g) => ({
          id: `contacts:${g.ids.join('+')}`,
          members: await Promise.all(
            g.ids.flatMap((id) => {
              const c = byId.get(id);
              if (!c) return [];
              return [
                company(c.customerId).then((name) => ({
                  id,
                  name: contactLabel(c.item),
                  email: c.item.email,
                  company: name,
                })),
              ];
            }),
          ),
        })),
      );
    },
    async resolveContacts(answer) {
      await underRunLock(async () => {
        const contacts = currentContacts();
        if (!contacts) throw new Error('Contact sync is off');
        return resolveContactDuplicates({ ...deps, settings: currentSettings() }, contacts, answer);
      });
    },
  };
}

/** The real one: the engine on Graph and the CRM session of the connection. */
export const startSync: StartSync = async (input) => {
  const { deps, currentSettings } = await engineFor(input);
  const run = runWithCurrentSettings(deps, currentSettings, runSync, () =>
    readTypeChoices(input.host),
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
  return Object.assign(scheduler, { duplicates });
};
