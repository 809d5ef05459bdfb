/** The CRM connection as the header shows it: one union, not a set of booleans. */
export type ConnectionState =
  | { readonly kind: 'notConnected' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected' }
  | { readonly kind: 'error' };

/**
 * The pane has no CRM session yet: sign-in (SPEC C1–C3) is the connection section's job, and this
 * hook is where its session state will surface. Until a session exists the pane is, truthfully,
 * not connected.
 */
export function useConnectionState(): ConnectionState {
  return { kind: 'notConnected' };
}
