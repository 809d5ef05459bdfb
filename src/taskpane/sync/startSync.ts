/**
 * Starts the sync loop in the pane once the person pressed "Start sync" (SPEC C8, S5): builds the
 * engine from the connection through the composition root (createEngineDeps) and runs it on a
 * SyncScheduler. Components reach it only through the services context (`startSync`), so unit
 * tests pass a fake.
 */
import type { ActivityType } from '../../crm';
import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import { createTokenProvider } from '../../outlook/auth/createTokenProvider';
import { createEngineDeps } from '../../sync/compose';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../sync/core/settings';
import { runSync } from '../../sync/engine/run';
import { SyncScheduler } from '../../sync/scheduler';
import type { Connection } from '../connection/connectionService';

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
>;

export interface StartSyncInput {
  readonly connection: Connection;
  readonly calendarId: string;
  readonly config: AddinConfig;
  readonly host: Host;
  /** The subject of a private item sent as a busy block, already translated. */
  readonly busySubject: string;
}

export type StartSync = (input: StartSyncInput) => Promise<SyncController>;

/** Roaming setting: one id per installation for the CRM lease (EngineWiring.holderId). */
export const holderIdSettingKey = 'syncHolderId';

/** SPEC T3: the type of items made in Outlook: "Meeting", else the first non-personal type. */
export function pickDefaultTypeId(types: readonly ActivityType[]): string | null {
  const meeting = types.find(
    (t) => !t.personal && [t.name, t.names.en].some((n) => n.trim().toLowerCase() === 'meeting'),
  );
  return (meeting ?? types.find((t) => !t.personal))?.id ?? null;
}

/** Milliseconds from `now` to the next local midnight (strictly after `now`). */
export function msUntilNextMidnight(now: number): number {
  const next = new Date(now);
  next.setHours(24, 0, 0, 0);
  return Math.max(1, next.getTime() - now);
}

function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The installation's holder id: kept in the roaming settings, made once. */
async function holderId(host: Host): Promise<string> {
  const saved = host.getSetting(holderIdSettingKey);
  if (typeof saved === 'string' && saved !== '') return saved;
  const id = randomId();
  try {
    await host.setSetting(holderIdSettingKey, id);
  } catch (error) {
    console.warn('Could not save the sync holder id', error);
  }
  return id;
}

function personZone(fallback: string): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || fallback;
  } catch {
    return fallback;
  }
}

/** The real one: the engine on Graph and the CRM session of the connection. */
export const startSync: StartSync = async ({
  connection,
  calendarId,
  config,
  host,
  busySubject,
}) => {
  const crm = connection.crm;
  if (!crm) throw new Error('The connection has no CRM session to sync with');
  const types = await crm.activityTypes();
  const settings: SyncSettings = {
    outlookToCrm: DEFAULT_DIRECTION,
    crmToOutlook: DEFAULT_DIRECTION,
    defaultTypeId: pickDefaultTypeId(types),
    personalTypeId: types.find((t) => t.personal)?.id ?? null,
    privateMode: 'full', // P1: private items travel as the CRM's personal type
    busySubject,
    conflictPolicy: 'newest-wins',
    timeZone: personZone(crm.timeZone),
    mailbox: connection.mailbox.trim().toLowerCase(),
    crmUserId: crm.userId,
  };
  const deps = createEngineDeps({
    graphBaseUrl: config.graphBaseUrl,
    graphTokens: createTokenProvider(config, { host }),
    crmSession: crm.session,
    settings,
    calendarId,
    holderId: await holderId(host),
  });
  const scheduler = new SyncScheduler(
    { run: (options, onProgress) => runSync(deps, options, onProgress) },
    { msUntilMidnight: msUntilNextMidnight },
  );
  scheduler.start();
  scheduler.setActive(true);
  return scheduler;
};
