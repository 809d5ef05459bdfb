/** The failures the model tests inject into the fakes: one error per kind, as the adapters throw. */
import { ConflictError, SyncError } from '../../src/sync/core/errors';

export type InjectedFailure = 'throttled' | 'server' | 'conflict' | 'expired' | 'crash';

export function injectedError(kind: InjectedFailure): SyncError {
  switch (kind) {
    case 'throttled':
      return new SyncError('throttled', '429', { retryAfterMs: 1000 });
    case 'server':
      return new SyncError('serverError', '503');
    case 'conflict':
      return new ConflictError('412', null);
    case 'expired':
      return new SyncError('cursorExpired', '410');
    case 'crash':
      return new SyncError('offline', 'the process died here');
  }
}
