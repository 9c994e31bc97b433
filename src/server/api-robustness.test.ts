// Robustness of the whole API: every operation of the app's own OpenAPI document is sent malformed
// requests by an administrator (bad path ids, wrong query values, bodies of the wrong shape, every declared
// body property set to a wrong type or an edge value, bad If-Match and Idempotency-Key headers). Each answer
// must be below 500, and a 4xx must be problem+json with a title (ARCHITECTURE.md: bad input is a clear
// 4xx, never a 500); and after all the writes every read is tried once
// more, so that a value stored by a case but unreadable afterwards shows too. The cases are generated from
// the document, deterministically (a fixed-seed generator), against the demo data, so that ids in paths and
// bodies refer to real rows and a case reaches the database. One run lists every finding: (method, path,
// case, status, URL, body excerpt).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from './db/client.ts';
import { assignRole } from './modules/systems/governance.service.ts';
import { systemActor } from './platform/context.ts';
import { seedDemo } from './seed/demo.ts';
import { Client, createTestApp, signedIn, type TestApp } from './testing/http.ts';

type Schema = Record<string, any>;
type Operation = {
  method: string;
  path: string; // the template, as the document names it
  summary: string;
  params: { name: string; in: string; required?: boolean; schema: Schema }[];
  body?: Schema;
  index: number;
};
type Case = {
  name: string;
  url: string;
  payload?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
};
type Finding = { method: string; path: string; case: string; url: string; status: number; body: string };

const API = '/api/v1';
const MISSING_UUID = '00000000-0000-4000-8000-000000000000';
/** The name of the administrator's API token that sends the cases. */
const ADMIN_TOKEN = 'robustness run';

/** A deterministic generator (mulberry32), so that "random" long strings are the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(2026);
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Incompressible text: a long value that PostgreSQL cannot squeeze under an index's row size limit. */
const noise = (n: number) => Array.from({ length: n }, () => ALPHABET[Math.floor(rand() * 62)]).join('');
const LONG = noise(10_001);

// ---- the document's schemas ----------------------------------------------------------------------

let components: Record<string, Schema> = {};
function deref(s: Schema | undefined): Schema {
  let out = s ?? {};
  for (let i = 0; i < 10 && typeof out.$ref === 'string'; i++)
    out = components[out.$ref.replace('#/components/schemas/', '')] ?? {};
  return out;
}
/** The schema without its `null` branch (a nullable field is tried with its real type). */
function main(s: Schema | undefined): Schema {
  const d = deref(s);
  const branches = (d.anyOf ?? d.oneOf) as Schema[] | undefined;
  if (!branches) return d;
  const real = branches.map(deref).filter((b) => b.type !== 'null');
  return real[0] ?? {};
}
const typeOf = (s: Schema): string =>
  Array.isArray(s.type)
    ? s.type.find((t: string) => t !== 'null')
    : (s.type ?? (s.properties ? 'object' : ''));

// ---- valid values (the base a case changes one thing of) -----------------------------------------

let ids: Record<string, string> = {};
let moduleName = 'robust';
let serial = 0;

/** A real row's id for a property or parameter, guessed from its name. */
function idFor(name: string): string {
  const n = name.toLowerCase();
  const pick = (k: string) => ids[k] ?? MISSING_UUID;
  if (n.includes('person') || n === 'actorpersonid') return pick('person');
  if (n.includes('unit')) return pick('unit');
  if (n.includes('governance') || n === 'objectid') return pick('governanceObject');
  if (n.includes('permission')) return pick('permission');
  if (n.includes('grant')) return pick('grant');
  if (n.includes('integration')) return pick('integration');
  if (n.includes('pool')) return pick('pool');
  if (n.includes('title') || n.includes('software')) return pick('software');
  if (n.includes('account')) return pick('account');
  if (n.includes('key')) return pick('key');
  if (n.includes('target') || n.startsWith('to')) return pick('otherSystem');
  if (n.includes('system') || n.includes('source')) return pick('system');
  return MISSING_UUID;
}

/** A date for a field: an end after a start, a start ahead of "today" (2026-11-22), anything else behind it. */
function dateFor(name: string): string {
  if (/end|until|last|^to$|due/i.test(name)) return '2026-12-31';
  if (/start|from|first|begin|shown/i.test(name)) return '2026-12-01';
  return '2026-11-20';
}

