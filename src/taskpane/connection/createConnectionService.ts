import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import { CrmDirectory, CrmSession } from '../../crm';
import {
  API_KEY_SLOT,
  EncryptedTokenStore,
  wipeLocalCredentials,
} from '../../crm/credentials/encryptedTokenStore';
import { GraphOutlookCalendar } from '../../outlook/graphOutlookCalendar';
import { SyncError } from '../../sync/core/errors';
import { clearPairingStore } from '../../sync/store/clearPairing';
import type { PaneRoot } from '../paneRoot';
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

/**
 * The real connection: the CRM adapter for sign-in and pairing, Graph for the calendar list (the
 * mailbox's one client, from the pane's root). The CRM session it opens is the pane's one: it
 * travels on the Connection to the sync loop and the item view.
 */
export function createConnectionService(deps: {
  readonly host: Host;
  readonly config: AddinConfig;
  readonly root: PaneRoot;
}): ConnectionService {
  const { host, root } = deps;
  // The API key is kept (sealed like the refresh token) only with "Remember my sign-in": the
  // automatic sign-in needs it for every CRM call, and roaming settings are no place for a key.
  // Issue 14: both are sealed for the CRM address they belong to; another address opens neither.
  const apiKeyStore = (address: string) => EncryptedTokenStore.forCrm(address, API_KEY_SLOT);

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
      // The person is signing in: this request may open a Microsoft 365 window.
      const { graphInteractive } = await root.mailbox(mailbox);
      const calendars = await new GraphOutlookCalendar({
        client: graphInteractive,
        personZone: me.timeZone,
      }).listCalendars();
      return {
        address: session.address,
        user: { displayName: me.displayName, email: me.email },
        mailbox,
        calendars,
        syncService: company.syncService,
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
        tokenStore: EncryptedTokenStore.forCrm(input.address),
      });
      if (input.remember) await apiKeyStore(input.address).save(input.apiKey);
      else await apiKeyStore(input.address).clear();
      return finish(session, input.mailbox);
    },
    async resume(mailbox: string): Promise<Connection | null> {
      const address = host.getSetting(connectionSettingKeys.address);
      if (typeof address !== 'string' || address === '') return null;
      let apiKey: string | null;
      try {
        apiKey = await apiKeyStore(address).load();
      } catch {
        return null; // an address that is not one (roaming settings are not ours alone)
      }
      if (apiKey === null) return null;
      const session = await CrmSession.resume({
        address,
        apiKey,
        tokenStore: EncryptedTokenStore.forCrm(address),
      });
      return session === null ? null : finish(session, mailbox);
    },
    removeLocalPairing: () => endPairing(host.mailboxAddress(), wipeLocalCredentials),
  };
}
