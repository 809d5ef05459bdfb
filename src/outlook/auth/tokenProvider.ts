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
   * @throws SyncError `auth` (graphSignInFailed, graphConsentRequired) when no token can be had.
   */
  getToken(options?: { readonly claims?: string }): Promise<string>;
}

export const GRAPH_SCOPES = ['User.Read', 'Calendars.ReadWrite', 'Contacts.ReadWrite'] as const;
