/**
 * Validates a manifest against Microsoft's MS-OWEMXML XSDs with xmllint (compiled to WebAssembly:
 * no system package needed). The schemas live in test/manifest/xsd/ (README there: source and the
 * one element added for what the published XSD predates).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';

const xsdDir = path.join(__dirname, '..', '..', 'test', 'manifest', 'xsd');
const entrySchema = 'OfficeAppManifestV1_1.xsd';

/** Every schema error as "line N: message"; empty when the manifest is valid. */
export async function validateManifestXsd(xml: string): Promise<string[]> {
  const schemas = readdirSync(xsdDir)
    .filter((name) => name.endsWith('.xsd'))
    .map((fileName) => ({ fileName, contents: readFileSync(path.join(xsdDir, fileName), 'utf8') }));
  const entry = schemas.find((s) => s.fileName === entrySchema);
  if (!entry) throw new Error(`${entrySchema} is missing from ${xsdDir}`);
  const result = await validateXML({
    xml: { fileName: 'manifest.xml', contents: xml },
    schema: entry,
    preload: schemas.filter((s) => s !== entry),
  });
  if (result.valid) return [];
  const errors = result.errors.map((e) =>
    e.loc ? `line ${e.loc.lineNumber}: ${e.message}` : e.rawMessage,
  );
  // xmllint reports a broken schema or document with no per-line error: never read that as valid.
  return errors.length > 0 ? errors : [result.rawOutput || 'xmllint rejected the manifest'];
}
