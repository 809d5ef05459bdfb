import { normaliseCrmAddress } from '../../../src/crm/address';
import { SyncError } from '../../../src/sync/core/errors';

function codeOf(input: string): string {
  try {
    normaliseCrmAddress(input);
    return 'ok';
  } catch (err) {
    return err instanceof SyncError ? err.code : 'other';
  }
}

describe('normaliseCrmAddress (SPEC C1)', () => {
  it.each([
    ['crm.example.com', 'https://crm.example.com'],
    ['  crm.example.com/  ', 'https://crm.example.com'],
    ['https://crm.example.com/', 'https://crm.example.com'],
    ['HTTPS://CRM.Example.com:8443/tenant/', 'https://crm.example.com:8443/tenant'],
    ['http://localhost:4010', 'http://localhost:4010'],
    ['http://127.0.0.1:4010/', 'http://127.0.0.1:4010'],
    ['http://127.5.6.7', 'http://127.5.6.7'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
    ['localhost:4010', 'https://localhost:4010'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseCrmAddress(input)).toBe(expected);
  });

  it.each([
    ['http://crm.example.com', 'insecureAddress'],
    ['http://128.0.0.1', 'insecureAddress'],
    ['http://localhost.evil.example', 'insecureAddress'],
    ['http://10.0.0.5', 'insecureAddress'],
    ['', 'invalidAddress'],
    ['ftp://crm.example.com', 'invalidAddress'],
    ['https://user:pw@crm.example.com', 'invalidAddress'],
    ['https://crm.example.com/?x=1', 'invalidAddress'],
    ['https://exa mple.com', 'invalidAddress'],
  ])('%s is refused with %s', (input, code) => {
    expect(codeOf(input)).toBe(code);
  });
});
