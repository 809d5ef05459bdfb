import { createContext, useContext, type ReactNode } from 'react';
import { useConnectionMachine, type ConnectionApi } from '../hooks/useConnectionMachine';
import { useServices } from '../services';

const ConnectionContext = createContext<ConnectionApi | null>(null);

/**
 * Holds the one connection state of the pane, above the header (its badge) and the sections (the
 * Sign-in tab unmounts when another tab is chosen; the connection must not).
 */
export function ConnectionProvider(props: { children: ReactNode }) {
  const { connection, host } = useServices();
  const api = useConnectionMachine(connection, host);
  return <ConnectionContext.Provider value={api}>{props.children}</ConnectionContext.Provider>;
}

export function useConnection(): ConnectionApi {
  const api = useContext(ConnectionContext);
  if (!api) throw new Error('useConnection() needs a <ConnectionProvider> above it');
  return api;
}
