import { createRoot } from 'react-dom/client';
import { waitForOffice } from '../host/officeReady';
import { PaneRoot } from './components/PaneRoot';
import { parseView } from './sections';
import { startPane } from './startPane';

// The composition root of the task pane: the only place that reads globals (the injected config,
// Office, navigator, location) and hands them to the app as plain values; startPane builds the
// pane's root (paneRoot.ts: one Graph client and one store opening per mailbox), the services over
// it and the one sync loop. The services load their modules on first use (./onDemand.ts): the
// first screen needs neither the CRM client, the store nor the sync engine.
async function main(): Promise<void> {
  const container = document.getElementById('root');
  if (!container) throw new Error('taskpane.html has no #root element');
  const start = await startPane({
    rawConfig: typeof __ADDIN_CONFIG__ === 'undefined' ? undefined : __ADDIN_CONFIG__,
    waitForOffice: () => waitForOffice(),
    browserLanguages: navigator.languages ?? [navigator.language],
    search: window.location.search,
  });
  createRoot(container).render(<PaneRoot start={start} view={parseView(window.location.search)} />);
}

void main();