function validString(s: Schema, name: string): string {
  if (Array.isArray(s.enum)) return String(s.enum[0]);
  if (s.format === 'uuid') return idFor(name);
  if (s.format === 'date') return dateFor(name);
  if (s.format === 'date-time') return `${dateFor(name)}T10:00:00Z`;
  if (s.format === 'email') return `robust${++serial}@example.org`;
  if (s.format === 'uri') return 'https://example.org/robust';
  serial += 1;
  const candidates = [`robust${serial}`, `robust_${serial}`, '11-01', '40', '12500.50', 'Robust test'];
  // Prose where prose is expected (some messages must be in a language the server recognises).
  if (/text|message|description|summary|body|note|comment|reason|purpose|justification|title/i.test(name))
    candidates.unshift(`The service is down for planned maintenance this evening (${serial}).`);
  const re = s.pattern ? new RegExp(s.pattern) : undefined;
  for (const c of candidates) {
    const v = s.minLength && c.length < s.minLength ? c.padEnd(s.minLength, 'x') : c;
    if ((!re || re.test(v)) && (!s.maxLength || v.length <= s.maxLength)) return v;
  }
  return candidates[0];
}

function validValue(schema: Schema | undefined, name = '', depth = 0): unknown {
  const s = main(schema);
  if (s.default !== undefined && depth > 0) return s.default;
  switch (typeOf(s)) {
    case 'string':
      return validString(s, name);
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      return Math.min(Math.max(min, 1), s.maximum ?? 1);
    }
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => validValue(s.items, name, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of (s.required ?? []) as string[])
        out[k] = validValue(s.properties?.[k], k, depth + 1) ?? validString({}, k);
      return out;
    }
    default:
      return 'robust';
  }
}

// ---- wrong values ------------------------------------------------------------------------------

const DATE_EDGES = ['2026-02-30', '0000-01-01', '9999-12-31'];
const TIME_EDGES = ['2026-02-30T10:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z'];

/** What a string is: the cases that matter differ (an enum refuses any other word, a date its edges). */
function stringKind(s: Schema): 'enum' | 'uuid' | 'date' | 'date-time' | 'text' {
  if (Array.isArray(s.enum)) return 'enum';
  if (s.format === 'uuid' || s.format === 'date' || s.format === 'date-time') return s.format;
  return 'text';
}

/**
 * Values a property of this schema should refuse, or take without a 500: null, another type, and the
 * edges of its own type (a value a limit does not stop is tried at the database's limits).
 */
function wrongValues(schema: Schema | undefined, name: string): [string, unknown][] {
  const s = main(schema);
  const t = typeOf(s);
  // Every property: null (the wrong type, or a value to store where it is nullable) and an object.
  const out: [string, unknown][] = [
    ['null', null],
    ['an object', { nested: 'x' }],
  ];
  if (t === 'string' || t === '') {
    out.push(
      ['a number', 123],
      ['empty', ''],
      ['10,001 characters', LONG],
      ['a NUL character', 'a\u0000b'],
      ['Feb 30th', '2026-02-30'],
    );
    const kind = stringKind(s);
    if (kind === 'enum') out.push(['not in the enum', 'nope']);
    if (kind === 'uuid') out.push(['not a uuid', 'not-a-uuid'], ['a uuid of nothing', MISSING_UUID]);
    if (kind === 'date') for (const d of DATE_EDGES.slice(1)) out.push([`date ${d}`, d]);
    if (kind === 'date-time') for (const d of TIME_EDGES) out.push([`time ${d}`, d]);
    if (kind === 'text') {
      out.push(['blank', '   ']);
      // A pattern may stand for a number or a date written as text.
      if (s.pattern) out.push(['40 digits', '9'.repeat(40)], ['month-day 02-30', '02-30']);
      if (s.maxLength && s.maxLength > 100)
        out.push([`exactly ${s.maxLength} characters`, noise(s.maxLength)]);
    }
    if (t === '') out.push(['an array', ['x']], ['-2^31-1', -2147483649]);
  }
  if (t === 'integer' || t === 'number') {
    out.push(['a numeric string', '1'], ['a fraction', 1.5], ['negative', -1]);
    if (typeof s.maximum === 'number' && s.maximum < 2 ** 31) out.push(['maximum + 1', s.maximum + 1]);
    else out.push(['2^31', 2147483648], ['2^53', 2 ** 53], ['1e300', 1e300]);
    if (typeof s.maximum === 'number') out.push(['maximum', s.maximum]);
    if (typeof s.minimum === 'number' && s.minimum > -(2 ** 31)) out.push(['minimum - 1', s.minimum - 1]);
    else out.push(['-2^31-1', -2147483649]);
    if (typeof s.exclusiveMinimum === 'number') out.push(['the exclusive minimum', s.exclusiveMinimum]);
  }
  if (t === 'boolean') out.push(['a string', 'true'], ['a number', 1]);
  if (t === 'array') {
    const item = validValue(s.items, name, 1);
    const many = (s.maxItems ?? 1000) + 1;
    out.push(
      ['a string', 'x'],
      ['empty', []],
      ['[null]', [null]],
      ['a duplicate item', [item, item]],
      [`${many} items`, Array.from({ length: many }, () => item)],
    );
  }
  if (t === 'object') out.push(['a string', 'x'], ['an array', []]);
  return out;
}

