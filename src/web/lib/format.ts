import type { Locale } from '../api/types.ts';

const TZ = 'Europe/Stockholm';

const isoDate = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const isoTime = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });

function toDate(value: string | Date | null | undefined): Date | null {
  if (!value) return null;
  // A plain calendar date (2026-11-22) is a day, not an instant: pin it to noon UTC so it stays that day.
  const d =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T12:00:00Z`)
      : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** 2026-11-22 (tables). */
export function formatDate(value: string | Date | null | undefined): string {
  const d = toDate(value);
  return d ? isoDate.format(d) : '';
}

/** 2026-11-22 14:05 (tables of events). */
export function formatDateTime(value: string | Date | null | undefined): string {
  const d = toDate(value);
  return d ? `${isoDate.format(d)} ${isoTime.format(d)}` : '';
}

const proseFormats: Record<Locale, Intl.DateTimeFormat> = {
  sv: new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, day: 'numeric', month: 'short', year: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: 'numeric', month: 'short', year: 'numeric' }),
};

/** 22 nov. 2026 (sv) / 22 Nov 2026 (en), for running text. */
export function formatDateProse(value: string | Date | null | undefined, locale: Locale): string {
  const d = toDate(value);
  return d ? proseFormats[locale].format(d) : '';
}

/**
 * A number as a person writes it in the UI's language: 13 500,50 (sv) or 13,500.50 (en). Spaces,
 * including the no-break spaces the app itself writes between thousands, are ignored. In English a
 * comma counts only between groups of three digits; in Swedish a point is taken as the decimal sign,
 * but 1.500 (which may mean one thousand five hundred) is refused as ambiguous. At most `decimals`
 * decimals. Null when the text is not such a number: a slip is said, never saved as another number.
 */
export function parseNumber(text: string, locale: Locale, decimals = 2): number | null {
  const s = text.replace(/[\s\u00a0\u202f]/g, '');
  const fraction = `\\d{1,${decimals}}`;
  if (locale === 'sv') {
    if (/^[-+]?\d{1,3}(\.\d{3})+$/.test(s)) return null;
    return new RegExp(`^[-+]?\\d+(?:[.,]${fraction})?$`).test(s) ? Number(s.replace(',', '.')) : null;
  }
  const en = new RegExp(`^[-+]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.${fraction})?$`);
  return en.test(s) ? Number(s.replace(/,/g, '')) : null;
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB').format(n);
}

/** 33,3 % (sv) / 33.3 % (en): a percentage with at most one decimal. */
export function formatPercent(n: number, locale: Locale): string {
  const v = new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 }).format(
    n,
  );
  return `${v} %`;
}

/** 2 400 000 kr (sv) / SEK 2,400,000 (en): an amount in whole units of its currency (kronor unless given). */
export function formatCurrency(n: number, locale: Locale, currency = 'SEK'): string {
  return new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  }).format(n);
}

/** A moment's calendar date (2026-11-22) in the organisation's time zone. */
export const calendarDate = (d: Date = new Date()) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);

/** A datetime-local value (the browser's time) as an ISO instant, or the text as typed when incomplete. */
export const localInstant = (v: string) =>
  v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : v;

/** An instant as a datetime-local value in the browser's time (2027-01-09T08:00). */
export function localInput(value: string | Date): string {
  const d = new Date(value);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
