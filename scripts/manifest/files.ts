import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { resourcesOf, scopeOf } from './references';
import { type XmlElement, pathOf, walk } from './xmlTree';

/** The origin `npm run sideload` serves; every URL in the manifest must live under it. */
export const devOrigin = 'https://localhost:3000';

/** Attributes that hold URLs: DefaultValue and locale Override values of URL-typed elements. */
const urlElements = new Set(['Url', 'Image', 'IconUrl', 'HighResolutionIconUrl', 'SupportUrl']);

export interface ManifestUrl {
  readonly url: string;
  readonly element: XmlElement;
}

export function manifestUrls(root: XmlElement): ManifestUrl[] {
  const urls: ManifestUrl[] = [];
  for (const element of walk(root)) {
    const isUrlSetting =
      urlElements.has(element.local) ||
      (element.local === 'SourceLocation' && element.attrs.DefaultValue !== undefined);
    if (isUrlSetting && element.attrs.DefaultValue) {
      urls.push({ url: element.attrs.DefaultValue, element });
    }
    const parent = element.parent;
    if (
      element.local === 'Override' &&
      element.attrs.Value &&
      parent &&
      urlElements.has(parent.local)
    ) {
      urls.push({ url: element.attrs.Value, element });
    }
  }
  return urls;
}

/** https://localhost:3000/x/y.png → <dist>/x/y.png, or undefined for a foreign URL. */
export function distPath(url: string, distDir: string): string | undefined {
  if (!url.startsWith(`${devOrigin}/`)) return undefined;
  const pathname = new URL(url).pathname;
  return path.join(distDir, decodeURIComponent(pathname));
}

/** Every URL points at the dev origin and at a file the build produced. */
export function checkUrlsServed(root: XmlElement, distDir: string): string[] {
  return manifestUrls(root).flatMap(({ url, element }) => {
    const file = distPath(url, distDir);
    if (!file) return [`${pathOf(element)}: ${url} is not under ${devOrigin}`];
    return existsSync(file) ? [] : [`${pathOf(element)}: ${url} is not served (no ${file})`];
  });
}

export interface IconUse {
  readonly size: number;
  readonly url: string;
  readonly where: string;
}

/** Icon references with their declared size: ribbon <bt:Image size>, IconUrl 64, high-res 128. */
export function iconUses(root: XmlElement): IconUse[] {
  const uses: IconUse[] = [];
  for (const element of walk(root)) {
    if (element.local === 'Image' && element.parent?.local === 'Icon') {
      const resource = resourcesOf(scopeOf(element)).find((r) => r.id === element.attrs.resid);
      const url = resource?.element.attrs.DefaultValue;
      if (url) uses.push({ size: Number(element.attrs.size), url, where: pathOf(element) });
    }
    const fixed = { IconUrl: 64, HighResolutionIconUrl: 128 }[element.local];
    if (fixed && element.attrs.DefaultValue) {
      uses.push({ size: fixed, url: element.attrs.DefaultValue, where: pathOf(element) });
    }
  }
  return uses;
}

/** Every icon exists and is a PNG of exactly its declared size. */
export function checkIcons(root: XmlElement, distDir: string): string[] {
  const problems: string[] = [];
  for (const use of iconUses(root)) {
    const file = distPath(use.url, distDir);
    if (!file || !existsSync(file)) continue; // reported by checkUrlsServed
    const png = PNG.sync.read(readFileSync(file));
    if (png.width !== use.size || png.height !== use.size) {
      problems.push(`${use.where}: ${use.url} is ${png.width}×${png.height}, not ${use.size}`);
    }
  }
  return problems;
}
