/**
 * The pane's unit tests render Fluent UI through a Griffel renderer that hands jsdom only the CSS
 * rules jsdom can use. jsdom lays nothing out: what it does with a style sheet is answer
 * getComputedStyle — and Testing Library asks that, through dom-accessibility-api, whether each
 * element is hidden (`display`, `visibility`) for every candidate of every `*ByRole` query, while
 * jsdom matches every rule of every sheet on each call. With Fluent's atomic rules (thousands)
 * that was half of the pane suites' CPU (status + preferences: 27.2 → 13.2 CPU-s). A rule that
 * sets neither property can change no answer a test gets, so it is left out. The browser tests
 * (test/e2e) render the real build with every rule.
 */
import { RendererProvider, createDOMRenderer } from '@fluentui/react-components';
import type { ReactNode } from 'react';

/** A rule that can hide an element (what dom-accessibility-api and Testing Library look at). */
const CAN_HIDE = /\b(?:display|visibility)\s*:/;

const renderer = createDOMRenderer(document, {
  unstable_filterCSSRule: (rule) => CAN_HIDE.test(rule),
});

/** `render(ui, { wrapper: JsdomStyles })`: Griffel's rules as jsdom needs them. */
export function JsdomStyles({ children }: { readonly children?: ReactNode }) {
  return (
    <RendererProvider renderer={renderer} targetDocument={document}>
      {children}
    </RendererProvider>
  );
}
