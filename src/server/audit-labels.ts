// The audit log's names for objects, from every module's own label statements (composition root: the
// audit module reads no other module's tables; each module says how its objects are named).

import { accessAuditLabels } from './modules/access/access.service.ts';
import { accountsAuditLabels } from './modules/accounts/accounts.service.ts';
import type { AuditLabelSql } from './modules/audit/audit.labels.ts';
import { poolsAuditLabels } from './modules/licences/pools.service.ts';
import { orgAuditLabels } from './modules/org/org.service.ts';
import { plansAuditLabels } from './modules/plans/plans.service.ts';
import { softwareAuditLabels } from './modules/software/software.service.ts';
import { systemsAuditLabels } from './modules/systems/systems.service.ts';

export const AUDIT_LABELS: AuditLabelSql = {
  ...orgAuditLabels,
  ...accountsAuditLabels,
  ...systemsAuditLabels,
  ...accessAuditLabels,
  ...plansAuditLabels,
  ...poolsAuditLabels,
  ...softwareAuditLabels,
};