/** Every place in a body a case can change: [path, schema], properties first, then nested ones. */
function slots(
  schema: Schema | undefined,
  path: (string | number)[] = [],
  depth = 0,
): [(string | number)[], Schema][] {
  const s = main(schema);
  const out: [(string | number)[], Schema][] = [];
  if (depth > 3) return out;
  const t = typeOf(s);
  if (t === 'object') {
    for (const [k, p] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
      out.push([[...path, k], p]);
      out.push(...slots(p, [...path, k], depth + 1));
    }
    const extra = s.additionalProperties;
    if (extra && typeof extra === 'object' && Object.keys(extra).length && !s.properties) {
      out.push([[...path, 'robustKey'], extra], [[...path, 'nul\u0000key'], extra]);
      out.push(...slots(extra, [...path, 'robustKey'], depth + 1));
    }
  } else if (t === 'array' && s.items) {
    out.push(...slots(s.items, [...path, 0], depth + 1));
  }
  return out;
}

/** The base body with `value` at `path`, containers on the way made valid. */
function setAt(
  schema: Schema | undefined,
  base: unknown,
  path: (string | number)[],
  value: unknown,
): unknown {
  if (path.length === 0) return value;
  const s = main(schema);
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(base) && base.length ? [...base] : [validValue(s.items, '', 1)];
    arr[0] = setAt(s.items, arr[0], rest, value);
    return arr;
  }
  const obj = base && typeof base === 'object' && !Array.isArray(base) ? { ...(base as object) } : {};
  const child =
    s.properties?.[head] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : {});
  const current = (obj as any)[head] ?? (rest.length ? validValue(child, head, 1) : undefined);
  (obj as any)[head] = setAt(child, current, rest, value);
  return obj;
}

// ---- the operations and their cases ---------------------------------------------------------------

function operations(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) {
    for (const [method, op] of Object.entries(item as Record<string, any>)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ''),
        params: (op.parameters ?? []).map((p: any) => ({ ...p, schema: deref(p.schema) })),
        body: op.requestBody?.content?.['application/json']?.schema,
        index: ops.length,
      });
    }
  }
  return ops;
}

/** Query values by the parameter's kind (every value of a query string is text to begin with). */
function queryValues(schema: Schema): [string, string][] {
  const t = typeOf(schema);
  const common: [string, string][] = [
    ['a word', 'abc'],
    ['10,000 characters', LONG.slice(0, 10_000)],
    ['a NUL character', 'a\u0000b'],
  ];
  if (t === 'integer' || t === 'number')
    return [
      ...common,
      ['empty', ''],
      ['negative', '-1'],
      ['a fraction', '1.5'],
      ['2^31', '2147483648'],
      ['2^53+1', '9007199254740993'],
      ['1e400', '1e400'],
    ];
  switch (stringKind(schema)) {
    case 'enum':
      return [...common, ['empty', '']];
    case 'uuid':
      return [...common, ['the max uuid', 'ffffffff-ffff-ffff-ffff-ffffffffffff']];
    case 'date':
    case 'date-time':
      return [...common, ...DATE_EDGES.map((d): [string, string] => [`date ${d}`, d])];
    default:
      // A parameter without a declared type (a union the document cannot say) gets dates and numbers too.
      return [
        ...common,
        ['empty', ''],
        ['LIKE wildcards', '%_\\'],
        ...(t === '' ? DATE_EDGES.map((d): [string, string] => [`date ${d}`, d]) : []),
        ...(t === ''
          ? ([
              ['negative', '-1'],
              ['2^53+1', '9007199254740993'],
            ] as [string, string][])
          : []),
      ];
  }
}

/** Marks a value that goes into the URL as it is, not percent-encoded. */
const RAW = '\u0001raw:';
const encode = (v: string) => (v.startsWith(RAW) ? v.slice(RAW.length) : encodeURIComponent(v));

function pathCases(params: Operation['params']): [string, string, string][] {
  const out: [string, string, string][] = [];
  params
    .filter((x) => x.in === 'path')
    .forEach((p, i) => {
      const t = typeOf(p.schema);
      const values: [string, string][] = [
        ['not a uuid', 'not-a-uuid'],
        ['a uuid of nothing', MISSING_UUID],
      ];
      if (p.schema.format !== 'uuid') values.push(['a NUL character', 'a\u0000b']);
      if (t === 'integer')
        values.push(['negative', '-1'], ['2^31', '2147483648'], ['2^53+1', '9007199254740993']);
      // Fastify refuses these two before routing, so once per operation is enough.
      if (i === 0)
        values.push(['2,000 characters', LONG.slice(0, 2000)], ['bad percent-encoding', `${RAW}%E0%A4%A`]);
      for (const [label, v] of values) out.push([p.name, `path ${p.name}: ${label}`, v]);
    });
  return out;
}

