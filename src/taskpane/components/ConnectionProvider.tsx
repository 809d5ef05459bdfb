import { createContext, useCallback, useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useConnectionMachine,
  type BeginSync,
  type ConnectionApi,
} from '../hooks/useConnectionMachine';
import { useServices } from '../services';

const ConnectionContext = createContext<ConnectionApi | null>(null);

/**
 * Holds the one connection state of the pane, above the header (its badge) and the sections (the
 * Sign-in tab unmounts when another tab is chosen; the connection must not).
 */
export function ConnectionProvider(props: { children: ReactNode }) {
  const { connection, host, config, startSync } = useServices();
  const { t } = useTranslation();
  const beginSync: BeginSync = useCallback(
    (conn, calendarId) =>
      startSync({
        connection: conn,
        calendarId,
        config,
        host,
        busySubject: t('sync.busySubject'),
      }),
    [startSync, config, host, t],
  );
  const api = useConnectionMachine(connection, host, beginSync);
  return <ConnectionContext.Provider value={api}>{props.children}</ConnectionContext.Provider>;
}

export function useConnection(): ConnectionApi {
  const api = useContext(ConnectionContext);
  if (!api) throw new Error('useConnection() needs a <ConnectionProvider> above it');
  return api;
}
