import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Host } from '../../host/host';
import { SyncError } from '../../sync/core/errors';
import {
  connectionSettingKeys,
  defaultCalendarId,
  type Connection,
  type ConnectionService,
  type ConnectInput,
} from '../connection/connectionService';
import type { SyncController } from '../sync/syncController';
import type { SyncLoopSnapshot } from '../sync/syncLoop';

import type {
  ConnectionApi,
  ConnectionOptions,
  ConnectionProblem,
  ConnectionStatus,
  LoopBinding,
  SignedOutNotice,
} from './connectionStatus';

const signedOut = (
  problem: ConnectionProblem | null = null,
  notice: SignedOutNotice | null = null,
): ConnectionStatus => ({ kind: 'signedOut', problem, notice });

const isPairedElsewhere = (error: unknown) =>
  error instanceof SyncError && error.code === 'mailboxPairedElsewhere';

/** The CRM could not be reached to undo the pairing: only a local removal is left (SPEC C5). */
const isUnreachable = (error: unknown) =>
  error instanceof SyncError &&
  (error.kind === 'offline' || error.kind === 'server' || error.kind === 'throttled');

/** Remembering a preference must not turn a successful sign-in into a failure. */
async function remember(host: Host, key: string, value: string | boolean): Promise<void> {
  try {
    await host.setSetting(key, value);
  } catch (error) {
    console.warn('Could not save a connection preference', error);
  }
}

/** The calendar sync was started on before (SPEC S5), when it is still one of the mailbox's. */
function startedCalendar(host: Host, connection: Connection): string | null {
  if (host.getSetting(connectionSettingKeys.syncStarted) !== true) return null;
  const saved = host.getSetting(connectionSettingKeys.calendarId);
  return connection.calendars.some((c) => c.id === saved) ? (saved as string) : null;
}

/** A loop already running (the provider mounted again): the pane is connected and syncing. */
function fromLoop(snapshot: SyncLoopSnapshot): ConnectionStatus | null {
  if (snapshot.state !== 'running') return null;
  return {
    kind: 'connected',
    connection: snapshot.connection,
    calendarId: snapshot.calendarId,
    sync: 'started',
    scheduler: snapshot.controller,
    pending: 'none',
    problem: null,
  };
}

/**
 * The connection's state and its transitions; ConnectionProvider shares one per pane. The sync
 * loop is not React's: the machine starts and stops the pane's SyncLoop and reads the running
 * controller from it, so a re-render or a remount never starts a second loop.
 */
