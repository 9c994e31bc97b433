// Personal-data categories (G9) in the UI: the vocabulary is shared with the server
// (src/shared/personal-data.ts), which records what anyone types as one key; here a key is shown in
// the UI language, and what a user types becomes the key before it is sent ("Studenter" → "students").
import { PERSONAL_DATA_CATEGORIES, personalDataCategoryKey } from '../../../shared/personal-data.ts';
import type { Locale } from '../../api/types.ts';

/** The categories with a label, by key. */
export const KNOWN_CATEGORIES = Object.keys(PERSONAL_DATA_CATEGORIES);

/** A category's label in the UI language (as recorded when it has none). */
export function categoryLabel(key: string, locale: Locale): string {
  return Object.hasOwn(PERSONAL_DATA_CATEGORIES, key) ? PERSONAL_DATA_CATEGORIES[key][locale] : key;
}

/** What the user typed as a key: a label in either language gives its key, anything else lower case. */
export const categoryKey = personalDataCategoryKey;

/** Keys as labels, joined for a sentence or a cell. */
export const categoryList = (keys: string[], locale: Locale) =>
  keys.map((k) => categoryLabel(k, locale)).join(', ');
