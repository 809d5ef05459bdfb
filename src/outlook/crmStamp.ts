import type { GraphEvent } from './graphSchemas';

/**
 * The CRM id rides on the event as a single-value extended property (a named MAPI string
 * property in our own GUID namespace). REQUIREMENTS.md: extended properties are filterable
 * (`findByCrmId`), open extensions are not. The sandbox seed stamps its demo events with the same
 * id, so the demo data links.
 */
export const CRM_ID_PROPERTY = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmActivityId';

/** SPEC K2: the CRM contact id on a contact of our folder, in the same namespace. */
export const CRM_CONTACT_ID_PROPERTY =
  'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmContactId';

/** OData string literal: a quote is doubled (OData ABNF `SQUOTE-in-string`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `$expand` that returns only our property (Graph: delta cannot $expand, so read it apart). */
export const expandStamp = (property = CRM_ID_PROPERTY): string =>
  `singleValueExtendedProperties($filter=id eq ${odataString(property)})`;
export const EXPAND_STAMP = expandStamp();

/** The `$filter` of events stamped with `crmId`. */
export function stampFilter(crmId: string, property = CRM_ID_PROPERTY): string {
  return (
    `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(property)}` +
    ` and ep/value eq ${odataString(crmId)})`
  );
}

/** What goes into a create or PATCH body to set (or, with null, clear) the stamp. */
export function stampProperty(
  crmId: string | null,
  property = CRM_ID_PROPERTY,
): { id: string; value: string }[] {
  // Graph cannot delete a single extended property by PATCH; an empty value means "no stamp".
  return [{ id: property, value: crmId ?? '' }];
}

export function readStamp(
  item: Pick<GraphEvent, 'singleValueExtendedProperties'>,
  property = CRM_ID_PROPERTY,
): string | null {
  const prop = item.singleValueExtendedProperties?.find(
    (p) => p.id.toLowerCase() === property.toLowerCase(),
  );
  return prop?.value ? prop.value : null;
}
