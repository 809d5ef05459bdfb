/**
 * File database: migrations run once, data survives a restart, demo data loads once, and secrets
 * are at rest only as hashes.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../../../sandbox/crm/db/migrations';
import type { Activity } from '../../../sandbox/crm/schemas/activity';
import { startTestServer, T0 } from './harness';
import { idem, newActivity } from './suites/fixtures';

describe('persistence', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const inspect = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        userVersion: Number(db.pragma('user_version', { simple: true })),
        migrations: db.prepare('SELECT version, applied_at FROM schema_migrations').all(),
        users: count('SELECT COUNT(*) AS n FROM users'),
        activities: count('SELECT COUNT(*) AS n FROM activities'),
      };
    } finally {
      db.close();
    }
  };

  it('migrates once, keeps data across restarts and seeds the demo only when new', async () => {
    const file = join(dir, 'data', 'crm.sqlite');
    const first = await startTestServer({ dbPath: file });
    const anna = await first.signIn();
    const created = await anna.post<Activity>('/api/v1/activities', newActivity(), idem());
    await first.close();
    const afterFirst = inspect(file);
    expect(afterFirst.userVersion).toBe(MIGRATIONS.length);
    expect(afterFirst.migrations).toHaveLength(MIGRATIONS.length);
    expect(afterFirst.users).toBe(3);

    const second = await startTestServer({ dbPath: file });
    try {
      const again = await second.signIn();
      const res = await again.get<Activity>(`/api/v1/activities/${created.body.id}`);
      expect(res.body).toEqual(created.body);
    } finally {
      await second.close();
    }
    // Same migration rows (not re-run), no second copy of the demo data.
    expect(inspect(file)).toEqual(afterFirst);
  });

  it('starts empty when demo data is off', async () => {
    const file = join(dir, 'empty.sqlite');
    const s = await startTestServer({ dbPath: file, seedDemoData: false });
    await s.close();
    expect(inspect(file)).toMatchObject({ users: 0, activities: 0 });
  });

  it('keeps an extranet one-time password only as a hash (the sandbox outbox is its mail)', async () => {
    const file = join(dir, 'otp.sqlite');
    const s = await startTestServer({ dbPath: file });
    const anna = await s.signIn();
    const share = '/api/v1/projects/prj_fabrikam_crm/extranet-shares/con_fabrikam_liisa';
    const none = { approveHours: false, comment: false, addFilesAndLinks: false };
    const sections = {
      financials: { invoicing: false, billable: false },
      phases: { gantt: false, tree: false, hoursWithTimes: false, estimates: false },
      other: { status: false, changeStatus: false, filesAndLinks: false },
    };
    expect((await anna.put(share, { rights: none, sections })).status).toBe(201);
    const outbox = await s.admin.get<{ items: Array<{ oneTimePassword: string }> }>(
      '/sandbox/extranet-outbox',
    );
    const password = outbox.body.items[0]?.oneTimePassword ?? '';
    expect(password).toMatch(/^[A-Za-z2-9]{12}$/);
    await s.close();
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'extranet_outbox'",
        )
        .all() as Array<{ name: string }>;
      for (const { name } of tables) {
        const rows = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
        expect({ name, holdsPassword: rows.includes(password) }).toEqual({
          name,
          holdsPassword: false,
        });
      }
      const stored = db.prepare('SELECT hash, expires_at, used_at FROM extranet_passwords').all();
      expect(stored).toEqual([
        {
          hash: createHash('sha256').update(password).digest('hex'),
          expires_at: T0 + 15 * 60_000,
          used_at: null,
        },
      ]);
    } finally {
      db.close();
    }
  });
});
