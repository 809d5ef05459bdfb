import type { Page } from 'playwright-core';

export interface FocusReport {
  readonly role: string | null;
  readonly text: string;
  /** A focus indicator is drawn: an outline or box-shadow, or Fluent's ::after ring/underline. */
  readonly indicated: boolean;
}

/**
 * Describes the focused element and whether a visible focus indicator is drawn for it or its
 * wrapper (Fluent draws a Dropdown's focus underline on the wrapper's ::after).
 */
export function focusReport(page: Page): Promise<FocusReport> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { role: null, text: '', indicated: false };
    const drawn = (node: Element): boolean => {
      const own = getComputedStyle(node);
      if (own.outlineStyle !== 'none' && parseFloat(own.outlineWidth) > 0) return true;
      if (own.boxShadow !== 'none') return true;
      const after = getComputedStyle(node, '::after');
      if (after.content === 'none' || after.visibility === 'hidden') return false;
      // A collapsed underline (scaleX(0)) is the unfocused state of Fluent's inputs.
      if (after.transform.startsWith('matrix(0,')) return false;
      const widths = [after.borderTopWidth, after.borderBottomWidth, after.outlineWidth];
      return widths.some((w) => parseFloat(w) > 0);
    };
    const parent = element.parentElement;
    return {
      role: element.getAttribute('role') ?? element.tagName.toLowerCase(),
      text: (element.textContent ?? '').trim(),
      indicated: drawn(element) || (parent !== null && drawn(parent)),
    };
  });
}
