import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import { CrmDirectory, CrmSession } from '../../crm';
import {
  EncryptedTokenStore,
  wipeLocalCredentials,
} from '../../crm/credentials/encryptedTokenStore';
import { createTokenProvider } from '../../outlook/auth/createTokenProvider';
import { GraphClient } from '../../outlook/graphClient';
import { GraphOutlookCalendar } from '../../outlook/graphOutlookCalendar';
import { SyncError } from '../../sync/core/errors';
import {
  connectionSettingKeys,
  type Connection,
  type ConnectionService,
  type ConnectInput,
} from './connectionService';

/** The real connection: the CRM adapter for sign-in and pairing, Graph for the calendar list. */
export function createConnectionService(deps: {
  readonly host: Host;
  readonly config: AddinConfig;
}): ConnectionService {
  const { host, config } = deps;
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
        await directory.pair(input.mailbox); // C5, C6: paired elsewhere, mailbox mismatch
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
          mailbox: input.mailbox,
          calendars,
          crm: {
            session,
            userId: me.id,
            timeZone: me.timeZone,
            activityTypes: () => directory.activityTypes(),
          },
          activityTypes: () => directory.activityTypes(),
          startSync: (calendarId) => host.setSetting(connectionSettingKeys.calendarId, calendarId),
          signOut: endSession,
          async unpair() {
            await directory.unpair();
            await endSession();
          },
        };
      } catch (error) {
        // A half-made connection keeps nothing: no session, no remembered token.
        await endSession().catch(() => undefined);
        throw error;
      }
    },
    removeLocalPairing: () => wipeLocalCredentials(),
  };
}
