import type { ActivityType } from '../../../src/crm';
import { normaliseCrmAddress } from '../../../src/crm/address';
import { SyncError } from '../../../src/sync/core/errors';
import type {
  CalendarChoice,
  Connection,
  ConnectionService,
  ConnectInput,
} from '../../../src/taskpane/connection/connectionService';

interface FakeUser {
  readonly password: string;
  readonly email: string;
  readonly displayName: string;
}

/**
 * A small CRM + mailbox that behaves like the real pair, in memory: one key, users, a company
 * switch, pairings, and calendars. `reachable = false` makes every CRM call fail as offline.
 */
export class FakeConnectionService implements ConnectionService {
  apiKey = 'outlook-key';
  users = new Map<string, FakeUser>([
    ['anna', { password: 'secret', email: 'anna@contoso.example', displayName: 'Anna Virtanen' }],
    ['ben', { password: 'secret', email: 'ben@contoso.example', displayName: 'Ben Berg' }],
  ]);
  syncEnabled = true;
  reachable = true;
  /** mailbox → username */
  pairings = new Map<string, string>();
  calendars: CalendarChoice[] = [
    { id: 'cal-shared', name: 'Team', isDefault: false, canEdit: true },
    { id: 'cal-default', name: 'Calendar', isDefault: true, canEdit: true },
  ];
  /** The CRM's activity types (SPEC T1–T3); names in each picklist language (L2). */
  activityTypes: ActivityType[] = [
    fakeType('t-meeting', 'Meeting', 'Tapaaminen'),
    fakeType('t-call', 'Phone call', 'Puhelu'),
    fakeType('t-visit', 'Customer visit', 'Asiakaskäynti'),
    { ...fakeType('t-personal', 'Personal', 'Henkilökohtainen'), personal: true },
  ];
  activityTypeFailure: Error | null = null;
  readonly connectCalls: ConnectInput[] = [];
  readonly startedCalendars: string[] = [];
  localRemovals = 0;
  signOuts = 0;
  /** SPEC C3: the sign-in remembered on this device (set by a connect with `remember`). */
  remembered: { username: string; address: string } | null = null;
  /** What the next resume throws instead (an ended session, an unreachable CRM …). */
  resumeFailure: Error | null = null;
  resumeCalls = 0;

  async connect(input: ConnectInput): Promise<Connection> {
    this.connectCalls.push(input);
    const address = normaliseCrmAddress(input.address);
    this.assertReachable();
    if (input.apiKey !== this.apiKey) throw new SyncError('wrongApiKey', '401 wrong key');
    const user = this.users.get(input.username);
    if (!user || user.password !== input.password) {
      throw new SyncError('wrongCredentials', '401 wrong credentials');
    }
    if (!this.syncEnabled) throw new SyncError('syncDisabledForCompany', 'off');
    const holder = this.pairings.get(input.mailbox);
    if (holder && holder !== input.username) {
      throw new SyncError('mailboxPairedElsewhere', '409');
    }
    if (user.email !== input.mailbox) {
      throw new SyncError('mailboxMismatch', '422', {
        params: { mailbox: input.mailbox, crmEmail: user.email },
      });
    }
    this.pairings.set(input.mailbox, input.username);
    this.remembered = input.remember ? { username: input.username, address } : null;
    return this.connection(user, input.mailbox, address);
  }

  async resume(mailbox: string): Promise<Connection | null> {
    this.resumeCalls++;
    if (this.resumeFailure) throw this.resumeFailure;
    const remembered = this.remembered;
    if (!remembered) return null;
    this.assertReachable();
    const user = this.users.get(remembered.username);
    if (!user) throw new SyncError('sessionExpired', 'gone');
    return this.connection(user, mailbox, remembered.address);
  }

  private connection(user: FakeUser, mailbox: string, address: string): Connection {
    return {
      address,
      user: { displayName: user.displayName, email: user.email },
      mailbox,
      calendars: this.calendars,
      activityTypes: async () => {
        if (this.activityTypeFailure) throw this.activityTypeFailure;
        return this.activityTypes;
      },
      startSync: async (calendarId) => void this.startedCalendars.push(calendarId),
      signOut: async () => {
        this.signOuts++;
        this.remembered = null;
      },
      unpair: async () => {
        this.assertReachable();
        this.pairings.delete(mailbox);
        this.signOuts++;
        this.remembered = null;
      },
    };
  }

  async removeLocalPairing(): Promise<void> {
    this.localRemovals++;
  }

  private assertReachable() {
    if (!this.reachable) throw new SyncError('crmUnreachable', 'ECONNREFUSED');
  }
}

/** A type named in English and Finnish; the other languages borrow the English name. */
export function fakeType(id: string, en: string, fi: string): ActivityType {
  return { id, name: en, names: { en, fi, sv: en, it: en, de: en }, personal: false };
}
