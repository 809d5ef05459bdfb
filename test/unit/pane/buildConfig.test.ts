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
  const withId = loadAddinConfig('production', { MSAL_CLIENT_ID: 'b6c9e0f1-client' });
  expect(parseAddinConfig(withId.config).officeJsUrl).toBe(
    'https://appsforoffice.microsoft.com/lib/1/hosted/office.js',
  );
  const without = loadAddinConfig('production', {});
  expect(without.missing).toEqual(['MSAL_CLIENT_ID']);
  expect(() => parseAddinConfig(without.config)).toThrow(/clientId/);
});

test('officeJsUrl defaults to the CDN for configurations written before it existed', () => {
  const { config } = loadAddinConfig('sandbox', {});
  const { officeJsUrl: _omitted, ...older } = config as Record<string, unknown>;
  expect(parseAddinConfig(older).officeJsUrl).toBe(
    'https://appsforoffice.microsoft.com/lib/1/hosted/office.js',
  );
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
