import { z } from 'zod';
import {
  CHANGE_KINDS,
  CHECKLIST_PHASES,
  MAINTENANCE_KINDS,
  MAINTENANCE_STATES,
  MESSAGE_SEVERITIES,
} from './maintenance.tables.ts';

const TIME_LIKE = 'A time like 2027-03-06T08:00:00+01:00.';
/** Year 1 (UTC): ISO has a year 0, PostgreSQL does not (node-postgres stores it as 1 BC, unreadable back). */
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const instant = z.iso
  .datetime({ offset: true, message: TIME_LIKE })
  .refine((v) => Date.parse(v) >= FIRST_INSTANT, TIME_LIKE);

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

// ---- the change log (G11, G7) ------------------------------------------------------------------------

const day = z.iso.date({ message: 'A date like 2026-11-20.' });

export const changeCreateSchema = z.object({
  changedOn: day.describe('The day the change was made (today or earlier)'),
  kind: z.enum(CHANGE_KINDS),
  summary: z.string().trim().min(1, 'Say in a line what changed.').max(300),
  details: z.string().trim().max(5000).default(''),
});
export type ChangeInput = z.infer<typeof changeCreateSchema>;

export const changeSchema = z
  .object({
    id: z.uuid(),
    system: z.object({ id: z.uuid(), name: z.string() }),
    changedOn: z.string(),
    kind: z.enum(CHANGE_KINDS),
    summary: z.string(),
    details: z.string(),
    maintenance: z
      .object({ id: z.uuid() })
      .nullable()
      .describe('The completed upgrade, maintenance or incident that wrote this entry'),
    recordedBy: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: 'Change' });

const changeFilterFields = z.object({
  from: day.optional().describe('Changes made on or after this day'),
  to: day.optional().describe('Changes made on or before this day'),
  kind: z.enum(CHANGE_KINDS).optional(),
  objectId: z.uuid().optional().describe('Only the systems of this governance object (its plan, G7)'),
  q: z.string().trim().max(200).optional().describe('Words in the summary, the details or the system'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
const periodInOrder = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;
const backwards = { path: ['to'], message: 'The period ends before it starts.' };
export const changeListQuerySchema = changeFilterFields.refine(periodInOrder, backwards);
export const changeExportQuerySchema = changeFilterFields
  .extend({ lang: z.enum(['en', 'sv']).default('en') })
  .refine(periodInOrder, backwards);
export type ChangeFilter = z.infer<typeof changeListQuerySchema>;

// ---- system messages (G13) ---------------------------------------------------------------------------

export const messageCreateSchema = z
  .object({
    severity: z.enum(MESSAGE_SEVERITIES),
    textEn: z.string().trim().max(1000).default(''),
    textSv: z.string().trim().max(1000).default(''),
    shownFrom: instant.optional().describe('When users first see it (default: now)'),
    shownUntil: instant.describe('When it is taken down by itself'),
    maintenanceId: z
      .uuid()
      .optional()
      .describe('The work it announces: publishing ticks its "system message" checklist item'),
  })
  .refine((m) => m.textEn || m.textSv, {
    path: ['textEn'],
    message: 'Write the message in English or Swedish.',
  })
  .refine((m) => !m.shownFrom || Date.parse(m.shownUntil) > Date.parse(m.shownFrom), {
    path: ['shownUntil'],
    message: 'The message is taken down before it is shown.',
  });
export type MessageInput = z.infer<typeof messageCreateSchema>;

export const messageSchema = z
  .object({
    id: z.uuid(),
    system: z.object({ id: z.uuid(), name: z.string() }),
    maintenance: z.object({ id: z.uuid(), title: z.string() }).nullable(),
    severity: z.enum(MESSAGE_SEVERITIES),
    textEn: z.string(),
    textSv: z.string(),
    shownFrom: z.string(),
    shownUntil: z.string(),
    state: z.enum(['scheduled', 'shown', 'ended', 'withdrawn']),
    publishedBy: z.string(),
    publishedAt: z.string(),
    withdrawnBy: z.string().nullable(),
    withdrawnAt: z.string().nullable(),
  })
  .meta({ id: 'SystemMessage' });
