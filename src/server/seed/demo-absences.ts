// Demo absences (V1, V2): Anna (system manager of two objects) is away in four weeks and hands one of
// her roles to a colleague, not the other, so the coverage report and her My work show a gap; an IT
// system manager is away later without a cover. Dates are relative to today, so the demo stays current.
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import { registerAbsence } from '../modules/absences/absences.service.ts';
import { addDays, todayOf } from '../platform/clock.ts';
import type { Actor, AppContext } from '../platform/context.ts';

export async function seedDemoAbsences(ctx: AppContext, actor: Actor) {
  const today = todayOf(ctx);
  const held = await rows<{ object_id: string; role: string; person_id: string; employee_id: string }>(
    ctx.db,
    sql`select a.object_id, a.role, p.id as person_id, p.employee_id
        from role_assignments a join persons p on p.id = a.person_id join governance_objects o on o.id = a.object_id
        where a.role in ('system_manager', 'it_system_manager', 'business_specialist') and a.valid_until is null
        order by o.name, a.role, p.employee_id`,
  );
  const anna = held.filter((h) => h.employee_id === 'E000004' && h.role === 'system_manager');
  if (anna.length) {
    const [first] = anna;
    const colleague = held.find(
      (h) =>
        h.object_id === first.object_id && h.role === 'business_specialist' && h.employee_id !== 'E000004',
    );
    await registerAbsence(ctx, {
      actor,
      input: {
        personId: first.person_id,
        startsOn: addDays(today, 28),
        endsOn: addDays(today, 42),
        note: 'Vacation',
        covers: colleague
          ? [{ objectId: first.object_id, role: 'system_manager', personId: colleague.person_id }]
          : [],
        actingHeads: [],
      },
    });
  }
  const itsm = held.find((h) => h.role === 'it_system_manager' && h.employee_id !== 'E000004');
  if (itsm)
    await registerAbsence(ctx, {
      actor,
      input: {
        personId: itsm.person_id,
        startsOn: addDays(today, 60),
        endsOn: addDays(today, 74),
        note: '',
        covers: [],
        actingHeads: [],
      },
    });
}