export function useConnectionMachine(
  service: ConnectionService,
  host: Host,
  sync: LoopBinding,
  options: ConnectionOptions = {},
): ConnectionApi {
  const { signInOnLoad = false, syncAfterSignIn } = options;
  const { loop } = sync;
  const [status, setStatus] = useState<ConnectionStatus>(
    () => fromLoop(loop.getSnapshot()) ?? (signInOnLoad ? { kind: 'connecting' } : signedOut()),
  );
  const loopState = useSyncExternalStore(loop.subscribe, loop.getSnapshot);
  const beginSync = useCallback(
    (connection: Connection, calendarId: string): Promise<SyncController> =>
      loop.start(sync.input(connection, calendarId)),
    [loop, sync],
  );
  const stopSync = useCallback(() => loop.stop(), [loop]);
  const [acknowledged, setAcknowledged] = useState(
    () => host.getSetting(connectionSettingKeys.firstSyncAcknowledged) === true,
  );

  /**
   * Connected: the calendar picker and the first-sync preview — or, when sync was started on
   * this mailbox before (SPEC S5), the loop again at once, with no question asked.
   */
  const arrive = useCallback(
    async (connection: Connection) => {
      // Issue 17: on the company's service sync already runs; the pane only shows it (the loop it
      // starts is the service's controller, startPane.ts), with nothing to choose or confirm.
      const resumeOn = connection.syncService
        ? defaultCalendarId(connection.calendars)
        : syncAfterSignIn?.() === false
          ? null
          : startedCalendar(host, connection);
      const base = {
        kind: 'connected' as const,
        connection,
        calendarId: resumeOn ?? defaultCalendarId(connection.calendars),
        scheduler: null,
        pending: 'none' as const,
        problem: null,
      };
      if (resumeOn === null) {
        setStatus({ ...base, sync: 'notStarted' });
        return;
      }
      setStatus({ ...base, sync: 'starting' });
      try {
        const scheduler = await beginSync(connection, resumeOn);
        setStatus({ ...base, sync: 'started', scheduler });
      } catch (error) {
        setStatus({ ...base, sync: 'notStarted', problem: { error, forcedRemoval: false } });
      }
    },
    [host, beginSync, syncAfterSignIn],
  );

  const connect = useCallback(
    async (input: ConnectInput) => {
      setStatus({ kind: 'connecting' });
      let connection: Connection;
      try {
        connection = await service.connect(input);
      } catch (error) {
        setStatus(signedOut({ error, forcedRemoval: isPairedElsewhere(error) }));
        return false;
      }
      await remember(host, connectionSettingKeys.address, input.address.trim());
      await remember(host, connectionSettingKeys.username, input.username.trim());
      await arrive(connection);
      return true;
    },
    [service, host, arrive],
  );

  /** SPEC C3, C4: the remembered sign-in; the form (with one message) when it fails. */
  const resume = useCallback(async () => {
    setStatus({ kind: 'connecting' });
    try {
      const connection = await service.resume(host.mailboxAddress());
      if (connection === null) setStatus(signedOut());
      else await arrive(connection);
    } catch (error) {
      setStatus(signedOut({ error, forcedRemoval: isPairedElsewhere(error) }));
    }
  }, [service, host, arrive]);

  // Once per pane: the automatic sign-in when it is on (SPEC C4) — not while the loop runs.
  const resumeOnLoad = useRef(signInOnLoad && loop.getSnapshot().state !== 'running');
  useEffect(() => {
    if (!resumeOnLoad.current) return;
    resumeOnLoad.current = false;
    void resume();
  }, [resume]);

  const chooseCalendar = useCallback((calendarId: string) => {
    setStatus((s) =>
      s.kind === 'connected' && s.sync === 'notStarted' ? { ...s, calendarId } : s,
    );
  }, []);

  const connected = status.kind === 'connected' ? status : null;

  const startSync = useCallback(async () => {
    if (!connected || connected.sync !== 'notStarted' || !acknowledged) return;
    if (connected.calendarId === '') return;
    setStatus({ ...connected, sync: 'starting', problem: null });
    try {
      await connected.connection.startSync(connected.calendarId);
      const scheduler = await beginSync(connected.connection, connected.calendarId);
      await remember(host, connectionSettingKeys.firstSyncAcknowledged, true);
      await remember(host, connectionSettingKeys.syncStarted, true);
      setStatus({ ...connected, sync: 'started', scheduler, problem: null });
    } catch (error) {
      setStatus({ ...connected, sync: 'notStarted', problem: { error, forcedRemoval: false } });
    }
  }, [connected, acknowledged, host, beginSync]);

  const signOut = useCallback(async () => {
    if (!connected) return;
    setStatus({ ...connected, pending: 'signingOut', problem: null });
    stopSync();
    // Local credentials are wiped even when the CRM cannot revoke the session.
    await connected.connection.signOut().catch(() => undefined);
    setStatus(signedOut(null, 'signedOut'));
  }, [connected, stopSync]);

  const unpair = useCallback(async () => {
    if (!connected) return;
    setStatus({ ...connected, pending: 'unpairing', problem: null });
    // The loop must not run against a pairing being undone; it restarts if the CRM says no.
    stopSync();
    try {
      await connected.connection.unpair();
      // A new pairing starts with a first sync again: its preview and warnings (SPEC C8).
      await remember(host, connectionSettingKeys.syncStarted, false);
      setStatus(signedOut(null, 'unpaired'));
    } catch (error) {
      loop.resume();
      setStatus({
        ...connected,
        pending: 'none',
        problem: { error, forcedRemoval: isUnreachable(error) },
      });
    }
  }, [connected, stopSync, host, loop]);

  const removeLocalPairing = useCallback(async () => {
    setStatus({ kind: 'removing' });
    stopSync();
    try {
      await service.removeLocalPairing();
      await remember(host, connectionSettingKeys.syncStarted, false);
      setStatus(signedOut(null, 'pairingRemoved'));
    } catch (error) {
      setStatus(signedOut({ error, forcedRemoval: true }));
    }
  }, [service, host, stopSync]);

  // The running controller is the loop's: what the views get is what runs.
  const shown = useMemo((): ConnectionStatus => {
    if (status.kind !== 'connected') return status;
    const scheduler =
      loopState.state === 'running' && loopState.connection === status.connection
        ? loopState.controller
        : null;
    return scheduler === status.scheduler ? status : { ...status, scheduler };
  }, [status, loopState]);

  return useMemo(
    () => ({
      status: shown,
      acknowledged,
      connect,
      chooseCalendar,
      acknowledge: setAcknowledged,
      startSync,
      signOut,
      unpair,
      removeLocalPairing,
    }),
    [shown, acknowledged, connect, chooseCalendar, startSync, signOut, unpair, removeLocalPairing],
  );
}