function buildUrl(template: string, pathValues: Record<string, string>, query: [string, string][]) {
  const path = template.replace(/\{(\w+)\}/g, (_, name) => encode(pathValues[name] ?? MISSING_UUID));
  const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encode(v)}`).join('&');
  return qs ? `${path}?${qs}` : path;
}

/** A Backstage catalog: a system (a governance object owned by Central IT) and a component in it. */
const CATALOG = (name: string, extra = '') =>
  [
    'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: robust-object\nspec:\n  owner: group:default/it\n',
    `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n${extra}spec:\n  type: service\n  lifecycle: production\n  owner: group:default/it\n  system: robust-object\n`,
  ].join('---\n');
const TEXTS: [string, string][] = [
  ['a NUL character', 'a\u0000b'],
  ['a YAML \\0 escape', CATALOG('"robust\\0x"')],
  ['a YAML name of 10,001 characters', CATALOG(LONG)],
  ['a YAML description with \\0', CATALOG('robust-yaml', '  description: "a\\0b"\n')],
  ['YAML nested 5,000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  [
    'YAML aliases',
    `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n`,
  ],
  ['not YAML', '{{{: : :'],
];
const csvHeader =
  'employee_id,given_name,family_name,email,unit_code,unit_name,parent_unit_code,unit_kind,title,head\n';
const UPLOADS: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['binary noise', Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256)))],
  [
    'a CSV with a NUL character',
    Buffer.from(`${csvHeader}E1,A\u0000b,B,a@example.org,NU,Norrviken University,,organisation,,\n`),
  ],
  [
    'a CSV with a field of 10,001 characters',
    Buffer.from(`${csvHeader}E2,${LONG},B,b@example.org,NU,Norrviken University,,organisation,,\n`),
  ],
  ['a CSV with an unclosed quote', Buffer.from(`${csvHeader}"E3,A,B\n`)],
  ['a fake XLSX', Buffer.from('PK\u0003\u0004robust')],
];
function multipart(content: Buffer): { payload: Buffer; contentType: string } {
  const b = 'robustboundary7MA4YWxkTrZu0gW';
  const head = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="robust.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${b}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${b}`,
  };
}

/** A few creates need more than their required fields to get past their rules to the database. */
function moreOf(operation: string): Record<string, unknown> {
  const more: Record<string, Record<string, unknown>> = {
    'POST /api/v1/orders': { permissionId: ids.permission, unitIds: [ids.unit] },
    'POST /api/v1/licence-pools': { module: moduleName },
    'POST /api/v1/systems/{id}/system-messages': {
      textEn: 'The service is down for maintenance this evening.',
    },
  };
  return more[operation] ?? {};
}

