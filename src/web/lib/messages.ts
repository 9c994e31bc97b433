// The server's commonest field messages in the user's language.

type Translate = (key: string, args?: Record<string, string>) => string;

/**
 * The server words its field messages in English; the commonest ones are said in the user's language
 * here (a field left out, a date's format, "X is required."). Others are shown as they come.
 */
const FIELD_MESSAGES: [RegExp, string, (m: RegExpMatchArray) => Record<string, string>][] = [
  [/^This field is required\.$/, 'errors.field.required', () => ({})],
  [/^(?:Use a|A) date like (\d{4}-\d{2}-\d{2})\.$/, 'errors.field.date', (m) => ({ example: m[1] })],
  [
    /^(.+): a date like (\d{4}-\d{2}-\d{2})\.$/,
    'errors.field.namedDate',
    (m) => ({ field: m[1], example: m[2] }),
  ],
  [/^(.+) is required\.$/, 'errors.field.namedRequired', (m) => ({ field: m[1] })],
  [/^Give a reason\.$/, 'errors.field.reason', () => ({})],
  [/^The end of the period comes before its start\.$/, 'errors.field.periodBackwards', () => ({})],
];
export function localiseMessage(message: string, t: Translate): string {
  for (const [re, key, args] of FIELD_MESSAGES) {
    const m = message.match(re);
    if (m) return t(key, args(m));
  }
  return message;
}
