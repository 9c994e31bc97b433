// One injectable clock. Production reads the system time; tests move time with a ManualClock
// instead of sleeping (session expiry, throttling, valid-until dates).
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-11-22T09:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(to: Date | string): void {
    this.t = new Date(to).getTime();
  }
  advance(ms: { days?: number; hours?: number; minutes?: number; seconds?: number }): void {
    this.t +=
      (ms.days ?? 0) * 86_400_000 +
      (ms.hours ?? 0) * 3_600_000 +
      (ms.minutes ?? 0) * 60_000 +
      (ms.seconds ?? 0) * 1000;
  }
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an instant in Europe/Stockholm, the organisation's day. */
export function localDate(d: Date, timeZone = 'Europe/Stockholm'): string {
  // Building a DateTimeFormat costs far more than formatting with one: keep one per time zone.
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  return f.format(d);
}

/** Today's date (YYYY-MM-DD, Swedish time) on a context's clock. */
export const todayOf = (ctx: { clock: Clock }) => localDate(ctx.clock.now());

/** A calendar date (YYYY-MM-DD) `days` days after `date` (before it when negative). */
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
