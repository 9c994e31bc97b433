// Coverage reminders (V2): an absence that leaves a gap within 14 days is e-mailed to its person once,
// through the outbox to a real SMTP server (smtp-server, started by the test: testing/smtp.ts), by the scheduled job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../platform/jobs.ts';
import { admin, createTestApp, makePerson, makeUnit, systemInput, type TestApp } from '../../testing/http.ts';
import { startSmtp } from '../../testing/smtp.ts';
import { assignRole, createObject } from '../systems/governance.service.ts';
import { createSystem } from '../systems/systems.service.ts';
import { cancelAbsence, registerAbsence } from './absences.service.ts';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;

/** A quoted-printable mail body as text (soft line breaks joined, =XX bytes decoded as UTF-8). */
const text = (data: string) =>
  Buffer.from(
    data
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

const job = JOBS.find((j) => j.name === 'coverage-reminders')!;
const runAndDeliver = () => smtp.runAndDeliver(t.ctx, job);

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp();
}, 60_000);
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('coverage reminders', () => {
  it('V2: e-mails each person whose absence leaves a gap within two weeks, once; not a later gap, not a cancelled absence', async () => {
    // The test clock's today is 2026-11-22.
    const unit = await makeUnit(t.ctx);
    const object = await createObject(t.ctx, {
      actor: admin,
      input: { name: 'Gap Mail', owningUnitId: unit.id },
    });
    await createSystem(t.ctx, {
      actor: admin,
      input: systemInput({ name: 'Gap Mail', shortName: 'GAPMAIL', governanceObjectId: object.id }),
    });
    const alma = await makePerson(t.ctx, {
      givenName: 'Alma',
      familyName: 'Away',
      email: 'alma@example.org',
    });
    const bert = await makePerson(t.ctx, {
      givenName: 'Bert',
      familyName: 'Gone',
      email: 'bert@example.org',
    });
    for (const p of [alma, bert])
      await assignRole(t.ctx, {
        actor: admin,
        objectId: object.id,
        input: { personId: p.id, role: 'system_manager', appointedByPersonId: null },
      });
    const away = (personId: string, startsOn: string, endsOn: string) =>
      registerAbsence(t.ctx, {
        actor: admin,
        input: { personId, startsOn, endsOn, note: '', covers: [], actingHeads: [] },
      });
    await away(alma.id, '2026-11-30', '2026-12-10');
    await away(bert.id, '2026-12-01', '2026-12-05');
    // A later gap (March) is not reminded yet; a cancelled absence never is.
    await away(alma.id, '2027-03-01', '2027-03-05');
    await away(bert.id, '2027-03-01', '2027-03-05');
    const cancelled = await away(alma.id, '2026-12-20', '2026-12-22');
    await away(bert.id, '2026-12-20', '2026-12-22');
    await cancelAbsence(t.ctx, { actor: admin, id: cancelled.id });

    const first = await runAndDeliver();
    expect(first.result).toEqual({ reminded: 2 });
    expect(first.mails.map((m) => m.to[0]).sort()).toEqual(['alma@example.org', 'bert@example.org']);
    for (const m of first.mails) {
      expect(text(m.data)).toContain('Gap Mail: no system manager present 2026-12-01 – 2026-12-05');
      expect(text(m.data)).toContain('Gap Mail: ingen systemförvaltare på plats 2026-12-01 – 2026-12-05');
      expect(text(m.data)).not.toContain('2027-03');
    }
    // Re-running sends nothing new.
    const again = await runAndDeliver();
    expect(again.result).toEqual({ reminded: 0 });
    expect(again.mails).toEqual([]);
  });
});
