// Words for the audit log: an event's action code as a label, its object as something a person
// recognises. The codes stay what the server records; only how they are shown changes.
import type { ComboboxItem, ComboboxParsedItem, OptionsFilter } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { AuditEvent } from '../../api/types.ts';
import en from '../../i18n/en.json';

/** An audit event as the API answers it, with the name of its object when it still exists. */
export type AuditRow = AuditEvent & { entityLabel?: string | null };

/** What an event says about its object. */
export type AuditObject = Pick<AuditRow, 'entityType' | 'entityId'> &
  Partial<Pick<AuditRow, 'entityLabel' | 'before' | 'after'>>;

/**
 * The translation key of an action code's label. Codes are dotted (`auth.sign-in.failed`), and dots
 * in a key would nest (`auth.sign-in` could not be both a label and a parent), so the dots of the code
 * are slashes in the key: `audit.action.auth/sign-in/failed`.
 */
export const actionKey = (code: string) => `audit.action.${code.split('.').join('/')}`;

/** Every action code the server records (each has a label in en.json and sv.json). */
export const AUDIT_ACTIONS: readonly string[] = Object.keys(en.audit.action).map((k) =>
  k.split('/').join('.'),
);
const KNOWN_ACTIONS = new Set(AUDIT_ACTIONS);
export const isKnownAction = (code: string) => KNOWN_ACTIONS.has(code);

/** An action's label in the UI language; an unknown code is shown as it is. */
export const actionLabel = (t: TFunction, code: string) => t(actionKey(code), { defaultValue: code });

/** The object types the server records, each with a label under `entity`. */
export const ENTITY_TYPES: readonly string[] = Object.keys(en.entity);

export const entityTypeLabel = (t: TFunction, type: string) =>
  t(`entity.${type}`, { defaultValue: type.replace(/_/g, ' ') });

export type ActionGroup = keyof typeof en.audit.actionGroup;

/** The part of Steward an action belongs to, by the first part of its code (groups the filter's list). */
const GROUP_OF: Record<string, ActionGroup> = {
  order: 'access',
  'order-form': 'access',
  orderer: 'access',
  'expert-user': 'access',
  fulfiller: 'access',
  permission: 'access',
  grant: 'access',
  person: 'people',
  org_unit: 'people',
  'identity-editor': 'people',
  import: 'people',
  absence: 'people',
  auth: 'accounts',
  authz: 'accounts',
  account: 'accounts',
  token: 'accounts',
  system: 'systems',
  governance_object: 'systems',
  dependency: 'systems',
  integration: 'systems',
  maintenance: 'maintenance',
  'system-message': 'maintenance',
  plan: 'plans',
  checklist: 'plans',
  software: 'licences',
  licence: 'licences',
  'licence-key': 'licences',
  'licence-alert': 'licences',
  pool: 'licences',
  coordinator: 'licences',
  procurement: 'licences',
  announcement: 'licences',
};
export const actionGroup = (code: string): ActionGroup =>
  Object.hasOwn(GROUP_OF, code.split('.')[0]) ? GROUP_OF[code.split('.')[0]] : 'other';

const byLabel = (a: ComboboxItem, b: ComboboxItem) => a.label.localeCompare(b.label);

/**
 * The choices of the event filter: every labelled action, grouped by part of Steward, in label order.
 * A value that is no known code (a kind like `person.` kept in a link) is offered as what it does.
 */
export function actionOptions(t: TFunction, current?: string) {
  const groups = Object.keys(en.audit.actionGroup) as ActionGroup[];
  const options: ({ group: string; items: ComboboxItem[] } | ComboboxItem)[] = [];
  // The API takes a value ending in a dot as a kind (all its codes), anything else as one code.
  if (current && !isKnownAction(current))
    options.push({
      value: current,
      label: current.endsWith('.') ? t('audit.filter.actionPrefix', { prefix: current }) : current,
    });
  for (const g of groups) {
    const items = AUDIT_ACTIONS.filter((c) => actionGroup(c) === g)
      .map((c) => ({ value: c, label: actionLabel(t, c) }))
      .sort(byLabel);
    if (items.length) options.push({ group: t(`audit.actionGroup.${g}`), items });
  }
  return options;
}

