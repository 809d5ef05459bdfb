import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityType } from '../../crm';
import { useConnection } from '../components/ConnectionProvider';
import type { PreferencesPort } from '../preferences/preferencesPort';
import { useServices } from '../services';

/** The CRM's activity types for Preferences: fresh from the CRM when signed in, else as last read. */
export type ActivityTypesState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly types: readonly ActivityType[] }
  /** No CRM session and nothing read before (or the CRM failed): the choices cannot be shown. */
  | { readonly kind: 'unavailable'; readonly reason: 'signedOut' | 'failed' };

export function useActivityTypes(): ActivityTypesState {
  const { status } = useConnection();
  const { preferences } = useServices();
  const connection = status.kind === 'connected' ? status.connection : null;
  const [state, setState] = useState<ActivityTypesState>(() => fromCache(preferences, 'signedOut'));

  useEffect(() => {
    if (!connection) {
      setState(fromCache(preferences, 'signedOut'));
      return;
    }
    let current = true;
    setState({ kind: 'loading' });
    connection.activityTypes().then(
      (types) => {
        if (!current) return;
        setState({ kind: 'ready', types });
        preferences.rememberActivityTypes(types).catch((error: unknown) => {
          console.warn('Could not remember the activity types', error);
        });
      },
      (error: unknown) => {
        console.warn('Could not read the activity types', error);
        if (current) setState(fromCache(preferences, 'failed'));
      },
    );
    return () => {
      current = false;
    };
  }, [connection, preferences]);

  return state;
}

function fromCache(port: PreferencesPort, reason: 'signedOut' | 'failed'): ActivityTypesState {
  const cached = port.cachedActivityTypes();
  return cached.length > 0 ? { kind: 'ready', types: cached } : { kind: 'unavailable', reason };
}

/**
 * The activity types once read, and their names in the person's picklist language (SPEC L2): the
 * item and message views name a type the same way. `nameOf` falls back to the id.
 */
export function useTypeNames(): {
  readonly types: readonly ActivityType[] | null;
  readonly typeName: (type: ActivityType) => string;
  readonly nameOf: (id: string) => string;
} {
  const { i18n } = useTranslation();
  const { preferences } = useServices();
  const state = useActivityTypes();
  const prefs = preferences.load(i18n.language);
  const picklist = prefs.picklistLanguage ?? prefs.language;
  const types = state.kind === 'ready' ? state.types : null;
  const typeName = (type: ActivityType) => type.names[picklist] || type.name;
  const nameOf = (id: string) => {
    const type = types?.find((candidate) => candidate.id === id);
    return type ? typeName(type) : id;
  };
  return { types, typeName, nameOf };
}