function casesOf(op: Operation, pathValues: Record<string, string>): Case[] {
  const cases: Case[] = [];
  const query = op.params.filter((p) => p.in === 'query');
  const baseQuery: [string, string][] = query
    .filter((p) => p.required)
    .map((p) => [p.name, String(validValue(p.schema, p.name))]);
  const url = (pv = pathValues, q = baseQuery) => buildUrl(op.path, pv, q);
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(op.method);
  const base = op.body
    ? { ...(validValue(op.body) as object), ...moreOf(`${op.method} ${op.path}`) }
    : hasBody
      ? {}
      : undefined;
  const json = (v: unknown) => ({ payload: JSON.stringify(v), contentType: 'application/json' });
  const withBase = base === undefined ? {} : json(base);

  cases.push({ name: 'valid-looking request', url: url(), ...withBase });
  for (const [name, label, v] of pathCases(op.params))
    cases.push({ name: label, url: url({ ...pathValues, [name]: v }), ...withBase });

  for (const p of query) {
    const others = baseQuery.filter(([k]) => k !== p.name);
    const valid = String(validValue(p.schema, p.name));
    cases.push({ name: `query ${p.name}: valid`, url: url(pathValues, [...others, [p.name, valid]]) });
    for (const [label, v] of queryValues(p.schema))
      cases.push({ name: `query ${p.name}: ${label}`, url: url(pathValues, [...others, [p.name, v]]) });
    cases.push({
      name: `query ${p.name}: given twice`,
      url: url(pathValues, [...others, [p.name, valid], [p.name, valid]]),
    });
  }
  if (query.length)
    cases.push({
      name: `query ${query[0].name}: bad percent-encoding`,
      url: url(pathValues, [
        ...baseQuery.filter(([k]) => k !== query[0].name),
        [query[0].name, `${RAW}%E0%A4%A`],
      ]),
    });

  if (hasBody) {
    cases.push({ name: 'body: empty', url: url(), payload: '', contentType: 'application/json' });
    cases.push({ name: 'body: null', url: url(), ...json(null) });
    cases.push({ name: 'body: an array', url: url(), ...json([base]) });
    cases.push({ name: 'body: a JSON string', url: url(), ...json('robust') });
    cases.push({
      name: 'body: malformed JSON',
      url: url(),
      payload: '{"a": ',
      contentType: 'application/json',
    });
    cases.push({ name: 'body: text/plain', url: url(), payload: 'robust', contentType: 'text/plain' });
    cases.push({
      name: 'body: an unknown extra property',
      url: url(),
      ...json({ ...(base && typeof base === 'object' ? base : {}), robustUnknown: 'x' }),
    });
    // What the document says of a body it has no schema for: an upload (multipart field "file") or a
    // text document (a YAML catalog). Those come malformed too.
    if (!op.body && /multipart/i.test(op.summary))
      for (const [label, content] of UPLOADS)
        cases.push({ name: `multipart file: ${label}`, url: url(), ...multipart(content) });
    if (!op.body && /yaml|text\/plain/i.test(op.summary))
      for (const [label, text] of TEXTS)
        cases.push({ name: `text: ${label}`, url: url(), payload: text, contentType: 'text/plain' });
    for (const [path, schema] of slots(op.body)) {
      const at = path.join('.');
      for (const [label, v] of wrongValues(schema, String(path[path.length - 1])))
        cases.push({ name: `body ${at}: ${label}`, url: url(), ...json(setAt(op.body, base, path, v)) });
    }
  }

  if (op.method === 'PATCH' || op.method === 'PUT') {
    for (const [label, v] of [
      ['a strong tag that is no version', '"abc"'],
      ['a version beyond int4', 'W/"99999999999999999999"'],
      ['a list of tags', 'W/"1", W/"2"'],
      ['2,000 characters', LONG.slice(0, 2000)],
    ])
      cases.push({ name: `If-Match: ${label}`, url: url(), ...withBase, headers: { 'if-match': v } });
  }
  if (op.method === 'POST') {
    cases.push({
      name: 'Idempotency-Key: 300 characters',
      url: url(),
      ...withBase,
      headers: { 'idempotency-key': 'k'.repeat(300) },
    });
  }
  return cases;
}

// ---- real rows for the path parameters ----------------------------------------------------------

/**
 * Which row each path template is tried on: a query returning the template's parameters by name (`id`
 * stands for the first one), and `_v`, the version If-Match names. The first template that matches wins.
 * Actions pick a row in the state they act on, so a case gets past the state check to the write.
 */
