import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncPreview } from '../../sync/engine/preview';
import type { Connection } from '../connection/connectionService';
import { useServices } from '../services';

/** The dry run's state (SPEC C8): one union, as the pane shows it. */
export type PreviewState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly preview: SyncPreview }
  | { readonly kind: 'failed'; readonly error: unknown };

/**
 * Asks the engine what the first sync would do for this calendar, again whenever the calendar
 * changes; `enabled` is false once sync has started (there is no first sync left to preview).
 */
export function useFirstSyncPreview(
  connection: Connection,
  calendarId: string,
  enabled: boolean,
): { state: PreviewState; retry: () => void } {
  const { previewSync, config, host } = useServices();
  const { t } = useTranslation();
  const [state, setState] = useState<PreviewState>({ kind: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const busySubject = t('sync.busySubject');

  useEffect(() => {
    if (!enabled || calendarId === '') {
      setState({ kind: 'idle' });
      return;
    }
    let current = true;
    setState({ kind: 'loading' });
    previewSync({ connection, calendarId, config, host, busySubject }).then(
      (outcome) => {
        if (!current) return;
        setState(
          outcome.state === 'ready'
            ? { kind: 'ready', preview: outcome.preview }
            : { kind: 'failed', error: outcome.error },
        );
      },
      (error: unknown) => {
        if (current) setState({ kind: 'failed', error });
      },
    );
    return () => {
      current = false;
    };
  }, [previewSync, connection, calendarId, config, host, busySubject, enabled, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, retry };
}
