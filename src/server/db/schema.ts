// All tables, gathered for Drizzle and drizzle-kit. Each module owns its own file of tables.

export * from '../modules/absences/absences.tables.ts';
export * from '../modules/access/access.tables.ts';
export * from '../modules/accounts/accounts.tables.ts';
export * from '../modules/audit/audit.tables.ts';
export * from '../modules/licences/pools.tables.ts';
export * from '../modules/maintenance/maintenance.tables.ts';
export * from '../modules/org/org.tables.ts';
export * from '../modules/plans/plans.tables.ts';
export * from '../modules/software/software.tables.ts';
export * from '../modules/systems/systems.tables.ts';
export * from '../platform/outbox/outbox.tables.ts';
