// The security and continuity checklist (G6): a versioned template of questions edited by
// administrators, answered per system (YES / NO / PARTLY / NOT APPLICABLE with a comment) and attested
// by the IT system owner. Every attested answer that is not YES is a deviation; it stays open until a
// later attested answer to the same question is YES. On attestation the system manager and the IT
// system owner are both notified of the deviations (outbox).
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { notFound, preconditionFailed, ruleViolation, validationError } from '../../platform/errors.ts';
import { enqueueEmail } from '../../platform/outbox/outbox.service.ts';
import { say } from '../../platform/text.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { holdsOn, todayOf } from '../systems/systems.service.ts';
import { g6Attested, planGuarded } from './plans.errors.ts';

export type Question = { key: string; en: string; sv: string };
export type Answer = 'yes' | 'no' | 'partly' | 'not_applicable';
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export async function currentTemplate(db: Db) {
  const [t] = await rows<{ id: string; version: number; questions: unknown; created_at: Date | string }>(
    db,
    sql`select id, version, questions, created_at from checklist_templates order by version desc limit 1`,
  );
  return {
    id: t.id,
    version: t.version,
    questions: parse<Question[]>(t.questions),
    createdAt: iso(t.created_at)!,
  };
}

/** Administrators edit the template: each edit is a new version; answered checklists keep theirs. */
export async function putTemplate(ctx: AppContext, args: { actor: Actor; questions: Question[] }) {
  const now = ctx.clock.now();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const before = await currentTemplate(tx);
      const id = randomUUID();
      await tx.execute(
        sql`insert into checklist_templates (id, version, questions, created_at, created_by_person_id)
            values (${id}, ${before.version + 1}, ${JSON.stringify(args.questions)}::jsonb, ${now}, ${args.actor.personId})`,
      );
      await recordAudit(tx, now, args.actor, {
        action: 'checklist.template.update',
        entityType: 'checklist_template',
        entityId: id,
        before: { version: before.version, questions: before.questions },
        after: { version: before.version + 1, questions: args.questions },
      });
    }),
  );
  return currentTemplate(ctx.db);
}

export type Deviation = {
  system: { id: string; name: string };
  object: { id: string; name: string };
  questionKey: string;
  en: string;
  sv: string;
  answer: Answer;
  comment: string;
  since: string;
};

/**
 * Open deviations: for each system and question, the latest attested answer, where it is not YES.
 * Filter by systems, by object, or none for the whole organisation (the dashboard).
 */
export async function openDeviations(
  db: Db,
  f: { systemIds?: string[]; objectId?: string; attestedBefore?: SQL } = {},
): Promise<Deviation[]> {
  const bySystem = f.systemIds
    ? sql`and r.system_id = any(${`{${f.systemIds.join(',')}}`}::uuid[])`
    : f.objectId
      ? sql`and r.system_id in (select id from systems where governance_object_id = ${f.objectId})`
      : sql``;
  const where = sql`${bySystem} ${f.attestedBefore ?? sql``}`;
  const found = await rows<any>(
    db,
    sql`with latest as (
          select distinct on (r.system_id, a.question_key) r.system_id, a.question_key, a.answer, a.comment,
            r.attested_at, r.template_id
          from checklist_responses r join checklist_answers a on a.response_id = r.id
          where r.state = 'attested' ${where}
          order by r.system_id, a.question_key, r.attested_at desc, r.seq desc)
        select l.*, s.name as system_name, o.id as object_id, o.name as object_name,
          (select q from jsonb_array_elements(t.questions) q where q->>'key' = l.question_key limit 1) as question
        from latest l join systems s on s.id = l.system_id join governance_objects o on o.id = s.governance_object_id
        join checklist_templates t on t.id = l.template_id
        where l.answer <> 'yes'
        order by o.name, s.sort_key collate "C", l.question_key`,
  );
  return found.map((d) => {
    const q = parse<Question | null>(d.question);
    return {
      system: { id: d.system_id, name: d.system_name },
      object: { id: d.object_id, name: d.object_name },
      questionKey: d.question_key,
      en: q?.en ?? d.question_key,
      sv: q?.sv ?? d.question_key,
      answer: d.answer,
      comment: d.comment,
      since: iso(d.attested_at)!,
    };
  });
}

