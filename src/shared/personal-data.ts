// Personal-data categories (G9): one vocabulary for the server and the web. A category is stored as a
// key in lower case ("students", "research subjects"); the common ones have a label in each language,
// any other is kept as typed (lower case). What anyone writes, in either language and by any route
// (the web form, the API, a catalogue import), becomes the key: "Studenter" and "students" are one
// category, recorded and found the same way.

export const PERSONAL_DATA_CATEGORIES: Record<string, { en: string; sv: string }> = {
  students: { en: 'students', sv: 'studenter' },
  employees: { en: 'employees', sv: 'anställda' },
  applicants: { en: 'applicants', sv: 'sökande' },
  patients: { en: 'patients', sv: 'patienter' },
  'research subjects': { en: 'research subjects', sv: 'forskningspersoner' },
  alumni: { en: 'alumni', sv: 'alumner' },
  guardians: { en: 'guardians', sv: 'vårdnadshavare' },
  children: { en: 'children', sv: 'barn' },
  residents: { en: 'residents', sv: 'invånare' },
  'next of kin': { en: 'next of kin', sv: 'anhöriga' },
  visitors: { en: 'visitors', sv: 'besökare' },
  suppliers: { en: 'suppliers', sv: 'leverantörer' },
};

/** Lower-cased label (either language) → key. */
const KEY_OF = new Map<string, string>(
  Object.entries(PERSONAL_DATA_CATEGORIES).flatMap(([key, l]) => [
    [l.en.toLowerCase(), key],
    [l.sv.toLowerCase(), key],
  ]),
);

/** What was typed, as a key: a label in either language gives its key, anything else lower case. */
export function personalDataCategoryKey(text: string): string {
  const typed = text.trim().toLowerCase();
  return KEY_OF.get(typed) ?? typed;
}

/** A list of typed categories as keys: blanks dropped, each key once, in the order given. */
export function personalDataCategoryKeys(texts: readonly string[]): string[] {
  return [...new Set(texts.map(personalDataCategoryKey).filter(Boolean))];
}
