/**
 * The manifest's content model as an order table: a quick check with readable messages, kept
 * beside the full XSD validation (scripts/manifest/xsd.ts, Microsoft's MS-OWEMXML schemas in
 * test/manifest/xsd/). The sequences are transcribed from those XSDs; the Runtimes and LaunchEvent
 * entries stay for manifests that still use them (this one no longer does).
 */
import { type XmlElement, pathOf, xsiType } from './xmlTree';

/** [local name, minOccurs, maxOccurs] in schema sequence order. */
type Particle = readonly [name: string, min: number, max: number];
const many = Number.POSITIVE_INFINITY;

const localeAware: Particle[] = [['Override', 0, many]];
const requirements: Particle[] = [
  ['Sets', 0, 1],
  ['Methods', 0, 1],
];
const uiControl: Particle[] = [
  ['Label', 1, 1],
  ['Tooltip', 0, 1],
  ['Supertip', 1, 1],
];

const models: Readonly<Record<string, readonly Particle[]>> = {
  // OfficeApp (abstract) then MailApp's extension, OfficeAppManifestV1_1.xsd.
  MailApp: [
    ['Id', 1, 1],
    ['AlternateId', 0, 1],
    ['Version', 1, 1],
    ['ProviderName', 1, 1],
    ['DefaultLocale', 1, 1],
    ['DisplayName', 1, 1],
    ['Description', 1, 1],
    ['IconUrl', 0, 1],
    ['HighResolutionIconUrl', 0, 1],
    ['SupportUrl', 0, 1],
    ['AppDomains', 0, 1],
    ['Hosts', 0, 1],
    ['Requirements', 1, 1],
    ['FormSettings', 1, 1],
    ['Permissions', 0, 1],
    ['Rule', 1, 1],
    ['DisableEntityHighlighting', 0, 1],
    ['VersionOverrides', 0, 1],
  ],
  LocaleAwareSetting: localeAware,
  AppDomains: [['AppDomain', 1, many]],
  Hosts: [['Host', 1, many]],
  BaseHost: [],
  Requirements: requirements,
  Sets: [['Set', 1, many]],
  FormSettings: [['Form', 1, many]],
  ItemRead: [
    ['DesktopSettings', 1, 1],
    ['TabletSettings', 0, 1],
    ['PhoneSettings', 0, 1],
  ],
  ItemEdit: [
    ['DesktopSettings', 1, 1],
    ['TabletSettings', 0, 1],
    ['PhoneSettings', 0, 1],
  ],
  ItemReadDesktopSettings: [
    ['SourceLocation', 1, 1],
    ['RequestedHeight', 1, 1],
  ],
  ItemEditDesktopSettings: [['SourceLocation', 1, 1]],
  RuleCollection: [['Rule', 1, many]],
  // MailAppVersionOverridesV1_0.xsd / V1_1.xsd.
  VersionOverridesV1_0: [
    ['Description', 0, 1],
    ['Requirements', 0, 1],
    ['Hosts', 0, 1],
    ['Resources', 0, 1],
    ['VersionOverrides', 0, 1],
  ],
  VersionOverridesV1_1: [
    ['Description', 0, 1],
    ['Requirements', 0, 1],
    ['Hosts', 0, 1],
    ['Resources', 0, 1],
    ['WebApplicationInfo', 0, 1],
    ['EquivalentAddins', 0, 1],
  ],
  // Runtimes precede the form factors (manifest reference: Runtimes, "Contained in Host").
  MailHost: [
    ['Runtimes', 0, 1],
    ['DesktopFormFactor', 0, 1],
    ['MobileFormFactor', 0, 1],
  ],
  Runtimes: [['Runtime', 1, many]],
  Runtime: [['Override', 0, many]],
  FormFactor: [
    ['FunctionFile', 0, 1],
    ['ExtensionPoint', 1, many],
  ],
  CommandSurface: [
    ['OfficeTab', 0, many],
    ['CustomTab', 0, many],
  ],
  LaunchEventPoint: [
    ['LaunchEvents', 1, 1],
    ['SourceLocation', 1, 1],
  ],
  LaunchEvents: [['LaunchEvent', 1, many]],
  Tab: [['Group', 1, many]],
  Group: [
    ['Label', 1, 1],
    ['Tooltip', 0, 1],
    ['Control', 1, many],
  ],
  Button: [...uiControl, ['Icon', 1, 1], ['Action', 1, 1]],
  Supertip: [
    ['Title', 1, 1],
    ['Description', 1, 1],
  ],
  IconList: [['Image', 1, many]],
  ShowTaskpane: [
    ['SourceLocation', 1, 1],
    ['SupportsPinning', 0, 1],
  ],
  ExecuteFunction: [['FunctionName', 1, 1]],
  // OfficeAppBasicTypesV1_0.xsd.
  Resources: [
    ['Images', 0, 1],
    ['Urls', 0, 1],
    ['ShortStrings', 0, 1],
    ['LongStrings', 0, 1],
  ],
  Images: [['Image', 1, many]],
  Urls: [['Url', 1, many]],
  ShortStrings: [['String', 1, many]],
  LongStrings: [['String', 1, many]],
  String: localeAware,
};

