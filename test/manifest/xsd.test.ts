/**
 * Each environment's manifest validates against Microsoft's MS-OWEMXML XSDs (test/manifest/xsd,
 * with xmllint-wasm); deliberately broken copies must fail, so the check itself can fail.
 */
import { validateManifestXsd } from '../../scripts/manifest/xsd';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadAddinConfig, renderManifest } = require('../../webpack.config.js') as {
  loadAddinConfig: (
    name: string,
    env: Record<string, string | undefined>,
  ) => { config: Record<string, unknown> };
  renderManifest: (name: string, config: Record<string, unknown>) => string;
};

const env = { MSAL_CLIENT_ID: 'b6c9e0f1-client', ADDIN_ORIGIN: 'https://addin.contoso.example' };
const manifests = ['sandbox', 'sideload', 'production'].map(
  (name) => [name, renderManifest(name, loadAddinConfig(name, env).config)] as const,
);

test.each(manifests)('the %s manifest validates against the XSDs', async (_name, xml) => {
  expect(await validateManifestXsd(xml)).toEqual([]);
});

test('a manifest with an element out of schema order fails', async () => {
  const [, xml] = manifests[0]!;
  const moved = xml
    .replace('<Version>0.1.0.0</Version>', '')
    .replace('<DefaultLocale>', '<Version>0.1.0.0</Version><DefaultLocale>');
  expect(moved).not.toBe(xml);
  const errors = await validateManifestXsd(moved);
  expect(errors.join('\n')).toMatch(/Version/);
});

test('a manifest with a permission the schema does not know, or pinning in v1.0, fails', async () => {
  const [, xml] = manifests[0]!;
  const unknown = xml.replace(
    '<Permissions>ReadItem</Permissions>',
    '<Permissions>All</Permissions>',
  );
  expect(unknown).not.toBe(xml);
  expect((await validateManifestXsd(unknown)).join('\n')).toMatch(/Permissions|All/);
  // The first (v1.0) ShowTaskpane gains SupportsPinning, a v1.1-only element.
  const pinned = xml.replace(
    '<SourceLocation resid="Taskpane.Url"/>',
    '<SourceLocation resid="Taskpane.Url"/><SupportsPinning>true</SupportsPinning>',
  );
  expect(pinned).not.toBe(xml);
  expect((await validateManifestXsd(pinned)).join('\n')).toMatch(/SupportsPinning/);
});

test('a launch event, which the manifest no longer has, is rejected by the schema', async () => {
  const [, xml] = manifests[0]!;
  const withLaunch = xml.replace(
    '<MobileFormFactor>',
    '<MobileFormFactor><ExtensionPoint xsi:type="LaunchEvent"/>',
  );
  expect(withLaunch).not.toBe(xml);
  expect(await validateManifestXsd(withLaunch)).not.toEqual([]);
});
