import { z } from 'zod';
import { MAIN_ROLES } from '../systems/systems.tables.ts';

const isoDate = z.iso.date({ message: 'A date like 2026-12-31.' });
const ref = z.object({ id: z.uuid(), name: z.string() });
const personRef = z.object({ id: z.uuid(), displayName: z.string() });

export const coverInputSchema = z.object({
  objectId: z.uuid().describe('The governance object of the role handed over'),
  role: z.enum(MAIN_ROLES).describe('A main role the absent person holds on it'),
  personId: z.uuid().describe('Who covers (holds the role for the days of the absence only)'),
});

export const absenceCreateSchema = z
  .object({
    personId: z.uuid().describe('Who is away'),
    startsOn: isoDate.describe('First day away'),
    endsOn: isoDate.describe('Last day away'),
    note: z.string().trim().max(500).default(''),
    covers: z.array(coverInputSchema).max(50).default([]).describe('V1: who takes over which role'),
    actingHeads: z
      .array(
        z.object({
          unitId: z.uuid().describe('A unit the absent person heads'),
          personId: z.uuid().describe('Who acts as its head for the days of the absence'),
        }),
      )
      .max(50)
      .default([])
      .describe('V1: who takes over the head’s tasks in which unit'),
  })
  .refine((a) => a.endsOn >= a.startsOn, { path: ['endsOn'], message: 'The absence ends before it starts.' });
export type AbsenceInput = z.infer<typeof absenceCreateSchema>;

export const absenceEndEarlySchema = z.object({
  lastDay: isoDate.describe('The new last day away: before the old one, yesterday at the earliest'),
});

export const delegationSchema = z.object({
  id: z.uuid(),
  object: ref.nullable(),
  role: z.enum(MAIN_ROLES).nullable(),
  unit: ref.nullable().describe('Set when the head of this unit is handed over (object and role null)'),
  cover: personRef,
  withdrawn: z.boolean(),
});

export const absenceSchema = z
  .object({
    id: z.uuid(),
    person: personRef,
    startsOn: z.string(),
    endsOn: z.string(),
    note: z.string(),
    registeredBy: z.string(),
    registeredAt: z.string(),
    cancelled: z.boolean(),
    delegations: z.array(delegationSchema),
  })
  .meta({ id: 'Absence' });

export const absenceListQuerySchema = z.object({
  personId: z.uuid().optional(),
  from: isoDate.optional().describe('Absences ending on or after this day (default: today)'),
  to: isoDate.optional().describe('Absences starting on or before this day'),
  includeCancelled: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const handoverQuerySchema = z
  .object({ personId: z.uuid(), from: isoDate, to: isoDate })
  .refine((q) => q.to >= q.from, { path: ['to'], message: 'The period ends before it starts.' });

export const handoverRoleSchema = z.object({
  object: ref,
  role: z.enum(MAIN_ROLES),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
});

export const coverageQuerySchema = z.object({
  from: isoDate.optional().describe('Default: today'),
  to: isoDate.optional().describe('Default: 90 days after from'),
});

export const coverageGapSchema = z.object({
  kind: z.enum(['system_role', 'unit_orderers']),
  subject: ref.describe('The governance object (system_role) or org unit (unit_orderers)'),
  role: z.enum(MAIN_ROLES).nullable(),
  from: z.string(),
  to: z.string(),
  absent: z.array(personRef).describe('The holders who are away then'),
});
export type CoverageGap = z.infer<typeof coverageGapSchema>;