/** The choices of the object-type filter, translated, in label order. */
export function entityTypeOptions(t: TFunction, current?: string): ComboboxItem[] {
  const types = current && !ENTITY_TYPES.includes(current) ? [...ENTITY_TYPES, current] : ENTITY_TYPES;
  return types.map((type) => ({ value: type, label: entityTypeLabel(t, type) })).sort(byLabel);
}

/** Search finds an action by its label or by its code. */
export const filterByLabelOrCode: OptionsFilter = ({ options, search }) => {
  const q = search.trim().toLocaleLowerCase();
  if (!q) return options;
  const hit = (o: ComboboxItem) =>
    o.label.toLocaleLowerCase().includes(q) || String(o.value).toLocaleLowerCase().includes(q);
  return options.flatMap((o): ComboboxParsedItem[] => {
    if (!('group' in o)) return hit(o) ? [o] : [];
    const items = o.items.filter(hit);
    return items.length ? [{ ...o, items }] : [];
  });
};

/** Where the screens of each kind of object keep their field labels, most specific first. */
const FIELD_LABELS: Record<string, readonly string[]> = {
  person: ['person'],
  org_unit: ['units.col', 'units'],
  account: ['account'],
  system: ['system.field'],
  governance_object: ['governance', 'governance.col'],
  plan: ['plans.field'],
  order: ['access.col'],
  grant: ['access.col'],
  licence_pool: ['pools.col', 'pools'],
  software_title: ['software.col'],
  licence_assignment: ['software.col'],
};
const ANY_FIELD_LABELS = [
  'system.field',
  'person',
  'plans.field',
  'governance.col',
  'access.col',
  'software.col',
];

/**
 * A recorded field's name as the screens call it (`givenName` is "Förnamn"), looked up where that
 * kind of object keeps its labels and then where others do; a name no screen shows is spelled out
 * from its code (`validUntil`: "Valid until").
 */
export function fieldLabel(t: TFunction, exists: (key: string) => boolean, entityType: string, key: string) {
  for (const ns of [...(FIELD_LABELS[entityType] ?? []), ...ANY_FIELD_LABELS]) {
    const k = `${ns}.${key}`;
    if (exists(k)) {
      const label = t(k);
      if (typeof label === 'string' && !label.includes('{{')) return label;
    }
  }
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A refusal (`authz.denied`) records the policy action refused as its object: said as what was tried
 * ("Attempt to edit a person"), with the request it came from (method and path).
 */
export function refusalText(t: TFunction, e: AuditObject) {
  if (e.entityType !== 'policy' || !e.entityId) return null;
  const what = t(`audit.refused.${e.entityId.split('.').join('/')}`, { defaultValue: e.entityId });
  const request = isRecord(e.after) && typeof e.after.url === 'string' ? e.after : null;
  return {
    text: t('audit.refusedTo', { what }),
    request: request ? `${String(request.method ?? '')} ${request.url}`.trim() : null,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The name a record gives itself, if any. */
function nameIn(v: Record<string, unknown>): string | null {
  for (const k of ['name', 'title', 'softwareName', 'subject', 'username'])
    if (typeof v[k] === 'string' && v[k]) return v[k] as string;
  if (typeof v.givenName === 'string' && typeof v.familyName === 'string')
    return `${v.givenName} ${v.familyName}`;
  return null;
}

/**
 * What the event's object is called: its name today (from the API); else the name in the event's own
 * record of it (an object since removed); else an id that is itself readable (an import's file name,
 * a year). Null when all there is is a uuid.
 */
export function objectName(e: AuditObject): string | null {
  if (e.entityLabel) return e.entityLabel;
  if (!e.entityId) return null;
  for (const v of [e.after, e.before])
    if (isRecord(v) && v.id === e.entityId) {
      const name = nameIn(v);
      if (name) return name;
    }
  return UUID.test(e.entityId) ? null : e.entityId;
}
