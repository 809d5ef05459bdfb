import { useEffect, useState } from 'react';
import type { Live } from '../status/statusService';

export type LiveResult<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly value: T }
  | { readonly kind: 'failed'; readonly error: unknown };

/**
 * The latest value of a live query (Dexie's `liveQuery`, through a service). dexie-react-hooks'
 * `useLiveQuery` is not installed; this is the part of it the pane needs. `live` must be stable
 * (memoise it): a new one subscribes afresh.
 */
export function useLive<T>(live: Live<T> | null): LiveResult<T> {
  const [result, setResult] = useState<LiveResult<T>>({ kind: 'loading' });
  useEffect(() => {
    if (live === null) return undefined;
    const subscription = live.subscribe({
      next: (value) => setResult({ kind: 'ready', value }),
      error: (error) => setResult({ kind: 'failed', error }),
    });
    return () => subscription.unsubscribe();
  }, [live]);
  return result;
}
