/**
 * A behaving ServiceControl (src/service/control.ts) for the control API's and the pane's tests:
 * each mailbox's lists read from a real SQLite SyncStore (src/sync/store/sqlite) — the runs, trash
 * and quarantine the engine's writes leave there — and its loop state held in memory, where the
 * service's runtime (i17svc) keeps its own. What the API's callers asked for ("Sync now", the
 * brake's answers, restores) is recorded for the tests to read.
 */
import {
  UnknownMailboxError,
  type AskedBrake,
  type BrakeConfirmation,
  type RunView,
  type ServiceControl,
  type ServiceMailboxStatus,
  type SetAsideView,
  type TrashView,
} from '../../src/service/control';
import { quarantineFromRow, runFromRow, trashFromRow } from '../../src/sync/store/sqlRows';
import { SqliteSyncStore } from '../../src/sync/store/sqlite/sqliteSyncStore';
import { runViewOf } from '../../src/shared/runView';

interface Mailbox {
  readonly store: SqliteSyncStore;
  status: ServiceMailboxStatus;
  asked: readonly AskedBrake[] | null;
  readonly syncNows: number[];
  readonly answers: (readonly BrakeConfirmation[])[];
}

export class SqliteServiceControl implements ServiceControl {
  private readonly mailboxes = new Map<string, Mailbox>();

  constructor(private readonly now: () => string = () => new Date().toISOString()) {}

  /** Starts syncing `mailboxId` on a fresh in-memory store; returns the store to fill. */
  add(mailboxId: string): SqliteSyncStore {
    const store = SqliteSyncStore.inMemory();
    this.mailboxes.set(mailboxId, {
      store,
      status: {
        mailboxId,
        state: 'idle',
        lastSyncAt: null,
        nextRunAt: null,
        lastOutcome: null,
        lastTrigger: 'start',
      },
      asked: null,
      syncNows: [],
      answers: [],
    });
    return store;
  }

  /** What the service's runtime would set after a run. */
  setStatus(mailboxId: string, status: Partial<ServiceMailboxStatus>): void {
    const box = this.get(mailboxId);
    box.status = { ...box.status, ...status };
  }

  /** The last run braked with this question (or `null`: no longer braked). */
  brake(mailboxId: string, asked: readonly AskedBrake[] | null): void {
    const box = this.get(mailboxId);
    box.asked = asked;
    box.status = asked
      ? { ...box.status, state: 'braked', lastOutcome: { state: 'braked', asked } }
      : { ...box.status, state: 'idle' };
  }

  syncNowCount(mailboxId: string): number {
    return this.get(mailboxId).syncNows.length;
  }

  answers(mailboxId: string): readonly (readonly BrakeConfirmation[])[] {
    return this.get(mailboxId).answers;
  }

  close(): void {
    for (const box of this.mailboxes.values()) box.store.close();
  }

  private get(mailboxId: string): Mailbox {
    const box = this.mailboxes.get(mailboxId);
    if (!box) throw new UnknownMailboxError(mailboxId);
    return box;
  }

  async status(mailboxId: string): Promise<ServiceMailboxStatus> {
    return this.get(mailboxId).status;
  }

  async history(mailboxId: string, limit: number): Promise<readonly RunView[]> {
    const db = this.get(mailboxId).store.connection();
    const rows = db
      .prepare('SELECT id, data FROM runs ORDER BY started_at DESC, id DESC LIMIT ?')
      .all(limit)
      .map(runFromRow);
    return rows.map((run) =>
      runViewOf(
        run,
        () => null,
        () => false,
      ),
    );
  }

  async setAside(mailboxId: string): Promise<readonly SetAsideView[]> {
    const db = this.get(mailboxId).store.connection();
    return db
      .prepare('SELECT * FROM quarantine WHERE quarantined = 1 ORDER BY since DESC')
      .all()
      .map(quarantineFromRow)
      .map((row) => ({
        itemKey: row.itemKey,
        subject: null,
        failures: row.failures,
        lastCode: row.lastCode,
        since: row.since,
        unlinked: row.unlinkedAt !== undefined,
      }));
  }

  async retry(mailboxId: string, itemKey: string): Promise<void> {
    const db = this.get(mailboxId).store.connection();
    db.prepare('DELETE FROM quarantine WHERE item_key = ?').run(itemKey);
  }

  async trash(mailboxId: string): Promise<readonly TrashView[]> {
    const db = this.get(mailboxId).store.connection();
    return db
      .prepare('SELECT id, data FROM trash ORDER BY at DESC, id DESC')
      .all()
      .map(trashFromRow)
      .map((row) => ({
        id: row.id ?? 0,
        at: row.at,
        subject: row.deleted?.subject ?? null,
        kind: row.deleted ? ('deleted' as const) : ('overwritten' as const),
        lost: row.lost,
        restore: row.restore ?? null,
      }));
  }

  async restore(mailboxId: string, trashId: number): Promise<boolean> {
    const box = this.get(mailboxId);
    const row = (await this.trash(mailboxId)).find((t) => t.id === trashId);
    if (!row || row.restore !== null) return false;
    await box.store.setRestore(trashId, { state: 'requested', requestedAt: this.now() });
    return true;
  }

  async syncNow(mailboxId: string): Promise<void> {
    const box = this.get(mailboxId);
    box.syncNows.push(box.syncNows.length + 1);
    box.status = { ...box.status, lastTrigger: 'syncNow' };
  }

  async brakeQuestion(mailboxId: string): Promise<readonly AskedBrake[] | null> {
    return this.get(mailboxId).asked;
  }

  async confirmBrake(
    mailboxId: string,
    confirmation: readonly BrakeConfirmation[],
  ): Promise<boolean> {
    const box = this.get(mailboxId);
    if (box.asked === null) return false;
    box.answers.push(confirmation);
    this.brake(mailboxId, null);
    box.status = {
      ...box.status,
      lastTrigger: confirmation.length > 0 ? 'brakeConfirmed' : box.status.lastTrigger,
    };
    return true;
  }
}