const ROWS: [RegExp, string][] = [
  [
    /^\/me\/tokens\/\{id\}/,
    `select id from api_tokens where account_id = :admin and name <> '${ADMIN_TOKEN}' order by name limit 1`,
  ],
  [/^\/accounts\/\{id\}/, `select id, version as "_v" from accounts where username = 'erik'`],
  [/^\/org-units\/\{id\}/, `select id, version as "_v" from org_units where code = 'SCI-CS'`],
  [/^\/identity-editors\/\{id\}/, `select id from org_identity_editors where ended_at is null limit 1`],
  [
    /^\/persons\/\{id\}/,
    `select p.id, p.version as "_v" from persons p where p.status = 'active'
       and not exists (select 1 from accounts a where a.person_id = p.id)
       and not exists (select 1 from org_units u where u.head_person_id = p.id)
     order by p.employee_id offset 20 limit 1`,
  ],
  [
    /^\/systems\/\{id\}\/vulnerabilities\/\{recordId\}/,
    `select system_id as id, id as "recordId", version as "_v" from system_vulnerabilities order by title limit 1`,
  ],
  [
    /^\/systems\/\{id\}\/firewall-rules\/\{recordId\}/,
    `select system_id as id, id as "recordId" from system_firewall_rules order by justification limit 1`,
  ],
  [
    /^\/systems\/\{id\}\/fulfillers\/\{subId\}/,
    `select system_id as id, id as "subId" from access_fulfillers limit 1`,
  ],
  [
    /^\/systems\/\{id\}\/order-form/,
    `select s.id, coalesce(f.version, 0) as "_v" from systems s join access_order_forms f on f.system_id = s.id
     order by s.short_name limit 1`,
  ],
  [
    /^\/systems\/\{\w+\}/,
    `select s.id, s.version as "_v" from systems s
     order by (select count(*) from access_permissions p where p.system_id = s.id) desc, s.short_name limit 1`,
  ],
  [
    /^\/governance-objects\/\{id\}\/roles\/\{assignmentId\}/,
    `select object_id as id, id as "assignmentId", version as "_v" from role_assignments
     where valid_until is null order by role, valid_from limit 1`,
  ],
  [
    /^\/governance-objects\/\{id\}/,
    `select id, version as "_v" from governance_objects order by name limit 1`,
  ],
  [/^\/dependencies\/\{id\}/, `select id from system_dependencies order by created_at limit 1`],
  [
    /^\/integrations\/\{id\}\/contracts\/\{version\}\/consent/,
    `select integration_id as id, version from information_contracts order by (status = 'proposed') desc limit 1`,
  ],
  [
    /^\/integrations\/\{id\}\/contracts\/\{version\}/,
    `select integration_id as id, version from information_contracts order by version desc limit 1`,
  ],
  [/^\/integrations\/\{id\}/, `select id from integrations order by name limit 1`],
  [
    /^\/software\/\{id\}\/seat-pools\/\{unitId\}/,
    `select title_id as id, unit_id as "unitId" from software_seat_pools limit 1`,
  ],
  [/^\/software\/\{id\}/, `select id, version as "_v" from software_titles order by name limit 1`],
  [/^\/licence-keys\/\{id\}/, `select id from licence_keys limit 1`],
  [
    /^\/licence-assignments\/\{id\}/,
    `select id from licence_assignments where cancelled_at is null order by assigned_at limit 1`,
  ],
  [
    /^\/procurement-requests\/\{id\}/,
    `select id from procurement_requests order by (status = 'open') desc limit 1`,
  ],
  [
    /^\/licence-pools\/\{id\}\/changes\/\{changeId\}/,
    `select pool_id as id, id as "changeId" from licence_pool_changes order by (status = 'prepared') desc limit 1`,
  ],
  [/^\/licence-pools\/\{id\}/, `select id, version as "_v" from licence_pools order by module_name limit 1`],
  [/^\/permissions\/\{id\}/, `select id, version as "_v" from access_permissions order by name limit 1`],
  [/^\/grants\/\{id\}/, `select id from access_grants order by created_at limit 1`],
  [/^\/orderers\/\{id\}/, `select id from access_orderers limit 1`],
  [/^\/expert-users\/\{id\}/, `select id from access_expert_users limit 1`],
  [
    /^\/orders\/\{id\}\/(submit|cancel)$/,
    `select id from access_orders order by (state = 'draft') desc limit 1`,
  ],
  [
    /^\/orders\/\{id\}\/(approve|reject)$/,
    `select id from access_orders order by (state = 'awaiting_approval') desc limit 1`,
  ],
  [/^\/orders\/\{id\}\/take$/, `select id from access_orders order by (state = 'ready') desc limit 1`],
  [
    /^\/orders\/\{id\}\/fulfil$/,
    `select id from access_orders order by (state = 'in_progress') desc limit 1`,
  ],
  [/^\/orders\/\{id\}/, `select id from access_orders order by submitted_at nulls last limit 1`],
  [/^\/absences\/\{id\}/, `select id from coverage_absences where cancelled_at is null limit 1`],
  [/^\/maintenance\/\{id\}/, `select id from maintenance_events order by (state = 'done') limit 1`],
  [/^\/maintenance-items\/\{id\}/, `select id from maintenance_checklist_items order by position limit 1`],
  [/^\/system-messages\/\{id\}/, `select id from maintenance_system_messages limit 1`],
  [/^\/plans\/\{id\}/, `select id from plans order by created_at limit 1`],
  [
    /^\/plan-versions\/\{versionId\}\/(propose|activities)$|^\/plan-versions\/\{versionId\}$/,
    `select id, row_version as "_v" from plan_versions order by (state = 'draft') desc, number limit 1`,
  ],
  [
    /^\/plan-versions\/\{versionId\}\/(return|reject|approve)$/,
    `select id from plan_versions order by (state = 'proposed') desc, (state = 'draft') desc limit 1`,
  ],
  [
    /^\/plan-versions\/\{versionId\}\/sign$/,
    `select id from plan_versions order by (state = 'approved') desc limit 1`,
  ],
  [
    /^\/plan-versions\/\{versionId\}/,
    `select id from plan_versions order by (state = 'signed') desc, number limit 1`,
  ],
  [
    /^\/plan-activities\/\{activityId\}/,
    `select a.id, a.row_version as "_v" from plan_activities a join plan_versions v on v.id = a.version_id
     order by (v.state = 'draft') desc, a.position limit 1`,
  ],
];

// ---- the run ---------------------------------------------------------------------------------------

let t: TestApp;
let adm: Awaited<ReturnType<typeof signedIn>>;

/** Who sends a case: the headers that say so, for a method (a session's writes carry its CSRF token). */
type Caller = { ip: string; headers: (method: string) => Record<string, string> };
const sessionOf = (client: Client): Caller => ({
  ip: client.ip,
  headers: (method) => ({
    ...(client.cookie && { cookie: client.cookie }),
    ...(client.csrf && method !== 'GET' && { 'x-csrf-token': client.csrf }),
  }),
});
/**
 * The administrator sends the cases with an API token of their own (named, so that the token
 * operations' cases leave it alone): the same account and roles as their session, but found in
 * memory, where a session costs a database query per request (~2 ms on PGlite) and this run three
 * times as long. Nothing here differs between the two; signing in and out are tried with sessions.
 */
