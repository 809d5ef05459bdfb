/**
 * Demo company "Contoso": loaded when the database is new (and on POST /sandbox/reset).
 * Ids are readable and fixed so tests and manual sessions can refer to them.
 */
import type { Db } from '../db/open';
import { headSeq, WATERMARK_KEY } from '../domain/changeLog';
import { sha256 } from '../domain/secrets';
import { DEMO } from './demoConstants';
import { seedDemoActivities } from './demoActivities';

export const COMPANY_ID = 'cmp_contoso';

const USERS = [
  [
    'usr_anna',
    DEMO.users[0],
    'Anna Andersson',
    'en',
    'Europe/Helsinki',
    ['anna.andersson@contoso.example'],
  ],
  ['usr_ben', DEMO.users[1], 'Ben Berg', 'fi', 'Europe/Helsinki', ['b.berg@contoso.example']],
  ['usr_carla', DEMO.users[2], 'Carla Conti', 'sv', 'Europe/Stockholm', []],
] as const;

/** [id, personal, en, fi, sv, it, de] */
const TYPES = [
  ['typ_meeting', 0, 'Meeting', 'Palaveri', 'Möte', 'Riunione', 'Besprechung'],
  ['typ_call', 0, 'Phone call', 'Puhelu', 'Telefonsamtal', 'Telefonata', 'Telefonat'],
  [
    'typ_visit',
    0,
    'Customer visit',
    'Asiakaskäynti',
    'Kundbesök',
    'Visita cliente',
    'Kundenbesuch',
  ],
  ['typ_internal', 0, 'Internal', 'Sisäinen', 'Internt', 'Interno', 'Intern'],
  ['typ_personal', 1, 'Personal', 'Henkilökohtainen', 'Personligt', 'Personale', 'Persönlich'],
  ['typ_task', 0, 'Task', 'Tehtävä', 'Uppgift', 'Attività', 'Aufgabe'],
  ['typ_other', 0, 'Other', 'Muu', 'Övrigt', 'Altro', 'Sonstiges'],
] as const;

const CUSTOMERS = [
  ['cus_fabrikam', 'Fabrikam Oy'],
  ['cus_northwind', 'Northwind Traders AB'],
  ['cus_tailspin', 'Tailspin Toys S.r.l.'],
] as const;

const PROJECTS = [
  ['prj_fabrikam_crm', 'cus_fabrikam', 'Fabrikam CRM rollout'],
  ['prj_northwind_portal', 'cus_northwind', 'Northwind customer portal'],
] as const;

const SALES_CASES = [
  ['sc_tailspin_licences', 'cus_tailspin', 'Tailspin licence renewal'],
  ['sc_northwind_upsell', 'cus_northwind', 'Northwind support upsell'],
] as const;

/** [id, customer, first, last, email, phone, title, marked for anna] */
const CONTACTS = [
  [
    'con_fabrikam_liisa',
    'cus_fabrikam',
    'Liisa',
    'Laine',
    'liisa.laine@fabrikam.example',
    '+358 40 123 4567',
    'CIO',
    true,
  ],
  [
    'con_fabrikam_mikko',
    'cus_fabrikam',
    'Mikko',
    'Mäki',
    'mikko.maki@fabrikam.example',
    null,
    'Project manager',
    true,
  ],
  [
    'con_northwind_sven',
    'cus_northwind',
    'Sven',
    'Svensson',
    'sven@northwind.example',
    '+46 70 123 45 67',
    'CEO',
    true,
  ],
  [
    'con_northwind_ingrid',
    'cus_northwind',
    'Ingrid',
    'Holm',
    null,
    '+46 70 765 43 21',
    'Buyer',
    false,
  ],
  [
    'con_tailspin_giulia',
    'cus_tailspin',
    'Giulia',
    'Rossi',
    'giulia.rossi@tailspin.example',
    null,
    'Purchasing',
    false,
  ],
] as const;

const RESOURCES = [
  ['res_room_aurora', 'Meeting room Aurora', 'room', 'aurora@contoso.example', 10],
  ['res_room_fjord', 'Meeting room Fjord', 'room', 'fjord@contoso.example', 4],
  ['res_projector', 'Portable projector', 'equipment', null, null],
] as const;