async function responseView(db: Db, id: string) {
  const [r] = await rows<any>(
    db,
    sql`select r.*, t.version as template_version, t.questions,
          ap.given_name || ' ' || ap.family_name as answered_by, tp.given_name || ' ' || tp.family_name as attested_by
        from checklist_responses r join checklist_templates t on t.id = r.template_id
        left join persons ap on ap.id = r.answered_by_person_id left join persons tp on tp.id = r.attested_by_person_id
        where r.id = ${id}`,
  );
  const answers = await rows<{ question_key: string; answer: Answer; comment: string }>(
    db,
    sql`select question_key, answer, comment from checklist_answers where response_id = ${id}`,
  );
  const qs = parse<Question[]>(r.questions);
  return {
    id: r.id as string,
    state: r.state as 'draft' | 'attested',
    templateVersion: r.template_version as number,
    answers: qs.map((q) => {
      const a = answers.find((x) => x.question_key === q.key);
      return { ...q, answer: a?.answer ?? null, comment: a?.comment ?? '' };
    }),
    answeredBy: r.answered_by as string | null,
    attestedBy: r.attested_by as string | null,
    attestedAt: iso(r.attested_at),
    rowVersion: r.row_version as number,
    updatedAt: iso(r.updated_at)!,
  };
}

export async function systemOf(db: Db, systemId: string) {
  const [s] = await rows<{ id: string; name: string; objectId: string }>(
    db,
    sql`select id, name, governance_object_id as "objectId" from systems where id = ${systemId}`,
  );
  if (!s) throw notFound('The system');
  return s;
}

export async function getChecklist(ctx: AppContext, systemId: string) {
  const system = await systemOf(ctx.db, systemId);
  const template = await currentTemplate(ctx.db);
  const [draft] = await rows<{ id: string }>(
    ctx.db,
    sql`select id from checklist_responses where system_id = ${systemId} and state = 'draft'`,
  );
  const attested = await rows<{ id: string }>(
    ctx.db,
    sql`select id from checklist_responses where system_id = ${systemId} and state = 'attested'
        order by attested_at desc, seq desc`,
  );
  const history = await Promise.all(attested.map((a) => responseView(ctx.db, a.id)));
  return {
    system,
    template,
    draft: draft ? await responseView(ctx.db, draft.id) : null,
    latestAttested: history[0] ?? null,
    history: history.map((h) => ({
      id: h.id,
      attestedAt: h.attestedAt,
      attestedBy: h.attestedBy,
      templateVersion: h.templateVersion,
    })),
    deviations: await openDeviations(ctx.db, { systemIds: [systemId] }),
  };
}

/** Saves answers into the system's draft checklist (created from the current template if none). */
export async function saveAnswers(
  ctx: AppContext,
  args: {
    actor: Actor;
    systemId: string;
    answers: { questionKey: string; answer: Answer; comment: string }[];
  },
) {
  const now = ctx.clock.now();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      await systemOf(tx, args.systemId);
      const [existing] = await rows<{ id: string; template_id: string }>(
        tx,
        sql`select id, template_id from checklist_responses where system_id = ${args.systemId} and state = 'draft' for update`,
      );
      let responseId = existing?.id;
      let templateId = existing?.template_id;
      if (!responseId) {
        const t = await currentTemplate(tx);
        responseId = randomUUID();
        templateId = t.id;
        await tx.execute(
          sql`insert into checklist_responses (id, system_id, template_id, state, answered_by_person_id, created_at, updated_at)
              values (${responseId}, ${args.systemId}, ${t.id}, 'draft', ${args.actor.personId}, ${now}, ${now})`,
        );
      }
      const [t] = await rows<{ questions: unknown }>(
        tx,
        sql`select questions from checklist_templates where id = ${templateId}`,
      );
      const keys = parse<Question[]>(t.questions).map((q) => q.key);
      const bad = args.answers.findIndex((a) => !keys.includes(a.questionKey));
      if (bad >= 0)
        throw validationError([
          {
            field: `answers.${bad}.questionKey`,
            message: say('No such question in the checklist.', 'Frågan finns inte i checklistan.'),
          },
        ]);
      // The response is written before its answers, as a new response is: every transaction touches the
      // two tables in the same order, so their data-version counters (migration 0007) never deadlock.
      await tx.execute(
        sql`update checklist_responses set answered_by_person_id = ${args.actor.personId}, row_version = row_version + 1,
              updated_at = ${now} where id = ${responseId}`,
      );
      // One row per question (the last answer given wins), so the upsert never meets a key twice.
      const answers = [...new Map(args.answers.map((a) => [a.questionKey, a])).values()];
      if (answers.length)
        await tx.execute(
          sql`insert into checklist_answers (response_id, question_key, answer, comment)
              values ${sql.join(
                answers.map((a) => sql`(${responseId}, ${a.questionKey}, ${a.answer}, ${a.comment})`),
                sql`, `,
              )}
              on conflict (response_id, question_key) do update set answer = excluded.answer, comment = excluded.comment`,
        );
      await recordAudit(tx, now, args.actor, {
        action: 'checklist.answer',
        entityType: 'checklist_response',
        entityId: responseId,
        after: { systemId: args.systemId, answers: args.answers },
      });
    }),
  );
}

