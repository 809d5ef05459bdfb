import type { GraphEvent } from './graphSchemas';

/**
 * The CRM id rides on the event as a single-value extended property (a named MAPI string
 * property in the product's own GUID namespace). REQUIREMENTS.md: extended properties are filterable
 * (`findByCrmId`), open extensions are not.
 *
 * Issue 12, item 7: the namespace used to be 66f5a359-…, the GUID of Microsoft's own example
 * (extended-properties-overview.md), which any other add-in copying the example shares. New
 * stamps use a GUID of the product's own; the old property is still read (and searched), so the
 * links of existing installations — and the sandbox's demo events — survive.
 */
export const CRM_ID_PROPERTY = 'String {69621f7a-e395-434d-ba77-c056b27f752e} Name CrmActivityId';
export const LEGACY_CRM_ID_PROPERTY =
  'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmActivityId';

/**
 * SPEC K2: the CRM contact id on a contact of our folder, in the same namespace as the event
 * stamp — moved to the product's GUID like it (issue 12, item 7), the old one still read and
 * searched so contacts linked before keep their links.
 */
export const CRM_CONTACT_ID_PROPERTY =
  'String {69621f7a-e395-434d-ba77-c056b27f752e} Name CrmContactId';
export const LEGACY_CRM_CONTACT_ID_PROPERTY =
  'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmContactId';

/** Each product stamp and the legacy property read in its place when it is absent. */
const LEGACY_OF: ReadonlyMap<string, string> = new Map([
  [CRM_ID_PROPERTY, LEGACY_CRM_ID_PROPERTY],
  [CRM_CONTACT_ID_PROPERTY, LEGACY_CRM_CONTACT_ID_PROPERTY],
]);

/** The properties a stamp is read from and searched under: the product's, then the legacy one. */
export function stampProperties(property = CRM_ID_PROPERTY): readonly string[] {
  const legacy = LEGACY_OF.get(property);
  return legacy ? [property, legacy] : [property];
}

/** OData string literal: a quote is doubled (OData ABNF `SQUOTE-in-string`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * `$expand` that returns only our property and its legacy one
 * (extended-properties-overview.md; Graph: delta cannot $expand, so read it apart).
 */
export const expandStamp = (property = CRM_ID_PROPERTY): string =>
  'singleValueExtendedProperties($filter=' +
  stampProperties(property)
    .map((p) => `id eq ${odataString(p)}`)
    .join(' or ') +
  ')';
/** The event stamp: the product's property and the legacy one (extended-properties-overview.md). */
export const EXPAND_STAMP = expandStamp(CRM_ID_PROPERTY);

/** The `$filter` of events stamped with `crmId`. */
export function stampFilter(crmId: string, property = CRM_ID_PROPERTY): string {
  return (
    `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(property)}` +
    ` and ep/value eq ${odataString(crmId)})`
  );
}

/**
 * The `$filter` of events that carry `property` with a value (an unstamped event has it empty
 * or not at all). singlevaluelegacyextendedproperty-get.md: on event collections a string
 * property's value may be filtered with `ne`, the filter applies to every event of the mailbox.
 */
export function stampedFilter(property = CRM_ID_PROPERTY): string {
  return (
    `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(property)}` +
    ` and ep/value ne '')`
  );
}

/** What goes into a create or PATCH body to set (or, with null, clear) the stamp. */
export function stampProperty(
  crmId: string | null,
  property = CRM_ID_PROPERTY,
): { id: string; value: string }[] {
  // Graph cannot delete a single extended property by PATCH; an empty value means "no stamp".
  // Unstamping clears the legacy stamp too, or it would be read in its place.
  if (crmId === null) return stampProperties(property).map((id) => ({ id, value: '' }));
  return [{ id: property, value: crmId }];
}

export function readStamp(
  item: Pick<GraphEvent, 'singleValueExtendedProperties'>,
  property = CRM_ID_PROPERTY,
): string | null {
  const read = (name: string) =>
    item.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === name.toLowerCase())
      ?.value || null;
  for (const name of stampProperties(property)) {
    const value = read(name);
    if (value) return value;
  }
  return null;
}
