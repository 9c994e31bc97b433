import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../server/platform/policy.ts';
import en from '../../i18n/en.json';
import sv from '../../i18n/sv.json';
import {
  AUDIT_ACTIONS,
  actionGroup,
  actionLabel,
  actionOptions,
  ENTITY_TYPES,
  entityTypeOptions,
  fieldLabel,
  filterByLabelOrCode,
  objectName,
  refusalText,
} from './auditLabels.ts';

const i18n = i18next.createInstance();
beforeAll(async () => {
  // As the app does (src/web/i18n/index.ts): React escapes what it renders.
  await i18n.init({
    resources: { sv: { translation: sv }, en: { translation: en } },
    lng: 'sv',
    interpolation: { escapeValue: false },
  });
});

const SERVER = join(import.meta.dirname, '../../../server');
function serverSources(dir = SERVER): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? serverSources(join(dir, d.name))
      : d.name.endsWith('.ts') && !d.name.endsWith('.test.ts')
        ? [join(dir, d.name)]
        : [],
  );
}
const CODE = /'([a-z][a-z_-]*(?:\.[a-z][a-z_-]*)+)'/g;

/**
 * The action codes the server records: each `action: '…'` of an audit input (not a type union of
 * policy actions), and the code passed to a service's own audit helper (`audit(…)`, `audited(…)`,
 * `transition(…)`), which comes first among its string arguments.
 */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  for (const file of serverSources()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baction: ([^\n]*)/g))
      if (!m[1].includes('|')) for (const c of m[1].matchAll(CODE)) found.add(c[1]);
    if (file.endsWith('.service.ts'))
      for (const m of text.matchAll(/\b(?:await audit|audited|transition)\(([^;]{0,300})/g)) {
        const first = m[1].match(CODE);
        if (first) found.add(first[0].slice(1, -1));
      }
  }
  return found;
}

describe('the audit log in words', () => {
  it('has a label, in English and Swedish, for every action the server records, and no other', () => {
    const recorded = recordedActions();
    expect(recorded.size).toBeGreaterThan(90);
    expect([...recorded].filter((c) => !AUDIT_ACTIONS.includes(c)).sort()).toEqual([]);
    expect(AUDIT_ACTIONS.filter((c) => !recorded.has(c)).sort()).toEqual([]);
    for (const lang of ['en', 'sv'])
      for (const c of AUDIT_ACTIONS) {
        const label = i18n.t(`audit.action.${c.split('.').join('/')}`, { lng: lang });
        expect(label, `${lang}: ${c}`).not.toMatch(/^audit\.action\./);
        expect(label, `${lang}: ${c}`).not.toBe(c);
      }
  });

  it('words a code in the UI language and shows an unknown code as it is', () => {
    const t = i18n.getFixedT('sv');
    expect(actionLabel(t, 'order.fulfil')).toBe('Beställning utförd');
    expect(actionLabel(t, 'auth.sign-in')).toBe('Inloggning');
    expect(actionLabel(t, 'auth.sign-in.failed')).toBe('Misslyckad inloggning');
    expect(actionLabel(t, 'plan.approve')).toBe('Plan fastställd');
    expect(actionLabel(t, 'something.new')).toBe('something.new');
    expect(actionLabel(i18n.getFixedT('en'), 'account.locale')).toBe('Language changed');
  });

  it('offers every action in the filter, grouped, and finds one by label or by code', () => {
    const t = i18n.getFixedT('sv');
    const options = actionOptions(t);
    const values = options.flatMap((o) => ('group' in o ? o.items.map((i) => i.value) : [o.value]));
    expect(values.sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(AUDIT_ACTIONS.filter((c) => actionGroup(c) === 'other')).toEqual([]);
    const search = (q: string) =>
      filterByLabelOrCode({ options, search: q, limit: Infinity }).flatMap((o) =>
        'group' in o ? o.items.map((i) => i.value) : [o.value],
      );
    expect(search('utförd')).toEqual(expect.arrayContaining(['order.fulfil', 'order.fulfil-revocation']));
    expect(search('order.take')).toEqual(['order.take']);
    // A prefix kept in an old link stays choosable, saying what it does.
    expect(actionOptions(t, 'person.')[0]).toEqual({ value: 'person.', label: 'Som börjar med ”person.”' });
  });

  it('offers the object types by their names', () => {
    const options = entityTypeOptions(i18n.getFixedT('sv'));
    expect(options.map((o) => o.value).sort()).toEqual([...ENTITY_TYPES].sort());
    expect(options.find((o) => o.value === 'order')?.label).toBe('Beställning');
  });

  it('names an object by its name today, else by the name in the event, else by a readable id', () => {
    const id = '6f0c2a52-3f55-4a4e-9d8c-2f1b4c1e7a10';
    expect(objectName({ entityType: 'order', entityId: id, entityLabel: '48' })).toBe('48');
    expect(
      objectName({ entityType: 'dependency', entityId: id, before: { id, name: 'Old name' }, after: null }),
    ).toBe('Old name');
    // A name in the event that is not the object's own (a module of a system) is not the object's.
    expect(
      objectName({ entityType: 'system', entityId: id, after: { id: 'x', name: 'Booking' } }),
    ).toBeNull();
    expect(objectName({ entityType: 'import', entityId: 'hr-2026.csv' })).toBe('hr-2026.csv');
    expect(objectName({ entityType: 'person', entityId: id })).toBeNull();
  });

  it('calls a recorded field as the screens do, else spells out its code', () => {
    const sv = i18n.getFixedT('sv');
    const exists = (k: string) => i18n.exists(k, { lng: 'sv' });
    expect(fieldLabel(sv, exists, 'person', 'givenName')).toBe('Förnamn');
    expect(fieldLabel(sv, exists, 'system', 'vendor')).toBe(i18n.t('system.field.vendor', { lng: 'sv' }));
    // Another kind's label when its own screens have none.
    expect(fieldLabel(sv, exists, 'role_assignment', 'validUntil')).toBe(
      i18n.t('governance.col.validUntil', { lng: 'sv' }),
    );
    expect(fieldLabel(sv, exists, 'person', 'primaryUnitId')).toBe('Primary unit id');
    expect(fieldLabel(sv, exists, 'import', 'rows_skipped')).toBe('Rows skipped');
  });

  it('says a refusal as what was tried, for every action of the policy, with the request it came from', () => {
    const refused = (lang: { audit: { refused: Record<string, string> } }) =>
      Object.keys(lang.audit.refused)
        .map((k) => k.split('/').join('.'))
        .sort();
    expect(refused(en)).toEqual([...ACTIONS].sort());
    expect(refused(sv)).toEqual([...ACTIONS].sort());
    const event = {
      entityType: 'policy',
      entityId: 'security.read',
      after: { action: 'security.read', method: 'GET', url: '/api/v1/systems/abc/security' },
    };
    expect(refusalText(i18n.getFixedT('sv'), event)).toEqual({
      text: 'Försök att läsa ett systems säkerhetsuppgifter',
      request: 'GET /api/v1/systems/abc/security',
    });
    expect(refusalText(i18n.getFixedT('en'), { ...event, after: null })).toEqual({
      text: "Attempt to read a system's security records",
      request: null,
    });
    expect(refusalText(i18n.getFixedT('en'), { entityType: 'person', entityId: 'x' })).toBeNull();
  });
});
