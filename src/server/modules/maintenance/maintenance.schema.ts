import { z } from 'zod';
import { CHECKLIST_PHASES, MAINTENANCE_KINDS, MAINTENANCE_STATES } from './maintenance.tables.ts';

const instant = z.iso.datetime({ offset: true, message: 'A time like 2027-03-06T08:00:00+01:00.' });

export const maintenanceCreateSchema = z
  .object({
    kind: z.enum(MAINTENANCE_KINDS),
    title: z.string().trim().min(1, 'Give the work a title.').max(200),
    description: z.string().trim().max(5000).default(''),
    startsAt: instant,
    endsAt: instant,
    disturbsUsers: z
      .boolean()
      .describe('Users notice it (downtime, changed behaviour): a service window is needed'),
  })
  .refine((m) => Date.parse(m.endsAt) > Date.parse(m.startsAt), {
    path: ['endsAt'],
    message: 'The work ends before it starts.',
  });
export type MaintenanceInput = z.infer<typeof maintenanceCreateSchema>;

export const cabApprovalSchema = z.object({
  reference: z.string().trim().min(1, 'The CAB decision’s reference (case or meeting).').max(200),
});
export const rehearsalSchema = z.object({
  rehearsedOn: z.iso.date({ message: 'A date like 2027-02-27.' }),
});
export const itemPatchSchema = z.object({ done: z.boolean() });

export const checklistItemSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  phase: z.enum(CHECKLIST_PHASES),
  channel: z.string(),
  responsible: z.string(),
  dueAt: z.string(),
  done: z.boolean(),
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
});

export const maintenanceSchema = z
  .object({
    id: z.uuid(),
    system: z.object({ id: z.uuid(), name: z.string() }),
    kind: z.enum(MAINTENANCE_KINDS),
    title: z.string(),
    description: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    disturbsUsers: z.boolean(),
    state: z.enum(MAINTENANCE_STATES),
    cab: z.object({ reference: z.string(), approvedBy: z.string(), approvedAt: z.string() }).nullable(),
    rehearsedOn: z.string().nullable(),
    needsRehearsal: z.boolean().describe('The system has a test environment, so the work is rehearsed there'),
    createdBy: z.string(),
    version: z.number().int(),
    items: z.array(checklistItemSchema),
  })
  .meta({ id: 'Maintenance' });

export const maintenanceListQuerySchema = z.object({
  from: z.iso.date().optional().describe('Events ending on or after this day (default: 30 days ago)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
