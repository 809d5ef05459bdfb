/** Issue 17: the service's configuration (zod, env over file) and its sealed secrets (AES-GCM). */
import { ConfigError, loadConfig } from '../../../src/service/config';
import { msUntilMidnightIn, outcomeJson } from '../../../src/service/mailboxRunner';
import {
  newSealingKey,
  seal,
  SealingError,
  sealingKeyFrom,
  unseal,
} from '../../../src/service/sealing';
import { SyncError } from '../../../src/sync/core/errors';

const SANDBOX_ENV = {
  SYNC_SERVICE_CRM_URL: 'http://127.0.0.1:3001',
  SYNC_SERVICE_GRAPH_URL: 'http://127.0.0.1:3002/v1.0',
  SYNC_SERVICE_GRAPH_AUTH: 'sandbox',
  SYNC_SERVICE_SANDBOX: '1',
};

describe('service configuration', () => {
  it('reads the environment with defaults: the safety poll is 5 minutes', () => {
    const config = loadConfig(SANDBOX_ENV);
    expect(config).toMatchObject({
      crmUrl: 'http://127.0.0.1:3001',
      pollSeconds: 300,
      signalWaitSeconds: 30,
      sandbox: true,
      port: 3004,
    });
  });

  it('takes a JSON file, the environment winning over it', () => {
    const file = JSON.stringify({ ...{ crmUrl: 'https://crm.example', pollSeconds: 120 } });
    const config = loadConfig(
      {
        SYNC_SERVICE_CONFIG: '/etc/sync/service.json',
        SYNC_SERVICE_GRAPH_URL: 'https://graph.microsoft.com/v1.0',
        SYNC_SERVICE_TENANT_ID: 't',
        SYNC_SERVICE_CLIENT_ID: 'c',
        SYNC_SERVICE_SECRETS_FILE: '/etc/sync/secrets.sealed',
        SYNC_SERVICE_POLL_SECONDS: '60',
        SYNC_SERVICE_NOTIFICATION_URL: 'https://sync.example.com/graph/notifications',
        SYNC_SERVICE_PANE_ORIGINS: 'https://addin.example.com, https://addin2.example.com',
      },
      (path) => {
        expect(path).toBe('/etc/sync/service.json');
        return file;
      },
    );
    expect(config).toMatchObject({
      crmUrl: 'https://crm.example',
      pollSeconds: 60,
      notificationUrl: 'https://sync.example.com/graph/notifications',
      paneOrigins: ['https://addin.example.com', 'https://addin2.example.com'],
    });
  });

  const PRODUCTION = {
    SYNC_SERVICE_CRM_URL: 'https://crm.example',
    SYNC_SERVICE_GRAPH_URL: 'https://graph.microsoft.com/v1.0',
    SYNC_SERVICE_TENANT_ID: 't',
    SYNC_SERVICE_CLIENT_ID: 'c',
    SYNC_SERVICE_SECRETS_FILE: '/etc/sync/secrets.sealed',
    SYNC_SERVICE_NOTIFICATION_URL: 'https://sync.example.com/graph/notifications',
  };

  it('needs the public notification URL outside the sandbox, https unless loopback', () => {
    const { SYNC_SERVICE_NOTIFICATION_URL: _url, ...without } = PRODUCTION;
    expect(() => loadConfig(without)).toThrow('notificationUrl is required outside the sandbox');
    expect(() =>
      loadConfig({ ...PRODUCTION, SYNC_SERVICE_NOTIFICATION_URL: 'http://sync.example.com/n' }),
    ).toThrow('notificationUrl must be https (http only on loopback)');
    expect(loadConfig(PRODUCTION).notificationUrl).toBe(
      'https://sync.example.com/graph/notifications',
    );
    // The sandbox derives it from its own listener.
    expect(loadConfig(SANDBOX_ENV).notificationUrl).toBeUndefined();
  });

  it('listens off loopback only with a key and certificate', () => {
    expect(() => loadConfig({ ...PRODUCTION, SYNC_SERVICE_HOST: '0.0.0.0' })).toThrow(
      'off loopback the listener needs tlsKeyFile and tlsCertFile',
    );
    expect(
      loadConfig({
        ...PRODUCTION,
        SYNC_SERVICE_HOST: '0.0.0.0',
        SYNC_SERVICE_TLS_KEY_FILE: '/etc/sync/key.pem',
        SYNC_SERVICE_TLS_CERT_FILE: '/etc/sync/cert.pem',
      }).host,
    ).toBe('0.0.0.0');
  });

  it('takes an https authority host only', () => {
    expect(() =>
      loadConfig({ ...PRODUCTION, SYNC_SERVICE_AUTHORITY_HOST: 'http://login.example' }),
    ).toThrow('authorityHost');
    expect(
      loadConfig({ ...PRODUCTION, SYNC_SERVICE_AUTHORITY_HOST: 'https://login.microsoftonline.us' })
        .authorityHost,
    ).toBe('https://login.microsoftonline.us');
  });

  it('names every wrong field with its variable, never a value', () => {
    let message = '';
    try {
      loadConfig({
        SYNC_SERVICE_CRM_URL: 'http://crm.example',
        SYNC_SERVICE_GRAPH_URL: 'not a url',
        SYNC_SERVICE_POLL_SECONDS: '5',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('crmUrl [SYNC_SERVICE_CRM_URL]: crmUrl must be https');
    expect(message).toContain('graphUrl [SYNC_SERVICE_GRAPH_URL]');
    expect(message).toContain('pollSeconds [SYNC_SERVICE_POLL_SECONDS]');
    expect(message).toContain('graphAuth app needs tenantId and clientId');
    expect(message).toContain('secretsFile is required outside the sandbox');
  });

  it('issue 18: runs on SQLite by default, on PostgreSQL when asked, its password sealed', () => {
    expect(loadConfig(SANDBOX_ENV).store).toBe('sqlite');
    const pg = (url: string, env: Record<string, string> = PRODUCTION) =>
      loadConfig({ ...env, SYNC_SERVICE_STORE: 'postgres', SYNC_SERVICE_POSTGRES_URL: url });
    expect(pg('postgres://sync@db.example:5432/sync?sslmode=verify-full')).toMatchObject({
      store: 'postgres',
      postgresUrl: 'postgres://sync@db.example:5432/sync?sslmode=verify-full',
    });
    expect(() => loadConfig({ ...PRODUCTION, SYNC_SERVICE_STORE: 'postgres' })).toThrow(
      'store postgres needs postgresUrl',
    );
    expect(() => pg('postgres://sync:hunter2@db.example/sync?sslmode=require')).toThrow(
      'postgresUrl must not hold a password: seal it as postgresPassword',
    );
    expect(() => pg('postgres://sync@db.example/sync')).toThrow('needs sslmode=require');
    expect(() => pg('mysql://sync@127.0.0.1/sync')).toThrow('postgresUrl must be a postgres://');
    // The sandbox (loopback, a public test password) may put it in the URL.
    expect(pg('postgres://sync_test:sync_test@127.0.0.1:5432/x', SANDBOX_ENV).store).toBe(
      'postgres',
    );
    const key = sealingKeyFrom(newSealingKey());
    const secrets = { crmServiceKey: 'k', postgresPassword: 'pg-password' };
    expect(unseal(seal(secrets, key), key)).toEqual(secrets);
  });

  it('keeps the sandbox to loopback', () => {
    expect(() =>
      loadConfig({ ...SANDBOX_ENV, SYNC_SERVICE_CRM_URL: 'https://crm.example' }),
    ).toThrow('sandbox: crmUrl must be loopback');
  });

  it('refuses a config file that is not a JSON object', () => {
    expect(() => loadConfig({ SYNC_SERVICE_CONFIG: 'x.json' }, () => '[1]')).toThrow(ConfigError);
  });
});

describe('sealed secrets', () => {
  const secrets = { crmServiceKey: 'crm-key-😀', graphClientSecret: 'graph-secret' };

  it('round-trips under its key, with a fresh IV each time and no plain text in the document', () => {
    const key = sealingKeyFrom(newSealingKey());
    const a = seal(secrets, key);
    const b = seal(secrets, key);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^sealed\.v1\./);
    expect(a).not.toContain('crm-key');
    expect(unseal(a, key)).toEqual(secrets);
  });

  it('does not open with another key, nor after any change, and says nothing of the content', () => {
    const key = sealingKeyFrom(newSealingKey());
    const sealed = seal(secrets, key);
    const other = sealingKeyFrom(newSealingKey());
    expect(() => unseal(sealed, other)).toThrow(SealingError);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    let message = '';
    try {
      unseal(parts.join('.'), key);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('The secrets file does not open with this sealing key');
    expect(() => unseal('plain text', key)).toThrow('not a sealed document');
  });

  it('wants a 32-byte base64 key', () => {
    expect(() => sealingKeyFrom(Buffer.alloc(16).toString('base64'))).toThrow(SealingError);
    expect(() => sealingKeyFrom('not base64!')).toThrow(SealingError);
    expect(sealingKeyFrom(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
  });
});

describe('service scheduling helpers', () => {
  it('counts to the next midnight in the user’s zone, across a DST change', () => {
    // 00:30 UTC on 2026-03-29 is 02:30 in Helsinki; at 01:00 UTC clocks go forward, so the next
    // midnight (21:00 UTC) is 20.5 hours away, not 21.5.
    const now = Date.parse('2026-03-29T00:30:00Z');
    expect(msUntilMidnightIn('Europe/Helsinki', now)).toBe(20.5 * 3_600_000);
    expect(msUntilMidnightIn('UTC', Date.parse('2026-03-29T23:59:59Z'))).toBe(1_000);
  });

  it('reduces a failed outcome to its code and kind (no message, no cause)', () => {
    const error = new SyncError('crmUnreachable', 'secret detail', { cause: new Error('x') });
    expect(outcomeJson({ state: 'failed', error })).toEqual({
      state: 'failed',
      error: { code: 'crmUnreachable', kind: 'offline' },
    });
  });
});
