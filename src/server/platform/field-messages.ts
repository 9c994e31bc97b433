// A request field's validation message in English and Swedish. The schemas' own sentences ("A date like
// 2026-12-31.") are looked up here; zod's generic ones ("Too small: expected string to have >=1
// characters") are a developer's words, so the common kinds are said plainly instead.
import { say, type Text } from './text.ts';

export const REQUIRED = say('This field is required.', 'Fältet måste fyllas i.');
export const NUL_CHARACTER = say(
  'The text contains a NUL character (\\u0000), which cannot be stored.',
  'Texten innehåller ett NUL-tecken (\\u0000), som inte kan lagras.',
);
const INVALID = say('Invalid value.', 'Ogiltigt värde.');

/** The schemas' sentences that take a value (a pattern's groups fill the `$1` of both). */
const PATTERNS: [RegExp, string, string][] = [
  [/^(?:Use a|A) date like (\d{4}-\d{2}-\d{2})\.$/, 'A date like $1.', 'Ett datum som $1.'],
  [/^A time like (\S+)\.$/, 'A time like $1.', 'En tidpunkt som $1.'],
  [
    /^A report covers at most (\d+) days\.$/,
    'A report covers at most $1 days.',
    'En rapport omfattar högst $1 dagar.',
  ],
];

/** The schemas' fixed sentences, with the Swedish for each. */
const SENTENCES: Record<string, string> = {
  'The period ends before it starts.': 'Perioden slutar innan den börjar.',
  'The end of the period comes before its start.': 'Periodens slut kommer före dess början.',
  'The absence ends before it starts.': 'Frånvaron slutar innan den börjar.',
  'The work ends before it starts.': 'Arbetet slutar innan det börjar.',
  'Valid until is before valid from.': 'Gäller till är före gäller från.',
  'Exposure cannot end before it started.': 'Exponeringen kan inte sluta innan den började.',
  'A period of at most three years.': 'En period på högst tre år.',
  'Write the message in English or Swedish.': 'Skriv meddelandet på svenska eller engelska.',
  'The message is taken down before it is shown.': 'Meddelandet tas ner innan det visas.',
  'Source and target must be different systems.': 'Källa och mål måste vara olika system.',
  'A system cannot depend on itself.': 'Ett system kan inte bero av sig självt.',
  'Not an e-mail address.': 'Inte en e-postadress.',
  'A web address.': 'En webbadress.',
  'Give a link or the text of the document.': 'Ange en länk eller dokumentets text.',
  'Choose a CSV or XLSX file.': 'Välj en CSV- eller XLSX-fil.',
  'Choose the person the order is for.': 'Välj personen som beställningen gäller.',
  'Every system belongs to a governance object (G1).': 'Varje system hör till ett förvaltningsobjekt (G1).',
  'Every firewall rule needs a justification (G12).': 'Varje brandväggsregel behöver en motivering (G12).',
  'Reference-group members are appointed by their unit: name the unit (G4).':
    'Referensgruppens medlemmar utses av sin enhet: ange enheten (G4).',
  'A contract that includes personal data must state its legal basis (GDPR art. 6).':
    'Ett kontrakt som omfattar personuppgifter måste ange sin rättsliga grund (GDPR art. 6).',
  'This field is required.': 'Fältet måste fyllas i.',
  'A non-negative amount like 12500.50.': 'Ett belopp som inte är negativt, som 12500.50.',
  'A non-negative amount.': 'Ett belopp som inte är negativt.',
  'Hours like 40 or 12.5.': 'Timmar, som 40 eller 12.5.',
  'Hours cannot be negative.': 'Timmar kan inte vara negativa.',
  'A date like 11-01 (month-day).': 'Ett datum som 11-01 (månad-dag).',
  'Lower-case letters, digits and _ (like restore_test).': 'Små bokstäver, siffror och _ (som restore_test).',
  'Each question needs its own key.': 'Varje fråga behöver en egen nyckel.',
  'An amount like 250000 or 250000.50.': 'Ett belopp som 250000 eller 250000.50.',
  'Required.': 'Måste fyllas i.',
  'Use at least 8 characters.': 'Använd minst 8 tecken.',
  'An organisation model from 1 to 5.': 'En organisationsmodell från 1 till 5.',
  'A quarter from 1 to 4.': 'Ett kvartal från 1 till 4.',
  'A level from 1 to 4.': 'En nivå från 1 till 4.',
  'The CAB decision’s reference (case or meeting).': 'Referens till CAB-beslutet (ärende eller möte).',
  'Say in a line what changed.': 'Beskriv på en rad vad som ändrades.',
  'Name at least one data item.': 'Ange minst en uppgift.',
  'Lower-case letters, digits and _, starting with a letter.':
    'Små bokstäver, siffror och _, med en bokstav först.',
  'Give the work a title.': 'Ge arbetet en rubrik.',
  'Give the token a name.': 'Ge nyckeln ett namn.',
  'Whole days, from 1 to 366.': 'Hela dagar, från 1 till 366.',
  'Give at least one licence key.': 'Ange minst en licensnyckel.',
  'Give a reason.': 'Ange ett skäl.',
  'Enter your username.': 'Ange ditt användarnamn.',
  'Enter your password.': 'Ange ditt lösenord.',
  'At most 40 hidden columns.': 'Högst 40 dolda kolumner.',
  'A table name: a lower-case letter, then letters, digits, . _ or -.':
    'Ett tabellnamn: en liten bokstav, sedan bokstäver, siffror, . _ eller -.',
  'A column name: a lower-case letter, then letters, digits, . _ or -.':
    'Ett kolumnnamn: en liten bokstav, sedan bokstäver, siffror, . _ eller -.',
};

