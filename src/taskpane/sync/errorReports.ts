/**
 * SPEC E5 in the pane: the sync loop's failures go to the CRM's error-report route when the
 * person switched "Send error reports to the developers" on (read at each report, so switching
 * it off takes effect at once). What a report holds is crm/errorReport.ts's concern: codes,
 * class names and stack frames, never an item's content.
 */
import { version } from '../../../package.json';
import { CrmDirectory, type CrmSession } from '../../crm';
import { ErrorReporter } from '../../crm/errorReport';
import type { Host } from '../../host/host';
import { readPreferences } from '../preferences/preferencesStore';

export function paneErrorReporter(host: Host, session: CrmSession): ErrorReporter {
  return new ErrorReporter({
    sink: new CrmDirectory(session),
    optedIn: () => readPreferences(host, 'en').options.sendErrorReports,
    appVersion: version,
    platform: `Outlook-${host.kind}`,
    now: () => Date.now(),
  });
}
