import type { OfficeContextLike } from '../host/officeContext';
import { OfficeHost } from '../host/officeHost';
import { createCommandHandlers } from './handlers';

// The FunctionFile (commands.html) and, on classic Outlook for Windows, the JavaScript-only
// launch-event runtime both load this file. It stays tiny and has no React and no DOM access at
// load time, because the JavaScript-only runtime has no DOM.
const handlers = createCommandHandlers({
  host: () => new OfficeHost(officeContext()),
  now: () => new Date(),
  paneUrl: (view) => new URL(`taskpane.html?view=${view}`, self.location.href).href,
  showTaskpane,
});

/** Office.addin.showAsTaskpane where the host supports it (SharedRuntime 1.1; not Outlook). */
async function showTaskpane(): Promise<boolean> {
  const supported =
    typeof Office !== 'undefined' &&
    Office.context?.requirements?.isSetSupported('SharedRuntime', '1.1') === true &&
    typeof Office.addin?.showAsTaskpane === 'function';
  if (!supported) return false;
  await Office.addin.showAsTaskpane();
  return true;
}

function officeContext(): OfficeContextLike {
  return Office.context;
}

// Handlers are associated at load, not inside Office.onReady: launch events are dispatched as soon
// as the runtime has loaded the file (Microsoft's event-based activation samples do the same).
if (typeof Office !== 'undefined' && Office.actions) {
  for (const [name, handler] of Object.entries(handlers)) {
    Office.actions.associate(name, (event: unknown) => {
      void handler(event as Parameters<typeof handler>[0]);
    });
  }
}
