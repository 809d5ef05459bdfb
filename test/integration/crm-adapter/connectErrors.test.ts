/**
 * SPEC C2, C5, C6, C7, E3: every way connecting can fail has its own ErrorCode, against the
 * reference CRM (and, for TLS, a local https server with a self-signed certificate).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrmDirectory } from '../../../src/crm/crmDirectory';
import { CrmSession } from '../../../src/crm/session';
import { SyncError } from '../../../src/sync/core/errors';
import { type Crm, DEMO, MemoryTokenStore, startCrm } from './harness';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof SyncError ? err.code : `not a SyncError: ${String(err)}`;
  }
}

describe('connecting to the CRM: one ErrorCode per failure (SPEC C2)', () => {
  let crm: Crm;
  beforeAll(async () => {
    crm = await startCrm();
  });
  afterAll(() => crm.close());

  const signIn = (over: Partial<{ address: string; apiKey: string; password: string }> = {}) =>
    CrmSession.signIn({
      address: crm.url,
      apiKey: DEMO.apiKey,
      username: DEMO.users[0],
      password: DEMO.password,
      remember: false,
      tokenStore: new MemoryTokenStore(),
      ...over,
    });

  it('wrong API key → wrongApiKey', async () => {
    expect(await codeOf(signIn({ apiKey: 'not-a-key' }))).toBe('wrongApiKey');
  });

  it('an admin key where an Outlook key is needed → wrongApiKeyType', async () => {
    expect(await codeOf(signIn({ apiKey: DEMO.adminApiKey }))).toBe('wrongApiKeyType');
  });

  it('wrong password → wrongCredentials, and nothing is remembered', async () => {
    const store = new MemoryTokenStore();
    const p = CrmSession.signIn({
      address: crm.url,
      apiKey: DEMO.apiKey,
      username: DEMO.users[0],
      password: 'wrong',
      remember: true,
      tokenStore: store,
    });
    expect(await codeOf(p)).toBe('wrongCredentials');
    expect(store.saves).toBe(0);
  });

  it('nothing listening at the address → crmUnreachable', async () => {
    const gone = await startCrm();
    await gone.close();
    expect(await codeOf(signIn({ address: gone.url }))).toBe('crmUnreachable');
  });

  it('an address that is not a CRM Sync API → serviceNotFound (SPEC E3)', async () => {
    expect(await codeOf(signIn({ address: `${crm.url}/nothing-here` }))).toBe('serviceNotFound');
  });

  it('http to a remote host → insecureAddress, before any request', async () => {
    expect(await codeOf(signIn({ address: 'http://crm.example.com' }))).toBe('insecureAddress');
  });

  it('a self-signed certificate → tlsFailure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await codeOf(signIn({ address: `localhost:${port}` }))).toBe('tlsFailure');
    } finally {
      server.close();
    }
  });

  describe('pairing (SPEC C5–C7)', () => {
    it('a mailbox that is not the user’s → mailboxMismatch naming both addresses (C6)', async () => {
      const dir = new CrmDirectory(await crm.signIn(DEMO.users[0]));
      const err = await dir.pair('someone.else@fabrikam.example').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SyncError);
      expect(err).toMatchObject({
        code: 'mailboxMismatch',
        params: { mailbox: 'someone.else@fabrikam.example', crmEmail: DEMO.users[0] },
      });
    });

    it('pairs, reads and unpairs; a mailbox paired by someone else → mailboxPairedElsewhere (C5)', async () => {
      const anna = new CrmDirectory(await crm.signIn(DEMO.users[0]));
      const ben = new CrmDirectory(await crm.signIn(DEMO.users[1]));
      expect((await anna.pair('Anna@Contoso.example')).mailbox).toBe(DEMO.users[0]);
      expect((await anna.pairing())?.mailbox).toBe(DEMO.users[0]);
      expect(await codeOf(ben.pair(DEMO.users[0]))).toBe('mailboxPairedElsewhere');
      await anna.unpair();
      expect(await anna.pairing()).toBeNull();
    });

    it('the company switched sync off → syncDisabledForCompany (C7)', async () => {
      const session = await crm.signIn(DEMO.users[2]);
      const setSync = (syncEnabled: boolean) =>
        fetch(`${crm.url}/api/v1/company`, {
          method: 'PATCH',
          headers: { 'X-Api-Key': DEMO.adminApiKey, 'Content-Type': 'application/json' },
          body: JSON.stringify({ syncEnabled }),
        });
      await setSync(false);
      try {
        const dir = new CrmDirectory(session);
        expect((await dir.company()).syncEnabled).toBe(false);
        expect(await codeOf(dir.pair(DEMO.users[2]))).toBe('syncDisabledForCompany');
      } finally {
        await setSync(true);
      }
    });
  });
});
