// Transactional outbox for e-mail. Messages are written in the transaction that causes them; a job
// sends them over SMTP when configured. Without SMTP they stay 'held' and show on the admin page.
import { and, desc, eq, lt, lte, type SQL, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { outbox } from './outbox.tables.ts';

export async function enqueueEmail(
  tx: Db,
  now: Date,
  msg: { to: string; subject: string; body: string; meta?: unknown },
) {
  await tx.insert(outbox).values({
    kind: 'email',
    recipient: msg.to,
    subject: msg.subject,
    body: msg.body,
    meta: msg.meta ?? null,
    createdAt: now,
    nextAttemptAt: now,
  });
}

/**
 * The INSERT of one e-mail, for a caller that writes its change and the e-mail in one statement (as a
 * data-modifying CTE). Same row as enqueueEmail.
 */
export function emailInsertSql(
  now: Date,
  msg: { to: string; subject: string; body: string; meta?: unknown },
): SQL {
  return sql`insert into outbox (kind, recipient, subject, body, meta, created_at, next_attempt_at)
    values ('email', ${msg.to}, ${msg.subject}, ${msg.body},
      ${msg.meta === undefined || msg.meta === null ? null : JSON.stringify(msg.meta)}::jsonb, ${now}::timestamptz,
      ${now}::timestamptz)`;
}

export async function listOutbox(db: Db, args: { limit: number; cursor?: number }) {
  const items = await db
    .select()
    .from(outbox)
    .where(args.cursor ? lt(outbox.id, args.cursor) : undefined)
    .orderBy(desc(outbox.id))
    .limit(args.limit + 1);
  const page = items.slice(0, args.limit);
  return {
    items: page.map((m) => ({
      id: m.id,
      recipient: m.recipient,
      subject: m.subject,
      body: m.body,
      status: m.status,
      attempts: m.attempts,
      lastError: m.lastError,
      createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
    })),
    nextCursor: items.length > args.limit ? String(page[page.length - 1].id) : null,
  };
}

const MAX_ATTEMPTS = 8;

/** Sends due messages. Each message is claimed with a conditional update, so replicas never double-send. */
export async function deliverOutbox(db: Db, config: Config, now: Date, limit = 50): Promise<number> {
  if (!config.smtp) {
    await db.update(outbox).set({ status: 'held' }).where(eq(outbox.status, 'pending'));
    return 0;
  }
  const transport = nodemailer.createTransport(config.smtp.url);
  let sent = 0;
  try {
    const due = await db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(sql`${outbox.status} in ('pending','held')`, lte(outbox.nextAttemptAt, now)))
      .orderBy(outbox.id)
      .limit(limit);
    for (const { id } of due) {
      // Claim: move the next attempt into the future so no other replica picks it up meanwhile.
      const [m] = await db
        .update(outbox)
        .set({ nextAttemptAt: new Date(now.getTime() + 5 * 60_000), attempts: sql`${outbox.attempts} + 1` })
        .where(
          and(eq(outbox.id, id), lte(outbox.nextAttemptAt, now), sql`${outbox.status} in ('pending','held')`),
        )
        .returning();
      if (!m) continue;
      try {
        await transport.sendMail({
          from: config.smtp.from,
          to: m.recipient,
          subject: m.subject,
          text: m.body,
        });
        await db
          .update(outbox)
          .set({ status: 'sent', sentAt: now, lastError: null })
          .where(eq(outbox.id, id));
        sent++;
      } catch (err) {
        const failed = m.attempts >= MAX_ATTEMPTS;
        await db
          .update(outbox)
          .set({
            status: failed ? 'failed' : 'pending',
            lastError: String((err as Error).message).slice(0, 500),
            nextAttemptAt: new Date(now.getTime() + 2 ** m.attempts * 60_000),
          })
          .where(eq(outbox.id, id));
      }
    }
  } finally {
    transport.close();
  }
  return sent;
}
