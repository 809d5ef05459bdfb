/**
 * The pane's connection as a state machine (useConnectionMachine.ts): its states, what it offers
 * the views, and what it starts the sync loop with.
 */
import type { Connection, ConnectInput } from '../connection/connectionService';
import type { StartSyncInput, SyncController } from '../sync/syncController';
import type { SyncLoop } from '../sync/syncLoop';

/**
 * The pane's one sync loop (services.syncLoop, outside React) and what it starts with for a
 * connection and its chosen calendar.
 */
export interface LoopBinding {
  readonly loop: SyncLoop;
  input(connection: Connection, calendarId: string): StartSyncInput;
}

/** A failure the pane shows; `forcedRemoval` offers "Remove pairing from this device" (SPEC C5). */
export interface ConnectionProblem {
  readonly error: unknown;
  readonly forcedRemoval: boolean;
}

/** What just happened that the signed-out form confirms. */
export type SignedOutNotice = 'signedOut' | 'unpaired' | 'pairingRemoved';

/** The sign-in state machine: one union, never a set of booleans that exclude each other. */
export type ConnectionStatus =
  | {
      readonly kind: 'signedOut';
      readonly problem: ConnectionProblem | null;
      readonly notice: SignedOutNotice | null;
    }
  | { readonly kind: 'connecting' }
  | {
      readonly kind: 'connected';
      readonly connection: Connection;
      readonly calendarId: string;
      /** SPEC C8: the first sync starts only after the warning was acknowledged. */
      readonly sync: 'notStarted' | 'starting' | 'started';
      /** The running sync loop once started; stopped on sign-out and unpairing. */
      readonly scheduler: SyncController | null;
      readonly pending: 'none' | 'signingOut' | 'unpairing';
      readonly problem: ConnectionProblem | null;
    }
  | { readonly kind: 'removing' };

export interface ConnectionApi {
  readonly status: ConnectionStatus;
  /** SPEC C8: acknowledged once per mailbox (a roaming setting), then not asked again. */
  readonly acknowledged: boolean;
  connect(input: ConnectInput): Promise<boolean>;
  chooseCalendar(calendarId: string): void;
  acknowledge(value: boolean): void;
  startSync(): Promise<void>;
  signOut(): Promise<void>;
  unpair(): Promise<void>;
  removeLocalPairing(): Promise<void>;
}

export interface ConnectionOptions {
  /** SPEC C4: sign in with the remembered sign-in as soon as the pane loads. */
  readonly signInOnLoad?: boolean;
  /** SPEC S5: whether sync started before starts again by itself after a sign-in. */
  readonly syncAfterSignIn?: () => boolean;
}
