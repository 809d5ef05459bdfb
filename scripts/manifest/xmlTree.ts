import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An element with its children in document order: what the order and reference checks walk. */
export interface XmlElement {
  /** The qualified name as written, e.g. "bt:Image". */
  readonly name: string;
  /** The name without its prefix, e.g. "Image". */
  readonly local: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
  readonly parent?: XmlElement;
}

type Ordered = Record<string, unknown>;

/** Throws with the parser's line and column when the text is not well-formed XML. */
export function parseXml(text: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new Error(`Not well-formed XML (line ${line}, column ${col}): ${msg}`);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
    commentPropName: '#comment',
  });
  const nodes = parser.parse(text) as Ordered[];
  const root = nodes.map((node) => toElement(node)).find((e): e is XmlElement => e !== null);
  if (!root) throw new Error('The document has no root element');
  return root;
}

function toElement(node: Ordered, parent?: XmlElement): XmlElement | null {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (!name || name.startsWith('?') || name === '#comment' || name === '#text') return null;
  const attrs = (node[':@'] ?? {}) as Record<string, string>;
  const rawChildren = (node[name] ?? []) as Ordered[];
  const element: { -readonly [K in keyof XmlElement]: XmlElement[K] } = {
    name,
    local: name.includes(':') ? name.slice(name.indexOf(':') + 1) : name,
    attrs,
    children: [],
    text: rawChildren
      .map((child) => child['#text'])
      .filter((t) => t !== undefined)
      .join(''),
    parent,
  };
  element.children = rawChildren
    .map((child) => toElement(child, element))
    .filter((e): e is XmlElement => e !== null);
  return element;
}

/** Every element below (and including) `root`, depth first in document order. */
export function* walk(root: XmlElement): Generator<XmlElement> {
  yield root;
  for (const child of root.children) yield* walk(child);
}

/** The value of xsi:type without a prefix, or undefined. */
export function xsiType(element: XmlElement): string | undefined {
  return element.attrs['xsi:type'];
}

/** The path from the root, for messages: OfficeApp/VersionOverrides/Hosts/Host. */
export function pathOf(element: XmlElement): string {
  const parts: string[] = [];
  for (let e: XmlElement | undefined = element; e; e = e.parent) {
    const id = e.attrs.id ? `[@id=${e.attrs.id}]` : '';
    parts.unshift(`${e.local}${id}`);
  }
  return parts.join('/');
}