async function tokenOf(client: Client): Promise<Caller> {
  const res = await client.post(`${API}/me/tokens`, { name: ADMIN_TOKEN });
  if (res.statusCode !== 201) throw new Error(`no API token: ${res.body}`);
  const token = String(res.json().token);
  return { ip: client.ip, headers: () => ({ authorization: `Bearer ${token}` }) };
}
let admin: Caller;

let setupMs = 0;

beforeAll(async () => {
  const started = Date.now();
  t = await createTestApp();
  await seedDemo(t.ctx);
  adm = await signedIn(t, ['administrator'], { givenName: 'Robust', familyName: 'Admin' });
  admin = await tokenOf(adm.client);
  const one = async (q: string) =>
    ((await rows<{ id: string }>(t.ctx.db, sql.raw(q)))[0]?.id as string | undefined) ?? MISSING_UUID;
  ids = {
    person: await one(
      `select id from persons where status = 'active' order by employee_id offset 30 limit 1`,
    ),
    unit: await one(`select id from org_units where code = 'SCI-PHYS'`),
    governanceObject: await one(`select id from governance_objects order by name limit 1`),
    permission: await one(`select id from access_permissions order by name limit 1`),
    grant: await one(`select id from access_grants where ended_at is null order by created_at limit 1`),
    integration: await one(`select id from integrations order by name limit 1`),
    pool: await one(`select id from licence_pools order by module_name limit 1`),
    software: await one(`select id from software_titles order by name limit 1`),
    account: await one(`select id from accounts where username = 'anna'`),
    key: await one(`select id from licence_keys limit 1`),
    system: await one(`select id from systems order by short_name limit 1`),
    otherSystem: await one(`select id from systems order by short_name offset 1 limit 1`),
  };
  ids.software = await one(
    `select id from software_titles order by licence_model = 'seat_keys' desc, name limit 1`,
  );
  moduleName =
    (
      await rows<{ name: string }>(
        t.ctx.db,
        sql`select name from system_modules where system_id = ${ids.system} order by name limit 1`,
      )
    )[0]?.name ?? 'robust';
  // The administrator also holds every main role of every governance object, so that the plan and
  // checklist operations (which the governance roles decide, G5/G6) get past the policy to their input.
  const objects = await rows<{ id: string }>(t.ctx.db, sql`select id from governance_objects order by name`);
  for (const o of objects)
    for (const role of ['system_owner', 'it_system_owner', 'system_manager', 'it_system_manager'] as const)
      await assignRole(t.ctx, {
        actor: systemActor('robustness test setup'),
        objectId: o.id,
        input: { personId: adm.person.id, role, appointedByPersonId: adm.person.id },
      });
  setupMs = Date.now() - started;
}, 120_000);
afterAll(() => t?.close());

/** The row a template is tried on (its parameters by name), and a reader of its current version. */
async function rowFor(op: Operation) {
  const rel = op.path.slice(API.length);
  const found = ROWS.find(([re]) => re.test(rel));
  const query = found?.[1].replaceAll(':admin', `'${adm.account.id}'`);
  const run = async () =>
    query ? (await rows<Record<string, unknown>>(t.ctx.db, sql.raw(query)))[0] : undefined;
  const row = await run();
  const values: Record<string, string> = {};
  op.params
    .filter((p) => p.in === 'path')
    .forEach((p, i) => {
      const v = row?.[p.name] ?? (i === 0 ? row?.id : undefined);
      // Without a row: a valid value of the parameter's own (an enum's first, a uuid of nothing).
      values[p.name] = v === undefined || v === null ? String(validValue(p.schema, '')) : String(v);
    });
  const version = row && '_v' in row ? async () => `W/"${(await run())?._v}"` : undefined;
  return { values, version };
}

/** Operations that change the data run after the reads; deletions last, so earlier cases find their rows. */
const ORDER: Record<string, number> = { GET: 0, PUT: 1, PATCH: 1, POST: 2, DELETE: 3 };

