// Sort and search keys for persons, computed in JS so that PGlite and PostgreSQL (whatever their
// collations) sort the same way. Swedish puts å, ä, ö after z (in that order); English folds them.

const SV_TAIL: Record<string, string> = { å: '{', ä: '|', ö: '}', æ: '|', ø: '}' };

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** A sort key that orders like Swedish collation for names: a…z, then å, ä, ö. */
export function sortKeySv(s: string): string {
  let out = '';
  for (const ch of s.toLocaleLowerCase('sv').normalize('NFC')) {
    out += SV_TAIL[ch] ?? (ch === 'ü' ? 'y' : fold(ch));
  }
  return out;
}

/** A sort key that orders like English collation: accents folded. */
export function sortKeyEn(s: string): string {
  return fold(s.toLocaleLowerCase('en').normalize('NFC')).replace(/æ/g, 'ae').replace(/ø/g, 'o');
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
  const base = `${p.givenName} ${p.familyName} ${p.employeeId} ${p.email ?? ''}`.toLocaleLowerCase('sv');
  const folded = fold(base);
  return folded === base ? base.trim() : `${base} ${folded}`.trim();
}

/** What a search string is matched with: lower-cased, like the stored search text. */
export function normaliseQuery(q: string): string {
  return q.trim().toLocaleLowerCase('sv').replace(/\s+/g, ' ');
}

export function personDerived(p: {
  givenName: string;
  familyName: string;
  employeeId: string;
  email?: string | null;
}) {
  return { ...personSortKeys(p), searchText: personSearchText(p) };
}
