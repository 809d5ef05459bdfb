import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionApi, LoopBinding } from '../hooks/connectionStatus';
import { useConnectionMachine } from '../hooks/useConnectionMachine';
import type { PaneView } from '../sections';
import { useServices } from '../services';

const ConnectionContext = createContext<ConnectionApi | null>(null);

/**
 * Holds the one connection state of the pane, above the header (its badge) and the sections (the
 * Sign-in tab unmounts when another tab is chosen; the connection must not).
 */
export function ConnectionProvider(props: { children: ReactNode; view?: PaneView }) {
  const { connection, host, config, syncLoop, preferences } = useServices();
  const { t } = useTranslation();
  // The loop is the pane's (services.syncLoop), not this component's: mounted again, the
  // provider finds it running instead of starting another.
  const sync: LoopBinding = useMemo(
    () => ({
      loop: syncLoop,
      input: (conn, calendarId) => ({
        connection: conn,
        calendarId,
        config,
        host,
        busySubject: t('sync.busySubject'),
      }),
    }),
    [syncLoop, config, host, t],
  );
  // SPEC C4: the pane signs in by itself when the person asked for it in Preferences; opened by
  // the ribbon's "Sign in" (`?view=connection`) it always does. The ribbon's Preferences opens the
  // task pane itself on that view (issue 11: no dialogs), so it keeps syncing like the full pane.
  const [signInOnLoad] = useState(() => {
    const view = props.view ?? { kind: 'pane' };
    if (view.kind === 'single' && view.section === 'connection') return true;
    return preferences.load('en').options.signInAutomatically;
  });
  const syncAfterSignIn = useCallback(
    () => preferences.load('en').options.syncAutomatically,
    [preferences],
  );
  const api = useConnectionMachine(connection, host, sync, { signInOnLoad, syncAfterSignIn });
  return <ConnectionContext.Provider value={api}>{props.children}</ConnectionContext.Provider>;
}

export function useConnection(): ConnectionApi {
  const api = useContext(ConnectionContext);
  if (!api) throw new Error('useConnection() needs a <ConnectionProvider> above it');
  return api;
}
