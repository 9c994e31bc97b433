// Personal-data categories (G9): stored as keys in lower case ("students", "research subjects"); the
// common ones have a label in each UI language, any other is shown as recorded. What a user types, in
// either language, becomes the key ("Studenter" → "students"), so a Swedish and an English user
// record and find the same category.
import type { Locale } from '../../api/types.ts';
import en from '../../i18n/en.json';
import sv from '../../i18n/sv.json';

const LABELS: Record<Locale, Record<string, string>> = {
  en: en.personalData.categories,
  sv: sv.personalData.categories,
};

/** The categories with a label, by key. */
export const KNOWN_CATEGORIES = Object.keys(LABELS.en);

/** A category's label in the UI language (as recorded when it has none). */
export function categoryLabel(key: string, locale: Locale): string {
  return Object.hasOwn(LABELS[locale], key) ? LABELS[locale][key] : key;
}

/** What the user typed as a key: a label in either language gives its key, anything else lower case. */
export function categoryKey(text: string): string {
  const typed = text.trim().toLowerCase();
  for (const labels of Object.values(LABELS))
    for (const [key, label] of Object.entries(labels)) if (label.toLowerCase() === typed) return key;
  return typed;
}

/** Keys as labels, joined for a sentence or a cell. */
export const categoryList = (keys: string[], locale: Locale) =>
  keys.map((k) => categoryLabel(k, locale)).join(', ');
