// Sort and search keys for persons, computed in JS so that PGlite and PostgreSQL (whatever their
// collations) sort the same way. Swedish puts å, ä, ö after z (in that order); English folds them.

const SV_TAIL: Record<string, string> = { å: '{', ä: '|', ö: '}', æ: '|', ø: '}' };

const NON_ASCII = /[\u0080-\uffff]/;
function fold(s: string): string {
  return !NON_ASCII.test(s) ? s : s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** A sort key that orders like Swedish collation for names: a…z, then å, ä, ö. */
export function sortKeySv(s: string): string {
  return fold(
    s
      .toLowerCase()
      .normalize('NFC')
      .replace(/[åäöæøü]/g, (ch) => SV_TAIL[ch] ?? 'y'),
  );
}

/** A sort key that orders like English collation: accents folded. */
export function sortKeyEn(s: string): string {
  return fold(s.toLowerCase().normalize('NFC')).replace(/æ/g, 'ae').replace(/ø/g, 'o');
}

export function personSortKeys(p: { givenName: string; familyName: string; employeeId: string }) {
  const name = `${p.familyName}\u0001${p.givenName}\u0001${p.employeeId}`;
  return { sortSv: sortKeySv(name), sortEn: sortKeyEn(name) };
}

export function personSearchText(p: {
  givenName: string;
  familyName: string;
  employeeId: string;
  email?: string | null;
}) {
  const base = `${p.givenName} ${p.familyName} ${p.employeeId} ${p.email ?? ''}`.toLowerCase();
  const folded = fold(base);
  return folded === base ? base.trim() : `${base} ${folded}`.trim();
}

/** What a search string is matched with: lower-cased, like the stored search text. */
export function normaliseQuery(q: string): string {
  return q.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function personDerived(p: {
  givenName: string;
  familyName: string;
  employeeId: string;
  email?: string | null;
}) {
  return { ...personSortKeys(p), searchText: personSearchText(p) };
}