const ANSWER_WORD: Record<Answer, { en: string; sv: string }> = {
  yes: { en: 'YES', sv: 'JA' },
  no: { en: 'NO', sv: 'NEJ' },
  partly: { en: 'PARTLY', sv: 'DELVIS' },
  not_applicable: { en: 'NOT APPLICABLE', sv: 'EJ TILLÄMPLIGT' },
};

/**
 * The IT system owner attests the draft (all questions answered). Each answer that is not YES is a
 * deviation: the system manager and the IT system owner are both e-mailed (G6).
 */
export async function attestChecklist(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; ifVersion?: number },
) {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  const result = await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const system = await systemOf(tx, args.systemId);
      const [draft] = await rows<{ id: string; row_version: number; questions: unknown }>(
        tx,
        sql`select r.id, r.row_version, t.questions from checklist_responses r join checklist_templates t on t.id = r.template_id
            where r.system_id = ${args.systemId} and r.state = 'draft' for update of r`,
      );
      if (!draft)
        throw ruleViolation(
          'G6',
          say(
            'There is no answered checklist waiting for attestation.',
            'Det finns ingen besvarad checklista som väntar på intygande.',
          ),
        );
      if (args.ifVersion !== undefined && draft.row_version !== args.ifVersion) throw preconditionFailed();
      const qs = parse<Question[]>(draft.questions);
      const answers = await rows<{ question_key: string; answer: Answer; comment: string }>(
        tx,
        sql`select question_key, answer, comment from checklist_answers where response_id = ${draft.id}`,
      );
      const missing = qs.filter((q) => !answers.some((a) => a.question_key === q.key));
      if (missing.length)
        throw ruleViolation(
          'G6',
          say(
            'Every question must be answered before the checklist is attested.',
            'Alla frågor måste besvaras innan checklistan intygas.',
          ),
          {
            errors: missing.map((q) => ({
              field: `answers.${q.key}`,
              message: say('Not answered.', 'Inte besvarad.'),
            })),
          },
        );
      const [done] = await rows<{ id: string }>(
        tx,
        sql`update checklist_responses set state = 'attested', attested_by_person_id = ${args.actor.personId},
              attested_at = ${now}, row_version = row_version + 1, updated_at = ${now}
            where id = ${draft.id} and state = 'draft' returning id`,
      );
      if (!done) throw g6Attested();
      const deviations = answers.filter((a) => a.answer !== 'yes');
      await recordAudit(tx, now, args.actor, {
        action: 'checklist.attest',
        entityType: 'checklist_response',
        entityId: draft.id,
        after: { systemId: args.systemId, deviations: deviations.map((d) => d.question_key) },
      });
      let notified = 0;
      if (deviations.length) {
        const to = await rows<{ name: string; email: string | null }>(
          tx,
          sql`select distinct p.given_name || ' ' || p.family_name as name, p.email
              from role_assignments a join persons p on p.id = a.person_id
              where a.object_id = ${system.objectId} and a.role in ('system_manager','it_system_owner') and ${holdsOn(today)}`,
        );
        const lines = deviations.map((d) => {
          const q = qs.find((x) => x.key === d.question_key)!;
          return `- ${q.sv} / ${q.en}\n  ${ANSWER_WORD[d.answer].sv} / ${ANSWER_WORD[d.answer].en}${d.comment ? `: ${d.comment}` : ''}`;
        });
        const seen = new Set<string>();
        for (const r of to) {
          if (!r.email || seen.has(r.email)) continue;
          seen.add(r.email);
          await enqueueEmail(tx, now, {
            to: r.email,
            subject: `Avvikelser i säkerhets- och kontinuitetschecklistan för ${system.name} / Deviations in the security and continuity checklist for ${system.name}`,
            body: `${r.name},\n\nChecklistan för ${system.name} har intygats av ${args.actor.label} med ${deviations.length} avvikelse(r) (svar som inte är JA):\nThe checklist for ${system.name} was attested by ${args.actor.label} with ${deviations.length} deviation(s) (answers that are not YES):\n\n${lines.join('\n')}\n`,
            meta: { kind: 'checklist.deviation', systemId: system.id, responseId: draft.id },
          });
          notified++;
        }
      }
      return { deviations: deviations.length, notified };
    }),
  );
  return result;
}
