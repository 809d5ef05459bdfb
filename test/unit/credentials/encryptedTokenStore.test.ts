import {
  EncryptedTokenStore,
  wipeLocalCredentials,
} from '../../../src/crm/credentials/encryptedTokenStore';
import { openSecretsDb } from '../../../src/crm/credentials/secretsDb';
import { OfficeHost } from '../../../src/host/officeHost';
import { fakeOfficeContext } from '../host/fakeOffice';
import { countStoredRecords, findSecret } from './storageScan';

// Shaped like a real refresh token: long, opaque, URL-safe.
const TOKEN = 'rt.7f3c2a9e-5b1d-4e8a-9c0f-2d6b8a1e4f70.Zm9vYmFyYmF6cXV4';

let dbCount = 0;
const freshName = () => `crm-sync-secrets-test-${++dbCount}`;

afterEach(async () => {
  localStorage.clear();
  for (const info of await indexedDB.databases())
    if (info.name) await wipeLocalCredentials(info.name);
});

test('a saved token loads back, also through a new store instance (a reload)', async () => {
  const name = freshName();
  const store = new EncryptedTokenStore(name);
  expect(await store.load()).toBeNull();
  await store.save(TOKEN);
  expect(await store.load()).toBe(TOKEN);
  await store.save(`${TOKEN}-rotated`);
  store.close();
  const reopened = new EncryptedTokenStore(name);
  expect(await reopened.load()).toBe(`${TOKEN}-rotated`);
  reopened.close();
});

test('the key in IndexedDB is a non-extractable AES-GCM key', async () => {
  const name = freshName();
  const store = new EncryptedTokenStore(name);
  await store.save(TOKEN);
  store.close();
  const db = openSecretsDb(name);
  const [row] = await db.keys.toArray();
  db.close();
  expect(row?.key.extractable).toBe(false);
  expect(row?.key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
  await expect(crypto.subtle.exportKey('raw', row!.key)).rejects.toThrow();
  await expect(crypto.subtle.exportKey('jwk', row!.key)).rejects.toThrow();
});

test('each save uses a fresh IV', async () => {
  const name = freshName();
  const store = new EncryptedTokenStore(name);
  const db = openSecretsDb(name);
  await store.save(TOKEN);
  const first = await db.tokens.toArray();
  await store.save(TOKEN);
  const second = await db.tokens.toArray();
  db.close();
  store.close();
  expect(first[0]?.iv).toHaveLength(12);
  expect(Buffer.from(second[0]!.iv).equals(Buffer.from(first[0]!.iv))).toBe(false);
});

describe('plain-text scan', () => {
  test('finds nothing of the token in IndexedDB, localStorage or roaming settings', async () => {
    const office = fakeOfficeContext({});
    const host = new OfficeHost(office.context);
    await host.setSetting('rememberSignIn', true);
    localStorage.setItem('crm-sync:anna@contoso.example:language', '"fi"');
    const store = new EncryptedTokenStore(freshName());
    await store.save(TOKEN);
    expect(await countStoredRecords()).toBeGreaterThanOrEqual(2); // the key and the sealed token
    expect(await findSecret(TOKEN, { roamingSettings: office.settings })).toEqual([]);
    store.close();
  });

  // Proves the scanner can see: without this, an empty result above could mean a blind scan.
  test.each([
    ['utf8', (s: string) => new TextEncoder().encode(s)],
    ['utf16le', (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'))],
    ['base64', (s: string) => Buffer.from(s).toString('base64')],
  ] as const)('does find a %s copy hidden in IndexedDB', async (form, encode) => {
    const db = openSecretsDb(freshName());
    await db.tokens.put({
      id: 'leak',
      iv: new Uint8Array(12),
      ciphertext: new TextEncoder().encode('x').buffer,
      ...{ note: encode(TOKEN) },
    });
    db.close();
    expect(await findSecret(TOKEN)).toContainEqual(expect.objectContaining({ form }));
  });

  test('does find a copy in localStorage and in roaming settings', async () => {
    localStorage.setItem('oops', JSON.stringify({ refresh: TOKEN }));
    const findings = await findSecret(TOKEN, { roamingSettings: { nested: [TOKEN] } });
    expect(findings.map((f) => f.where)).toEqual(
      expect.arrayContaining(['localStorage:oops', 'roamingSettings']),
    );
  });
});

test('a tampered record loads as null and is wiped', async () => {
  const name = freshName();
  const store = new EncryptedTokenStore(name);
  await store.save(TOKEN);
  const db = openSecretsDb(name);
  const [row] = await db.tokens.toArray();
  const bytes = new Uint8Array(row!.ciphertext.slice(0));
  bytes[0] = bytes[0]! ^ 0x01;
  await db.tokens.put({ ...row!, ciphertext: bytes.buffer });
  expect(await store.load()).toBeNull();
  expect(await db.tokens.count()).toBe(0);
  db.close();
  store.close();
});

test('a record whose key is gone loads as null and is wiped', async () => {
  const name = freshName();
  const store = new EncryptedTokenStore(name);
  await store.save(TOKEN);
  const db = openSecretsDb(name);
  await db.keys.clear();
  expect(await store.load()).toBeNull();
  expect(await db.tokens.count()).toBe(0);
  db.close();
  store.close();
});

test('clear() removes both the sealed token and the key', async () => {
  const name = freshName();
  const store = new EncryptedTokenStore(name);
  await store.save(TOKEN);
  await store.clear();
  const db = openSecretsDb(name);
  expect(await db.tokens.count()).toBe(0);
  expect(await db.keys.count()).toBe(0);
  db.close();
  expect(await store.load()).toBeNull();
  // A new save after clear makes a new key rather than failing.
  await store.save(TOKEN);
  expect(await store.load()).toBe(TOKEN);
  store.close();
});

test('wipeLocalCredentials() deletes the whole database, even with a store open', async () => {
  const name = freshName();
  const store = new EncryptedTokenStore(name);
  await store.save(TOKEN);
  // Dexie warns that it closes the open connection so the delete can proceed: expected here.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  await wipeLocalCredentials(name);
  warn.mockRestore();
  const names = (await indexedDB.databases()).map((d) => d.name);
  expect(names).not.toContain(name);
  expect(await findSecret(TOKEN)).toEqual([]);
});

describe('sealed for one CRM address (issue 14)', () => {
  test('a value sealed for one CRM address never opens for another, and is dropped', async () => {
    const name = freshName();
    const mine = EncryptedTokenStore.forCrm('crm.contoso.example', undefined, name);
    await mine.save(TOKEN);
    // Roaming settings now name another CRM: the sealed token does not open for it.
    const other = EncryptedTokenStore.forCrm('https://crm.attacker.example', undefined, name);
    expect(await other.load()).toBeNull();
    // …and it is gone: nothing is left that a later address could be tried on.
    const db = openSecretsDb(name);
    expect(await db.tokens.count()).toBe(0);
    db.close();
    expect(await mine.load()).toBeNull();
  });

  test('the same address, however typed, opens it', async () => {
    const name = freshName();
    await EncryptedTokenStore.forCrm('crm.contoso.example/', undefined, name).save(TOKEN);
    const again = EncryptedTokenStore.forCrm(' https://crm.contoso.example ', undefined, name);
    expect(await again.load()).toBe(TOKEN);
  });

  test('a path under the same origin is another CRM address', async () => {
    const name = freshName();
    await EncryptedTokenStore.forCrm('https://crm.example/a', undefined, name).save(TOKEN);
    expect(await EncryptedTokenStore.forCrm('https://crm.example/b', undefined, name).load()).toBe(
      null,
    );
  });
});
