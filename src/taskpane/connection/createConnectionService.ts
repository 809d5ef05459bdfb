import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import { CrmDirectory, CrmSession } from '../../crm';
import {
  API_KEY_SLOT,
  EncryptedTokenStore,
  wipeLocalCredentials,
} from '../../crm/credentials/encryptedTokenStore';
import { createTokenProvider } from '../../outlook/auth/createTokenProvider';
import { GraphClient } from '../../outlook/graphClient';
import { GraphOutlookCalendar } from '../../outlook/graphOutlookCalendar';
import { SyncError } from '../../sync/core/errors';
import { clearPairingStore } from '../../sync/store/dexieSyncStore';
import {
  connectionSettingKeys,
  type Connection,
  type ConnectionService,
  type ConnectInput,
} from './connectionService';

/**
 * Issue 14, item 4: the one place a pairing ends (sign-out, unpair, forced removal): its sync
 * store is cleared with it, whatever the session's end does.
 */
async function endPairing(mailbox: string, end: () => Promise<void>): Promise<void> {
  try {
    await end();
  } finally {
    // The store is a cache: one that cannot be opened here holds nothing to clear, and a sign-out
    // never fails on it (the run's gather takes no unknown stamp for a deletion either).
    await clearPairingStore(mailbox).catch(() => undefined);
  }
}

/** The real connection: the CRM adapter for sign-in and pairing, Graph for the calendar list. */
export function createConnectionService(deps: {
  readonly host: Host;
  readonly config: AddinConfig;
}): ConnectionService {
  const { host, config } = deps;
  // The API key is kept (sealed like the refresh token) only with "Remember my sign-in": the
  // automatic sign-in needs it for every CRM call, and roaming settings are no place for a key.
  const apiKeyStore = () => new EncryptedTokenStore(undefined, undefined, API_KEY_SLOT);

  /** After a session exists: company (C7), user, pairing (C5, C6), calendars. */
  async function finish(session: CrmSession, mailbox: string): Promise<Connection> {
    const endSession = async () => {
      try {
        await session.signOut();
      } finally {
        await wipeLocalCredentials();
      }
    };
    try {
      const directory = new CrmDirectory(session);
      // SPEC C7: a company switches the feature on first; say so before trying to pair.
      const company = await directory.company();
      if (!company.syncEnabled) {
        throw new SyncError('syncDisabledForCompany', 'Calendar sync is off for the company');
      }
      const me = await directory.me();
      await directory.pair(mailbox); // C5, C6: paired elsewhere, mailbox mismatch
      const graph = new GraphClient({
        baseUrl: config.graphBaseUrl,
        tokens: createTokenProvider(config, { host }),
      });
      const calendars = await new GraphOutlookCalendar({
        client: graph,
        personZone: me.timeZone,
      }).listCalendars();
      return {
        address: session.address,
        user: { displayName: me.displayName, email: me.email },
        mailbox,
        calendars,
        crm: {
          session,
          userId: me.id,
          timeZone: me.timeZone,
          activityTypes: () => directory.activityTypes(),
        },
        activityTypes: () => directory.activityTypes(),
        startSync: (calendarId) => host.setSetting(connectionSettingKeys.calendarId, calendarId),
        async signOut() {
          await endPairing(mailbox, endSession);
        },
        async unpair() {
          await directory.unpair();
          await endPairing(mailbox, endSession);
        },
      };
    } catch (error) {
      // A half-made connection keeps nothing: no session, no remembered token.
      await endSession().catch(() => undefined);
      throw error;
    }
  }

  return {
    async connect(input: ConnectInput): Promise<Connection> {
      const session = await CrmSession.signIn({
        address: input.address,
        apiKey: input.apiKey,
        username: input.username,
        password: input.password,
        remember: input.remember,
        tokenStore: new EncryptedTokenStore(),
      });
      if (input.remember) await apiKeyStore().save(input.apiKey);
      else await apiKeyStore().clear();
      return finish(session, input.mailbox);
    },
    async resume(mailbox: string): Promise<Connection | null> {
      const address = host.getSetting(connectionSettingKeys.address);
      if (typeof address !== 'string' || address === '') return null;
      const apiKey = await apiKeyStore().load();
      if (apiKey === null) return null;
      const session = await CrmSession.resume({
        address,
        apiKey,
        tokenStore: new EncryptedTokenStore(),
      });
      return session === null ? null : finish(session, mailbox);
    },
    removeLocalPairing: () => endPairing(host.mailboxAddress(), wipeLocalCredentials),
  };
}
