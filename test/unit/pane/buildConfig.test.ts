import { parseAddinConfig } from '../../../src/config/addinConfig';

import { runInNewContext } from 'node:vm';

// webpack.config.js is CommonJS; its loader is what the build writes into addin-config.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadAddinConfig, addinConfigScript } = require('../../../webpack.config.js') as {
  loadAddinConfig: (
    name: string,
    env: Record<string, string | undefined>,
  ) => { config: unknown; missing: string[] };
  addinConfigScript: (config: unknown) => string;
};

test('the sandbox config fills ports from the environment, with defaults, and validates', () => {
  const { config, missing } = loadAddinConfig('sandbox', { CRM_PORT: '4101' });
  expect(missing).toEqual([]);
  const parsed = parseAddinConfig(config);
  expect(parsed.defaultCrmUrl).toBe('http://localhost:4101');
  expect(parsed.graphBaseUrl).toBe('http://localhost:3002/v1.0');
  expect(parsed.officeJsUrl).toBe('/office-js/office.js');
  expect(parsed.hostFallback).toEqual({ kind: 'standalone', mailbox: 'anna@contoso.example' });
});

test('production loads office.js from Microsoft and needs MSAL_CLIENT_ID', () => {
  const withId = loadAddinConfig('production', {
    MSAL_CLIENT_ID: 'b6c9e0f1-client',
    ADDIN_ORIGIN: 'https://addin.contoso.example',
  });
  expect(parseAddinConfig(withId.config).officeJsUrl).toBe(
    'https://appsforoffice.microsoft.com/lib/1/hosted/office.js',
  );
  const without = loadAddinConfig('production', { ADDIN_ORIGIN: 'https://addin.contoso.example' });
  expect(without.missing).toEqual(['MSAL_CLIENT_ID']);
  expect(() => parseAddinConfig(without.config)).toThrow(/clientId/);
});

// Issue 11: the schema's default went unseen by the build, which read the raw JSON and built
// pages with <script src="">. The field is now required, and the build refuses an empty one.
test('a configuration without officeJsUrl or addinOrigin is rejected, naming the field', () => {
  const { config } = loadAddinConfig('sandbox', {});
  const { officeJsUrl: _omitted, ...withoutOfficeJs } = config as Record<string, unknown>;
  expect(() => parseAddinConfig(withoutOfficeJs)).toThrow(/officeJsUrl/);
  const { addinOrigin: _origin, ...withoutOrigin } = config as Record<string, unknown>;
  expect(() => parseAddinConfig(withoutOrigin)).toThrow(/addinOrigin/);
  expect(() =>
    parseAddinConfig({ ...(config as Record<string, unknown>), addinOrigin: 'http://x.example' }),
  ).toThrow(/addinOrigin/);
});

test('every environment names Office.js and an https origin', () => {
  for (const name of ['sandbox', 'sideload', 'production']) {
    const { config } = loadAddinConfig(name, {
      MSAL_CLIENT_ID: 'b6c9e0f1-client',
      ADDIN_ORIGIN: 'https://addin.contoso.example',
    });
    const parsed = parseAddinConfig(config);
    expect(parsed.officeJsUrl).not.toBe('');
    expect(new URL(parsed.addinOrigin).protocol).toBe('https:');
  }
});

test('addin-config.js sets __ADDIN_CONFIG__ to the configuration, with markup kept inert', () => {
  const { config } = loadAddinConfig('sandbox', { CRM_PORT: '4101', GRAPH_PORT: '4102' });
  const hostile = { ...(config as Record<string, unknown>), defaultCrmUrl: '</script><b>x' };
  const script = addinConfigScript(hostile);
  expect(script).not.toContain('</script>');
  const page: { self?: { __ADDIN_CONFIG__?: unknown } } = {};
  page.self = page as { __ADDIN_CONFIG__?: unknown };
  runInNewContext(script, page);
  expect(page.self.__ADDIN_CONFIG__).toEqual(hostile);
  expect(parseAddinConfig(page.self.__ADDIN_CONFIG__).graphBaseUrl).toBe(
    'http://localhost:4102/v1.0',
  );
});
