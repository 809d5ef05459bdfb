import { createRoot } from 'react-dom/client';
import { waitForOffice } from '../host/officeReady';
import { PaneRoot } from './components/PaneRoot';
import { createConnectionService } from './connection/createConnectionService';
import { parseView } from './sections';
import { startPane } from './startPane';
import { createStatusService } from './status/createStatusService';
import { startSync } from './sync/startSync';

// The composition root of the task pane: the only place that reads globals (the injected config,
// Office, navigator, location) and hands them to the app as plain values.
async function main(): Promise<void> {
  const container = document.getElementById('root');
  if (!container) throw new Error('taskpane.html has no #root element');
  const start = await startPane({
    rawConfig: typeof __ADDIN_CONFIG__ === 'undefined' ? undefined : __ADDIN_CONFIG__,
    waitForOffice: () => waitForOffice(),
    browserLanguages: navigator.languages ?? [navigator.language],
    connectionService: (host, config) => createConnectionService({ host, config }),
    startSync,
    status: createStatusService(),
    search: window.location.search,
  });
  createRoot(container).render(<PaneRoot start={start} view={parseView(window.location.search)} />);
}

void main();