/** zod's own (English) messages begin so; anything else is a schema's sentence. */
const GENERIC = /^(Invalid|Too small|Too big|Unrecognized key)/;

type Issue = { keyword?: string; message?: string; params?: Record<string, unknown> };

/** One validation issue of a request (as fastify-type-provider-zod reports it) in both languages. */
export function fieldMessage(v: Issue): Text {
  const message = v.message ?? '';
  const sv = SENTENCES[message];
  if (sv) return say(message, sv);
  for (const [re, en, sv] of PATTERNS) {
    const m = message.match(re);
    if (m) return say(fill(en, m), fill(sv, m));
  }
  // A sentence of a schema's own that is not in the list above: said as it is.
  if (message !== '' && !GENERIC.test(message)) return message;
  return plain(v.keyword, message, (v.params ?? {}) as Record<string, any>) ?? (message || INVALID);
}

function fill(template: string, m: RegExpMatchArray) {
  return template.replace(/\$(\d)/g, (_, i) => m[Number(i)] ?? '');
}

/** zod's generic messages, said plainly. */
function plain(code: string | undefined, message: string, p: Record<string, any>): Text | undefined {
  const n = p.minimum ?? p.maximum;
  switch (code) {
    case 'invalid_type':
      return /received undefined$/.test(message)
        ? REQUIRED
        : say('This value has the wrong type.', 'Värdet har fel typ.');
    case 'too_small':
      if (p.origin === 'string')
        return Number(n) <= 1 ? REQUIRED : say(`At least ${n} characters.`, `Minst ${n} tecken.`);
      if (p.origin === 'array' || p.origin === 'set')
        return Number(n) <= 1
          ? say('Choose at least one.', 'Välj minst en.')
          : say(`At least ${n}.`, `Minst ${n}.`);
      return say(`At least ${n}.`, `Minst ${n}.`);
    case 'too_big':
      if (p.origin === 'string') return say(`At most ${n} characters.`, `Högst ${n} tecken.`);
      return say(`At most ${n}.`, `Högst ${n}.`);
    case 'invalid_format':
      if (p.format === 'email') return say('Not an e-mail address.', 'Inte en e-postadress.');
      if (p.format === 'url') return say('A web address.', 'En webbadress.');
      if (p.format === 'date') return say('A date like 2026-12-31.', 'Ett datum som 2026-12-31.');
      if (p.format === 'datetime')
        return say('A time like 2027-03-06T08:00:00+01:00.', 'En tidpunkt som 2027-03-06T08:00:00+01:00.');
      if (p.format === 'uuid' || p.format === 'guid') return say('Not a valid id.', 'Inte ett giltigt id.');
      return say('This value has the wrong format.', 'Värdet har fel format.');
    case 'invalid_value': {
      const values = Array.isArray(p.values) ? p.values.map(String).join(', ') : '';
      return say(`Choose one of: ${values}.`, `Välj ett av: ${values}.`);
    }
    case 'unrecognized_keys': {
      const keys = Array.isArray(p.keys) ? p.keys.join(', ') : '';
      return say(`Unknown field: ${keys}.`, `Okänt fält: ${keys}.`);
    }
    default:
      return undefined;
  }
}

/** Where a value (or an object's key) holds the NUL character, which PostgreSQL text refuses: its path. */
export function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return at;
    const found = nulPath(v, at);
    if (found) return found;
  }
  return undefined;
}
