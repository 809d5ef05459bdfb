/**
 * The built manifest (dist/manifest.xml, written by `npm run build` from manifest.template.xml for
 * the sandbox environment, origin https://localhost:3000) checked offline: order table, ids,
 * resids, function names, URLs and icons against dist/. test/manifest/xsd.test.ts validates every
 * environment's manifest against Microsoft's XSDs.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { checkManifest } from '../../scripts/manifest/checks';
import { parseXml } from '../../scripts/manifest/xmlTree';

const root = path.join(__dirname, '..', '..');
const manifestPath = path.join(root, 'dist', 'manifest.xml');
const original = readFileSync(manifestPath, 'utf8');
const work = mkdtempSync(path.join(tmpdir(), 'manifest-'));

/** Checks a variant of the manifest against a given dist directory. */
function checkVariant(text: string, distDir = path.join(root, 'dist')) {
  const file = path.join(work, `variant-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, text);
  return checkManifest(file, distDir).problems;
}

test('manifest.xml passes every check against the build', () => {
  const report = checkManifest(manifestPath, path.join(root, 'dist'));
  expect(report.problems).toEqual([]);
  expect(report.counts.launchEvents).toBe(0);
});

test('it names the surfaces, pinning, mobile and least permission; no launch events or runtimes', () => {
  const text = original;
  for (const surface of ['MessageRead', 'AppointmentOrganizer', 'AppointmentAttendee']) {
    expect(text).toContain(`xsi:type="${surface}CommandSurface"`);
  }
  expect(text).toContain('<SupportsPinning>true</SupportsPinning>');
  expect(text).toContain('xsi:type="MobileLogEventAppointmentAttendee"');
  expect(text).not.toMatch(/LaunchEvent|<Runtimes>/);
  expect(text).toContain('<Permissions>ReadItem</Permissions>');
  expect(text).toMatch(/<bt:Sets DefaultMinVersion="1.5">/);
  // "Sign in" and "Preferences" open the pane on their view; "Sync now" is the one function.
  expect(text.match(/<FunctionName>[^<]+<\/FunctionName>/g)).toEqual(
    new Array(6).fill('<FunctionName>syncNow</FunctionName>'),
  );
  expect(text).toContain('DefaultValue="https://localhost:3000/taskpane.html?view=preferences"');
  expect(text).toContain('DefaultValue="https://localhost:3000/taskpane.html?view=connection"');
  expect(text).toContain('<AppDomain>https://localhost:3000</AppDomain>');
});

test('a malformed manifest is rejected with its position', () => {
  expect(() => parseXml(original.replace('</Version>', '</Versio>'))).toThrow(/line \d+/);
});

test('elements out of schema order are reported', () => {
  // <Version> moved after <ProviderName>: OfficeApp's sequence is Id, Version, ProviderName, …
  const moved = original
    .replace('<Version>0.1.0.0</Version>', '')
    .replace('<DefaultLocale>', '<Version>0.1.0.0</Version><DefaultLocale>');
  expect(checkVariant(moved).join('\n')).toMatch(/<Version> is out of schema order in MailApp/);
  const stray = original.replace('<SupportsPinning>', '<Pinning>true</Pinning><SupportsPinning>');
  expect(checkVariant(stray).join('\n')).toMatch(/<Pinning> is not allowed in ShowTaskpane/);
});

test('duplicate ids and dangling or mistyped resids are reported', () => {
  const duplicate = original.replace('id="ApptOrganizer.SyncNow"', 'id="ApptOrganizer.OpenPane"');
  expect(checkVariant(duplicate).join('\n')).toMatch(/id "ApptOrganizer.OpenPane" is not unique/);
  const dangling = original.replace(
    '<FunctionFile resid="Commands.Url"/>',
    '<FunctionFile resid="Nope.Url"/>',
  );
  expect(checkVariant(dangling).join('\n')).toMatch(/resid "Nope.Url" is defined 0 times/);
  const mistyped = original.replace('<Label resid="GroupLabel"/>', '<Label resid="Taskpane.Url"/>');
  expect(checkVariant(mistyped).join('\n')).toMatch(/is a url, not a short/);
});

test('function names must be registered by commands.js', () => {
  const unknown = original.replace(
    '<FunctionName>syncNow</FunctionName>',
    '<FunctionName>syncLater</FunctionName>',
  );
  expect(checkVariant(unknown).join('\n')).toMatch(/function "syncLater" is not registered/);
});

test('URLs the build does not serve and icons of the wrong size are reported', () => {
  const dist = path.join(work, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  for (const page of ['taskpane.html', 'commands.html']) writeFileSync(path.join(dist, page), '');
  for (const size of [16, 20, 24, 25, 32, 40, 48, 64, 80, 128]) {
    // icon-32.png is deliberately 31 px; icon-80.png is missing.
    const drawn = size === 32 ? 31 : size;
    if (size !== 80)
      writeFileSync(
        path.join(dist, `assets/icon-${size}.png`),
        PNG.sync.write(new PNG({ width: drawn, height: drawn })),
      );
  }
  const problems = checkVariant(original, dist).join('\n');
  expect(problems).toMatch(/icon-32.png is 31×31, not 32/);
  expect(problems).toMatch(/icon-80.png is not served/);
  const foreign = original.replace(
    'https://localhost:3000/commands.html',
    'https://example.com/commands.html',
  );
  expect(checkVariant(foreign).join('\n')).toMatch(/example.com\/commands.html is not under/);
});
