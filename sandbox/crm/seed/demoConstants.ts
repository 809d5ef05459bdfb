/** Credentials of the demo company; exported from the package as `DEMO`. */
export const DEMO = {
  apiKey: 'sandbox-outlook-key',
  adminApiKey: 'sandbox-admin-key',
  /** Issue 17: the always-on sync service's server-to-server key. */
  serviceApiKey: 'sandbox-service-key',
  password: 'sandbox',
  users: ['anna@contoso.example', 'ben@contoso.example', 'carla@contoso.example'],
} as const;
