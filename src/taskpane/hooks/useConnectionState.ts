import { useConnection } from '../components/ConnectionProvider';

/** The CRM connection as the header shows it: one union, not a set of booleans. */
export type ConnectionState =
  | { readonly kind: 'notConnected' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected' }
  | { readonly kind: 'error' };

/** The header's summary of the sign-in state machine (useConnectionMachine). */
export function useConnectionState(): ConnectionState {
  const { status } = useConnection();
  switch (status.kind) {
    case 'connecting':
    case 'removing':
      return { kind: 'connecting' };
    case 'connected':
      return { kind: 'connected' };
    case 'signedOut':
      return status.problem ? { kind: 'error' } : { kind: 'notConnected' };
  }
}
