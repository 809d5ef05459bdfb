/** File database: migrations run once, data survives a restart, demo data loads once. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../../../sandbox/crm/db/migrations';
import type { Activity } from '../../../sandbox/crm/schemas/activity';
import { startTestServer } from './harness';
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
});
