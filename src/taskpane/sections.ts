/** The pane's sections; later issues fill each one (SPEC C, W/T/P, E, O). */
export const sectionIds = ['connection', 'preferences', 'status', 'item'] as const;
export type SectionId = (typeof sectionIds)[number];

export function isSectionId(value: unknown): value is SectionId {
  return typeof value === 'string' && (sectionIds as readonly string[]).includes(value);
}

/**
 * How the page was opened: the full pane with its tabs, or one section on its own — the ribbon's
 * "Preferences" and "Sign in" buttons open the pane as `taskpane.html?view=<section>`.
 */
export type PaneView =
  { readonly kind: 'pane' } | { readonly kind: 'single'; readonly section: SectionId };

export function parseView(search: string): PaneView {
  const view = new URLSearchParams(search).get('view');
  return isSectionId(view) ? { kind: 'single', section: view } : { kind: 'pane' };
}
