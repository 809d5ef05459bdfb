import { type XmlElement, pathOf, walk } from './xmlTree';

/** Resource kinds of OfficeAppBasicTypesV1_0.xsd, by the container they sit in. */
export type ResourceKind = 'image' | 'url' | 'short' | 'long';
const containers: Readonly<Record<string, ResourceKind>> = {
  Images: 'image',
  Urls: 'url',
  ShortStrings: 'short',
  LongStrings: 'long',
};

export interface Resource {
  readonly id: string;
  readonly kind: ResourceKind;
  readonly element: XmlElement;
}

/**
 * A VersionOverrides layer resolves resids against its own <Resources> (MailAppVersionOverrides
 * schemas: ids are unique "within the form factor"), so ids are checked per layer: a nested 1.1
 * layer repeats the 1.0 layer's ids by design.
 */
export function scopeOf(element: XmlElement): XmlElement {
  let e = element.parent;
  while (e && e.local !== 'VersionOverrides' && e.parent) e = e.parent;
  return e ?? element;
}

/** Elements of one layer: below `scope`, not inside a nested VersionOverrides. */
export function* inScope(scope: XmlElement): Generator<XmlElement> {
  for (const child of scope.children) {
    if (child.local === 'VersionOverrides') continue;
    yield child;
    yield* inScope(child);
  }
}

export function resourcesOf(scope: XmlElement): Resource[] {
  const resources = scope.children.find((c) => c.local === 'Resources');
  if (!resources) return [];
  return resources.children.flatMap((container) => {
    const kind = containers[container.local];
    if (!kind) return [];
    return container.children.map((element) => ({ id: element.attrs.id ?? '', kind, element }));
  });
}

/** The kind of resource a resid on this element must name. */
export function expectedKind(element: XmlElement): ResourceKind | undefined {
  if (element.local === 'Image') return 'image';
  if (['SourceLocation', 'FunctionFile', 'Runtime', 'Override'].includes(element.local))
    return 'url';
  if (['Label', 'Title', 'Tooltip'].includes(element.local)) return 'short';
  if (element.local === 'Description') return 'long';
  return undefined;
}

/** Every resid resolves to exactly one resource of the right kind in its layer; all are used. */
export function checkReferences(root: XmlElement): string[] {
  const problems: string[] = [];
  const scopes = [...walk(root)].filter((e) => e.local === 'VersionOverrides');
  for (const scope of scopes) {
    const resources = resourcesOf(scope);
    const used = new Set<string>();
    for (const element of inScope(scope)) {
      const resid = element.attrs.resid;
      if (resid === undefined) continue;
      const matches = resources.filter((r) => r.id === resid);
      const kind = expectedKind(element);
      if (matches.length !== 1) {
        problems.push(`${pathOf(element)}: resid "${resid}" is defined ${matches.length} times`);
      } else if (kind && matches[0]?.kind !== kind) {
        problems.push(
          `${pathOf(element)}: resid "${resid}" is a ${matches[0]?.kind}, not a ${kind}`,
        );
      }
      used.add(resid);
    }
    for (const resource of resources) {
      if (!used.has(resource.id)) problems.push(`${pathOf(resource.element)}: never referenced`);
    }
  }
  return problems;
}

/** Every id attribute is unique in its layer; OfficeTab ids name Office's built-in tabs instead. */
export function checkIds(root: XmlElement): string[] {
  const problems: string[] = [];
  const seen = new Map<XmlElement, Set<string>>();
  for (const element of walk(root)) {
    const id = element.attrs.id;
    if (id === undefined || element.local === 'OfficeTab') continue;
    const scope = scopeOf(element);
    const ids = seen.get(scope) ?? new Set<string>();
    if (ids.has(id)) problems.push(`${pathOf(element)}: id "${id}" is not unique`);
    ids.add(id);
    seen.set(scope, ids);
  }
  return problems;
}
