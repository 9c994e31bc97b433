// The one place the web UI talks HTTP. Sends the session cookie, JSON, and on every write the
// X-CSRF-Token of the session; turns application/problem+json answers into ApiError.
// When src/web/api/schema.d.ts exists, `api` can be swapped for openapi-fetch's
// createClient<paths>({ baseUrl: '/api/v1', credentials: 'include', fetch: apiFetch }) which reuses
// apiFetch below (CSRF header and problem handling included).

import { currentLocale } from '../i18n/index.ts';

export interface FieldProblem {
  field: string;
  message: string;
  /** Where the field is: body, querystring or params (an id in the address). */
  in?: string;
  line?: number;
  column?: string | number;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  rule?: string;
  errors?: FieldProblem[];
  /** A2: the other orderers of the units, to ask instead. */
  orderers?: { id: string; name: string }[];
  /** L2, L3: the licence pool the refusal is about. */
  poolId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly rule?: string;
  readonly type?: string;
  readonly errors: FieldProblem[];
  readonly orderers: { id: string; name: string }[];
  readonly poolId?: string;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title} ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.rule = problem.rule;
    this.type = problem.type;
    this.errors = problem.errors ?? [];
    this.orderers = problem.orderers ?? [];
    this.poolId = problem.poolId;
  }

  /** The message for one field, for showing next to it. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

export const API_BASE = '/api/v1';

const uiLanguage = () => currentLocale();

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** fetch with credentials and the CSRF header on writes; throws ApiError on any non-2xx answer. */
export async function apiFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  if (!headers.has('accept')) headers.set('accept', 'application/json, application/problem+json');
  // The server words its errors in the UI's language, not the browser's.
  if (!headers.has('accept-language')) headers.set('accept-language', uiLanguage());
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers.set('x-csrf-token', csrfToken);
  let res: Response;
  try {
    res = await fetch(input, { ...init, method, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ status: 0, title: 'network' });
  }
  if (!res.ok) throw await problemOf(res);
  return res;
}

async function problemOf(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem>;
      return new ApiError({ ...body, status: res.status, title: body.title ?? res.statusText });
    } catch {
      // fall through to the generic problem
    }
  }
  return new ApiError({ status: res.status, title: res.statusText || `HTTP ${res.status}` });
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  ifMatch?: string | null;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers = new Headers();
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(opts.body);
  }
  if (opts.ifMatch) headers.set('if-match', opts.ifMatch);
  const res = await apiFetch(API_BASE + withQuery(path, opts.query), {
    method,
    headers,
    body,
    signal: opts.signal,
  });
  const etag = res.headers.get('etag');
  if (res.status === 204) return { data: undefined as T, etag };
  const type = res.headers.get('content-type') ?? '';
  const data = (type.includes('json') ? await res.json() : await res.text()) as T;
  return { data, etag };
}

/** Small typed helpers: `api.get<Person>('/persons/1')`. */
export const api = {
  get: async <T>(path: string, query?: Query, signal?: AbortSignal) =>
    (await request<T>('GET', path, { query, signal })).data,
  getWithEtag: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal }),
  post: async <T>(path: string, body?: unknown, query?: Query) =>
    (await request<T>('POST', path, { body, query })).data,
  put: async <T>(path: string, body: unknown, ifMatch?: string | null) =>
    (await request<T>('PUT', path, { body, ifMatch })).data,
  patch: <T>(path: string, body: unknown, ifMatch?: string | null) =>
    request<T>('PATCH', path, { body, ifMatch }),
  delete: async (path: string) => {
    await request<void>('DELETE', path);
  },
};

/** ETag for a resource version the API gave out in a list (matches the server's W/"n"). */
export const etagOfVersion = (version: number) => `W/"${version}"`;

/** Downloads a GET endpoint as a file (keeps cookies; errors become ApiError). */
export async function downloadFile(path: string, filename: string, query?: Query): Promise<void> {
  const res = await apiFetch(API_BASE + withQuery(path, query));
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
