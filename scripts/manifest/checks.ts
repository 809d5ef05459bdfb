import { existsSync, readFileSync } from 'node:fs';
import { createCommandHandlers } from '../../src/commands/handlers';
import { checkIcons, checkUrlsServed, iconUses, manifestUrls } from './files';
import { checkIds, checkReferences } from './references';
import { checkOrder } from './schemaOrder';
import { type XmlElement, parseXml, pathOf, walk } from './xmlTree';

/** The function names commands.js associates: every FunctionName in the manifest must be one. */
export const registeredFunctions: ReadonlySet<string> = new Set(
  Object.keys(
    createCommandHandlers({
      askOpenPaneToSync: () => Promise.resolve(false),
      notify: () => Promise.resolve(),
    }),
  ),
);

export function checkFunctionNames(root: XmlElement): string[] {
  const problems: string[] = [];
  for (const element of walk(root)) {
    const name = element.local === 'FunctionName' ? element.text : element.attrs.FunctionName;
    if (name !== undefined && !registeredFunctions.has(name)) {
      problems.push(`${pathOf(element)}: function "${name}" is not registered by commands.js`);
    }
  }
  return problems;
}

export interface ManifestReport {
  readonly problems: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Everything `npm run validate` and test/manifest check. `distDir` is the output of
 * `npm run build`; URL and icon checks are skipped (and reported) when it is missing.
 */
export function checkManifest(manifestPath: string, distDir: string): ManifestReport {
  const root = parseXml(readFileSync(manifestPath, 'utf8'));
  const elements = [...walk(root)];
  const built = existsSync(distDir);
  const problems = [
    ...elements.flatMap(checkOrder),
    ...checkIds(root),
    ...checkReferences(root),
    ...checkFunctionNames(root),
    ...(built ? [...checkUrlsServed(root, distDir), ...checkIcons(root, distDir)] : []),
    ...(built ? [] : [`${distDir} does not exist: run \`npm run build\` to check URLs and icons`]),
  ];
  return {
    problems,
    counts: {
      elements: elements.length,
      ids: elements.filter((e) => e.attrs.id !== undefined).length,
      resids: elements.filter((e) => e.attrs.resid !== undefined).length,
      urls: manifestUrls(root).length,
      icons: iconUses(root).length,
      launchEvents: elements.filter((e) => e.local === 'LaunchEvent').length,
    },
  };
}
