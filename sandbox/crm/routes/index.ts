/** Registers every operation of the CRM Sync API (under /api/v1), grouped by resource. */
import type { CrmContext } from '../context';
import type { ZodApp } from '../http/zodApp';
import { activityRoutes } from './activities';
import { activityParticipationRoutes } from './activityParticipation';
import { activityTypeRoutes } from './activityTypes';
import { activityWriteRoutes } from './activityWrites';
import { bulkRoutes } from './bulk';
import { changeRoutes } from './changes';
import { companyRoutes } from './company';
import { contactCardRoutes } from './contactCard';
import { contactChangeRoutes } from './contactChanges';
import { contactRoutes } from './contacts';
import { errorReportRoutes } from './errorReports';
import { extranetRoutes } from './extranet';
import { leaseRoutes } from './lease';
import { pairingRoutes } from './pairing';
import { relationRoutes } from './relations';
import { resourceRoutes } from './resources';
import { sessionRoutes } from './sessions';
import { syncServiceRoutes } from './syncService';
import { userRoutes } from './users';

export function apiRoutes(app: ZodApp, ctx: CrmContext): void {
  sessionRoutes(app, ctx);
  companyRoutes(app, ctx);
  userRoutes(app, ctx);
  activityTypeRoutes(app, ctx);
  contactChangeRoutes(app, ctx);
  contactRoutes(app, ctx);
  contactCardRoutes(app, ctx);
  resourceRoutes(app, ctx);
  relationRoutes(app, ctx);
  extranetRoutes(app, ctx);
  changeRoutes(app, ctx);
  activityRoutes(app, ctx);
  activityWriteRoutes(app, ctx);
  activityParticipationRoutes(app, ctx);
  bulkRoutes(app, ctx);
  pairingRoutes(app, ctx);
  leaseRoutes(app, ctx);
  errorReportRoutes(app, ctx);
  syncServiceRoutes(app, ctx);
}