describe('every operation of the OpenAPI document, sent malformed input by an administrator', () => {
  it('answers below 500, and every 4xx is problem+json with a title', async () => {
    const started = Date.now();
    const cpu = process.cpuUsage();
    const doc = structuredClone((t.app as any).swagger()) as any;
    components = doc.components?.schemas ?? {};
    // Nothing is skipped: no operation streams without end, and the two that would disturb the run (sign
    // in, sign out) get clients of their own below. The document leaves out only /api/openapi.json itself
    // and the /api/docs pages.
    const ops = operations(doc).sort((a, b) => ORDER[a.method] - ORDER[b.method] || a.index - b.index);
    expect(ops.length).toBeGreaterThan(150);

    const findings: Finding[] = [];
    const statuses: Record<string, number> = {};
    let sent = 0;
    /** Sends a case; a 500 or a 4xx that is not a problem with a title is a finding (no timing: tests hold none). */
    async function send(op: Operation, caller: Caller, c: Case, etag?: string) {
      const headers: Record<string, string> = {
        ...caller.headers(op.method),
        ...(c.contentType !== undefined && { 'content-type': c.contentType }),
        ...(etag && { 'if-match': etag }),
        ...c.headers,
      };
      const res = await t.app.inject({
        method: op.method as any,
        url: c.url,
        remoteAddress: caller.ip,
        headers,
        ...(c.payload !== undefined && { payload: c.payload }),
      });
      sent += 1;
      const group = `${Math.floor(res.statusCode / 100)}xx`;
      statuses[group] = (statuses[group] ?? 0) + 1;
      let bad = res.statusCode >= 500;
      if (!bad && res.statusCode >= 400) {
        let title: unknown;
        try {
          title = JSON.parse(res.body).title;
        } catch {
          title = undefined;
        }
        const type = String(res.headers['content-type'] ?? '');
        bad = !type.startsWith('application/problem+json') || typeof title !== 'string' || !title;
      }
      if (bad)
        findings.push({
          method: op.method,
          path: op.path,
          case: c.name,
          url: c.url.length > 160 ? `${c.url.slice(0, 160)}…` : c.url,
          status: res.statusCode,
          body: res.body.slice(0, 300).replace(/\s+/g, ' '),
        });
      return res;
    }
    const get = (caller: Caller, url: string) =>
      t.app.inject({ method: 'GET', url, remoteAddress: caller.ip, headers: caller.headers('GET') });

    for (const op of ops) {
      // Signing in and out: the login cases come from an address of their own with no session (so the
      // login rate limit they trip does not lock the administrator out), the logout cases from a session
      // of their own.
      let caller = admin;
      if (op.path === `${API}/auth/login`) caller = sessionOf(new Client(t.app, '10.77.0.1'));
      if (op.path === `${API}/auth/logout`) caller = sessionOf((await signedIn(t, [])).client);
      const { values, version } = await rowFor(op);
      // Edits need the current ETag, so that a case gets past If-Match to the write; it is read again
      // after an answer that may have changed it.
      const readTag = async () => {
        const tag = version
          ? await version()
          : (await get(caller, buildUrl(op.path, values, []))).headers.etag;
        return tag === undefined ? undefined : String(tag);
      };
      const edit = op.method === 'PATCH' || op.method === 'PUT';
      let etag = edit ? await readTag() : undefined;
      for (const c of casesOf(op, values)) {
        const res = await send(op, caller, c, etag);
        if (edit && res.statusCode < 300) etag = await readTag();
      }
      // No case may end the administrator's session or revoke their token; if one did, that is a
      // finding, and the run goes on signed in again.
      for (const [who, ok] of [
        ['session', (await adm.client.get(`${API}/auth/session`)).statusCode === 200],
        ['API token', (await get(admin, `${API}/auth/session`)).statusCode === 200],
      ] as const) {
        if (ok) continue;
        findings.push({
          method: op.method,
          path: op.path,
          case: `(after its cases) the administrator's ${who} no longer signs them in`,
          url: op.path,
          status: 401,
          body: '',
        });
        adm = await signedIn(t, ['administrator']);
        admin = await tokenOf(adm.client);
      }
    }

    // What the cases wrote must not break a read (an edge value stored, then unreadable): every list and
    // page once more, after all the writes, a list with its largest page.
    for (const op of ops.filter((o) => o.method === 'GET')) {
      const { values } = await rowFor(op);
      const query: [string, string][] = op.params
        .filter((p) => p.in === 'query' && (p.required || p.name === 'limit'))
        .map((p) => [
          p.name,
          String(p.name === 'limit' ? (p.schema.maximum ?? 50) : validValue(p.schema, p.name)),
        ]);
      await send(op, admin, {
        name: 'read again after all the writes',
        url: buildUrl(op.path, values, query),
      });
    }

    console.info(
      `api-robustness: ${ops.length} operations, ${sent} requests (${JSON.stringify(statuses)}), ` +
        `${findings.length} findings, ${Date.now() - started} ms (${Math.round(process.cpuUsage(cpu).user / 1000)} ms ` +
        `of CPU; the demo data took ${setupMs} ms)`,
    );
    const report = findings
      .map((f) => `${f.method} ${f.path} | ${f.case} | ${f.status} | ${f.url} | ${f.body}`)
      .join('\n');
    expect(
      findings.length,
      `${findings.length} answers were a 500 or a 4xx that is not problem+json:\n${report}`,
    ).toBe(0);
  }, 300_000);
});
