/**
 * Where the Graph adapter gets its bearer token. Chosen by configuration (`auth.kind` in
 * config/<ADDIN_ENV>.json): MSAL nested app authentication inside Outlook, or the Graph
 * emulator's token endpoint in the sandbox. The adapter never knows which.
 */
export interface GraphTokenProvider {
  /**
   * A token for `User.Read Calendars.ReadWrite Contacts.ReadWrite`.
   * @param claims a claims challenge from a Graph 401 (`WWW-Authenticate: … claims="…"`), passed
   *   once to get a token that satisfies it.
   * @throws SyncError `auth` (graphSignInFailed, graphConsentRequired, graphSignInNeeded) when no
   *   token can be had.
   */
  getToken(options?: { readonly claims?: string }): Promise<string>;
}

/** A token source the pane can also ask to sign in, because the person pressed a button. */
export interface InteractiveTokenProvider extends GraphTokenProvider {
  /**
   * Issue 11 item 6: gets a token, opening a sign-in window if one is needed (one at a time).
   * @throws SyncError `auth` when the sign-in does not succeed.
   */
  signIn(): Promise<void>;
}

export const GRAPH_SCOPES = ['User.Read', 'Calendars.ReadWrite', 'Contacts.ReadWrite'] as const;
