// E-mail goes through the outbox to a real SMTP server (smtp-server, started here).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../testing/db.ts';
import { deliverOutbox, enqueueEmail, listOutbox } from './outbox.service.ts';

type Received = { from: string; to: string[]; data: string };
let smtp: SMTPServer;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c) => {
        data += c.toString();
      });
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

describe('outbox', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('holds messages when no SMTP server is configured, and shows them', async () => {
    await enqueueEmail(ctx.db, ctx.clock.now(), {
      to: 'held@example.org',
      subject: 'Held',
      body: 'Kept in the outbox',
    });
    expect(await deliverOutbox(ctx.db, ctx.config, ctx.clock.now())).toBe(0);
    const list = await listOutbox(ctx.db, { limit: 10 });
    expect(list.items[0]).toMatchObject({ recipient: 'held@example.org', status: 'held' });
  });

  it('delivers through SMTP exactly once, including held messages once SMTP is configured', async () => {
    const config = {
      ...ctx.config,
      smtp: { url: `smtp://127.0.0.1:${port}`, from: 'Steward <steward@example.org>' },
    };
    await enqueueEmail(ctx.db, ctx.clock.now(), {
      to: 'åsa@example.org',
      subject: 'Behörighet beställd',
      body: 'Hej Åsa!',
    });
    const sent = await deliverOutbox(ctx.db, config, ctx.clock.now());
    expect(sent).toBe(2);
    expect(received.map((r) => r.to[0]).sort()).toEqual(['held@example.org', 'åsa@example.org'].sort());
    expect(received.find((r) => r.to[0] === 'åsa@example.org')!.data).toMatch(/Subject: =\?UTF-8\?/);
    expect(await deliverOutbox(ctx.db, config, ctx.clock.now())).toBe(0);
    const list = await listOutbox(ctx.db, { limit: 10 });
    expect(list.items.every((m) => m.status === 'sent')).toBe(true);
  });

  it('retries later when the SMTP server is down', async () => {
    const config = { ...ctx.config, smtp: { url: 'smtp://127.0.0.1:1', from: 'steward@example.org' } };
    await enqueueEmail(ctx.db, ctx.clock.now(), { to: 'later@example.org', subject: 'Later', body: 'x' });
    expect(await deliverOutbox(ctx.db, config, ctx.clock.now())).toBe(0);
    const [m] = (await listOutbox(ctx.db, { limit: 1 })).items;
    expect(m).toMatchObject({ status: 'pending', attempts: 1 });
    expect(m.lastError).toBeTruthy();
  });
});
