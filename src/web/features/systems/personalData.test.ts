import { describe, expect, it } from 'vitest';
import { categoryKey, categoryLabel, categoryList, KNOWN_CATEGORIES } from './personalData.ts';

describe('personal-data categories in the UI (G9)', () => {
  it('G9: a category typed in either language is recorded as one key, and shown in the UI language', () => {
    expect(categoryKey('Studenter')).toBe('students');
    expect(categoryKey('  students ')).toBe('students');
    expect(categoryKey('Forskningspersoner')).toBe('research subjects');
    expect(categoryKey('Doktorander')).toBe('doktorander'); // not in the vocabulary: as typed, lower case
    expect(categoryLabel('students', 'sv')).toBe('studenter');
    expect(categoryLabel('students', 'en')).toBe('students');
    expect(categoryLabel('doktorander', 'en')).toBe('doktorander');
    expect(categoryLabel('constructor', 'sv')).toBe('constructor'); // not an object property lookup
    expect(categoryList(['employees', 'patients'], 'sv')).toBe('anställda, patienter');
    // Every label leads back to its key, in both languages.
    for (const key of KNOWN_CATEGORIES) {
      expect(categoryKey(categoryLabel(key, 'sv'))).toBe(key);
      expect(categoryKey(categoryLabel(key, 'en'))).toBe(key);
    }
  });
});