/** Who owns or works on which demo project: only they may share it (Carla is on none). */
const PROJECT_MEMBERS = [
  ['prj_fabrikam_crm', 'usr_anna', 'owner'],
  ['prj_fabrikam_crm', 'usr_ben', 'member'],
  ['prj_northwind_portal', 'usr_anna', 'member'],
  ['prj_northwind_portal', 'usr_ben', 'owner'],
] as const;

/** @param passwordHash the demo password's hash, made off the event loop by the caller. */
export function seedDemo(db: Db, now: number, passwordHash: string): void {
  db.transaction(() => {
    db.prepare('INSERT INTO companies (id, name, sync_enabled) VALUES (?, ?, 1)').run(
      COMPANY_ID,
      'Contoso',
    );
    const key = db.prepare(
      'INSERT INTO api_keys (key_hash, company_id, type, label) VALUES (?, ?, ?, ?)',
    );
    key.run(sha256(DEMO.apiKey), COMPANY_ID, 'outlook', 'Outlook add-in');
    key.run(sha256(DEMO.adminApiKey), COMPANY_ID, 'admin', 'Administration');
    key.run(sha256(DEMO.serviceApiKey), COMPANY_ID, 'service', 'Sync service');
    // One hash for all three: scrypt is deliberately slow and the password is the same.
    const password = passwordHash;
    for (const [id, email, name, language, zone, aliases] of USERS) {
      db.prepare(
        `INSERT INTO users (id, company_id, email, display_name, language, time_zone, password_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, COMPANY_ID, email, name, language, zone, password);
      for (const alias of aliases) {
        db.prepare('INSERT INTO user_aliases (email, user_id) VALUES (?, ?)').run(alias, id);
      }
    }
    TYPES.forEach(([id, personal, en, fi, sv, it, de], sort) => {
      db.prepare('INSERT INTO activity_types VALUES (?, ?, ?, ?, ?)').run(
        id,
        COMPANY_ID,
        JSON.stringify({ en, fi, sv, it, de }),
        personal,
        sort,
      );
    });
    for (const [id, name] of CUSTOMERS) {
      db.prepare('INSERT INTO customers VALUES (?, ?, ?)').run(id, COMPANY_ID, name);
    }
    for (const [id, customer, name] of PROJECTS) {
      db.prepare(
        'INSERT INTO projects (id, company_id, customer_id, name) VALUES (?, ?, ?, ?)',
      ).run(id, COMPANY_ID, customer, name);
    }
    for (const [project, user, role] of PROJECT_MEMBERS) {
      db.prepare('INSERT INTO project_members (project_id, user_id, role) VALUES (?, ?, ?)').run(
        project,
        user,
        role,
      );
    }
    for (const [id, customer, name] of SALES_CASES) {
      db.prepare('INSERT INTO sales_cases VALUES (?, ?, ?, ?)').run(id, COMPANY_ID, customer, name);
    }
    for (const [id, customer, first, last, email, phone, title, marked] of CONTACTS) {
      db.prepare(
        `INSERT INTO contacts (id, company_id, customer_id, first_name, last_name, email, phone,
         title, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
      ).run(id, COMPANY_ID, customer, first, last, email, phone, title, now);
      if (marked) db.prepare('INSERT INTO contact_sync_marks VALUES (?, ?)').run(id, 'usr_anna');
    }
    for (const [id, name, kind, email, capacity] of RESOURCES) {
      db.prepare('INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?)').run(
        id,
        COMPANY_ID,
        name,
        kind,
        email,
        capacity,
      );
    }
    seedDemoActivities(db, now);
  })();
}

/**
 * Empties every table but the migration record (POST /sandbox/reset). The change sequence
 * keeps counting and the compaction watermark moves to the old head, so a client holding a
 * cursor from before the reset gets 410 and resyncs instead of silently missing the wipe.
 */
export function resetDatabase(db: Db): void {
  const head = headSeq(db);
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name NOT IN ('schema_migrations', 'sqlite_sequence')`,
    )
    .all() as Array<{ name: string }>;
  db.transaction(() => {
    // Foreign keys are checked at commit, when every table is empty: table order is moot.
    db.pragma('defer_foreign_keys = ON');
    for (const { name } of tables) db.exec(`DELETE FROM "${name}"`);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(WATERMARK_KEY, String(head));
  })();
}
