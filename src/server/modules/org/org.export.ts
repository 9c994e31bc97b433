// Register extract (GDPR art. 15): everything Steward holds about one person, gathered from each
// module's own service. Later modules add their parts (grants, orders, licences, roles) here.
import type { Actor, AppContext } from '../../platform/context.ts';
import { exportAccountData } from '../accounts/accounts.service.ts';
import { auditEventsAbout, recordAudit } from '../audit/audit.service.ts';
import { getPerson } from './org.service.ts';

export async function exportPersonData(ctx: AppContext, args: { actor: Actor; personId: string }) {
  const person = await getPerson(ctx.db, args.personId);
  const account = await exportAccountData(ctx.db, args.personId);
  const history = await auditEventsAbout(ctx.db, args.personId, person.account?.id ?? null);
  const now = ctx.clock.now();
  await recordAudit(ctx.db, now, args.actor, {
    action: 'person.export',
    entityType: 'person',
    entityId: args.personId,
  });
  return {
    generatedAt: now.toISOString(),
    generatedBy: args.actor.label,
    person,
    ...account,
    history: history.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
  };
}
