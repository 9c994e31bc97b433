// A real SMTP server for tests (smtp-server on a free port), and a scheduled job run followed by the
// outbox's delivery to it: what the job e-mails arrives here as the server received it.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { runJobOnce } from '../platform/jobs.ts';
import { deliverOutbox } from '../platform/outbox/outbox.service.ts';
import type { TestContext } from './db.ts';

export type Mail = { to: string[]; data: string };

export async function startSmtp() {
  const received: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c) => {
        data += c.toString();
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    /** Runs the scheduled job, then delivers the outbox here; returns its result and the mails received. */
    async runAndDeliver(ctx: TestContext, job: Parameters<typeof runJobOnce>[1]) {
      received.length = 0;
      const result = await runJobOnce(ctx, job);
      const config = {
        ...ctx.config,
        smtp: { url: `smtp://127.0.0.1:${port}`, from: 'Steward <steward@example.org>' },
      };
      await deliverOutbox(ctx.db, config, ctx.clock.now());
      return { result, mails: [...received] };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