/** Which content model applies to an element, from its name, xsi:type and parent. */
export function modelOf(element: XmlElement): string | undefined {
  const type = xsiType(element);
  const parent = element.parent?.local;
  switch (element.local) {
    case 'OfficeApp':
      return type === 'MailApp' ? 'MailApp' : undefined;
    case 'DisplayName':
    case 'IconUrl':
    case 'HighResolutionIconUrl':
    case 'SupportUrl':
      return 'LocaleAwareSetting';
    case 'Description':
      return parent === 'OfficeApp' ? 'LocaleAwareSetting' : undefined;
    case 'Host':
      return type === 'MailHost' ? 'MailHost' : 'BaseHost';
    case 'Form':
      return type;
    case 'DesktopSettings':
      return `${xsiType(element.parent as XmlElement) ?? ''}DesktopSettings`;
    case 'Rule':
      return type === 'RuleCollection' ? 'RuleCollection' : undefined;
    case 'VersionOverrides':
      return type;
    case 'DesktopFormFactor':
    case 'MobileFormFactor':
      return 'FormFactor';
    case 'ExtensionPoint':
      if (type === 'LaunchEvent') return 'LaunchEventPoint';
      return type?.endsWith('CommandSurface') ? 'CommandSurface' : undefined;
    case 'OfficeTab':
    case 'CustomTab':
      return 'Tab';
    case 'Control':
      return type === 'Button' ? 'Button' : undefined;
    case 'Icon':
      return 'IconList';
    case 'Action':
      return type;
    default:
      return element.local in models ? element.local : undefined;
  }
}

/** Checks one element's children against its model: known names, order, occurrence counts. */
export function checkOrder(element: XmlElement): string[] {
  const key = modelOf(element);
  const model = key ? models[key] : undefined;
  if (!model) return [];
  const problems: string[] = [];
  const counts = new Array<number>(model.length).fill(0);
  let position = 0;
  for (const child of element.children) {
    const index = model.findIndex(([name]) => name === child.local);
    if (index < 0) {
      problems.push(`${pathOf(child)}: <${child.name}> is not allowed in ${key}`);
    } else if (index < position) {
      problems.push(`${pathOf(child)}: <${child.name}> is out of schema order in ${key}`);
    } else {
      position = index;
      counts[index] = (counts[index] ?? 0) + 1;
    }
  }
  model.forEach(([name, min, max], i) => {
    const count = counts[i] ?? 0;
    if (count < min) problems.push(`${pathOf(element)}: needs <${name}> (${key})`);
    if (count > max)
      problems.push(`${pathOf(element)}: <${name}> may appear at most ${max} time(s)`);
  });
  return problems;
}
