// Types and queries of the access-rights pages (A1–A6, G10), mirroring access.schema.ts on the server.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export const ORDER_STATES = [
  'draft',
  'awaiting_approval',
  'ready',
  'in_progress',
  'fulfilled',
  'rejected',
  'cancelled',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const ACCOUNT_TYPES = ['personal', 'administrator', 'system'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
type Ref = { id: string; name: string };
type PersonRef = { id: string; displayName: string; status: 'active' | 'left' };

export interface FormField {
  key: string;
  type: 'text' | 'choice' | 'email' | 'date';
  labelSv: string;
  labelEn: string;
  mandatory: boolean;
  options?: string[];
}

export interface Permission {
  id: string;
  system: Ref & { shortName: string };
  name: string;
  description: string;
  accountType: AccountType;
  modules: string[];
  limitedToUnits: boolean;
  approvalSteps: ('system_owner' | 'unit_head')[];
  active: boolean;
  version: number;
}

export interface OrderSummary {
  id: string;
  number: number;
  kind: 'grant' | 'revocation';
  state: OrderState;
  person: PersonRef;
  permission: Ref & { accountType: AccountType };
  system: Ref & { shortName: string };
  units: Ref[];
  orderer: string;
  ordererPersonId: string | null;
  createdAt: string;
  submittedAt: string | null;
  closedAt: string | null;
  /** L2: the last fulfilment was refused for want of licences. */
  waitingForLicences: boolean;
}

export interface Order extends OrderSummary {
  formSnapshot: FormField[];
  fieldValues: Record<string, string>;
  expertUser: boolean;
  personEmail: string | null;
  validUntil: string | null;
  message: string;
  approvalSteps: ('system_owner' | 'unit_head')[];
  approvalStep: number;
  /** Who decides the current approval step, by name. */
  approvers: string[];
  grantId: string | null;
  takenBy: string | null;
  reason: string | null;
  version: number;
  events: {
    id: string;
    at: string;
    event: string;
    fromState: string | null;
    toState: string;
    actor: string;
    step: number | null;
    reason: string | null;
  }[];
  can: {
    submit: boolean;
    /** A saved grant order can be changed before it is sent. */
    edit: boolean;
    cancel: boolean;
    approve: boolean;
    take: boolean;
    fulfil: boolean;
    reject: boolean;
  };
}

export interface Grant {
  id: string;
  person: PersonRef;
  permission: Ref;
  system: Ref & { shortName: string };
  units: Ref[];
  accountType: AccountType;
  expertUser: boolean;
  validFrom: string;
  validUntil: string | null;
  endedOn: string | null;
  order: { id: string; number: number } | null;
  endedByOrder: { id: string; number: number } | null;
  openRevocation: { id: string; number: number } | null;
}

export interface MyAccess {
  orderingUnits: (Ref & { systemIds: string[] })[];
  headOfUnits: Ref[];
  itStaffSystemIds: string[];
  counts: { drafts: number; toApprove: number; toFulfil: number; unreadNotifications: number };
  abilities: { order: boolean; approve: boolean; fulfil: boolean; readGrants: boolean; readReport: boolean };
}

export interface Compliance {
  unitsWithFewOrderers: { unit: Ref & { code: string }; orderers: number }[];
  unitsWithoutExpertUser: { unit: Ref & { code: string } }[];
  leaversWithGrants: { person: PersonRef; activeGrants: number }[];
}

export interface Notification {
  id: string;
  orderId: string;
  orderNumber: number;
  orderKind: 'grant' | 'revocation';
  event: string;
  state: OrderState;
  person: string;
  permission: string;
  system: string;
  createdAt: string;
  read: boolean;
}

export const myAccessQuery = queryOptions({
  queryKey: ['access', 'me'],
  queryFn: ({ signal }) => api.get<MyAccess>('/access/me', undefined, signal),
});

export const notificationsQuery = queryOptions({
  queryKey: ['access', 'notifications'],
  queryFn: ({ signal }) => api.get<{ items: Notification[] }>('/access/notifications', undefined, signal),
});

export const permissionsQuery = (systemId?: string) =>
  queryOptions({
    queryKey: ['access', 'permissions', systemId ?? 'all'],
    queryFn: ({ signal }) => api.get<{ items: Permission[] }>('/permissions', { systemId }, signal),
  });

export const orderFormQuery = (systemId: string) =>
  queryOptions({
    queryKey: ['access', 'order-form', systemId],
    queryFn: ({ signal }) =>
      api.get<{ systemId: string; fields: FormField[]; version: number }>(
        `/systems/${encodeURIComponent(systemId)}/order-form`,
        undefined,
        signal,
      ),
  });

export interface OrderListParams {
  scope: 'mine' | 'approval' | 'fulfilment' | 'all';
  state?: OrderState;
  kind?: 'grant' | 'revocation';
  personId?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

export const orderListQuery = (p: OrderListParams) =>
  queryOptions({
    queryKey: ['access', 'orders', p],
    queryFn: ({ signal }) =>
      api.get<{ items: OrderSummary[]; nextCursor: string | null }>('/orders', { ...p }, signal),
    placeholderData: keepPreviousData,
  });

export const orderQuery = (id: string) =>
  queryOptions({
    queryKey: ['access', 'order', id],
    queryFn: ({ signal }) => api.get<Order>(`/orders/${encodeURIComponent(id)}`, undefined, signal),
  });

export interface GrantFilters {
  personId?: string;
  systemId?: string;
  unitId?: string;
  accountType?: AccountType;
  expiringWithinDays?: number;
  personLeft?: 'true' | 'false';
  status?: 'active' | 'ended' | 'all';
  q?: string;
}

export const grantListQuery = (p: GrantFilters & { limit: number; cursor?: string }) =>
  queryOptions({
    queryKey: ['access', 'grants', p],
    queryFn: ({ signal }) =>
      api.get<{ items: Grant[]; nextCursor: string | null }>('/grants', { ...p }, signal),
    placeholderData: keepPreviousData,
  });

export const complianceQuery = queryOptions({
  queryKey: ['access', 'compliance'],
  queryFn: ({ signal }) => api.get<Compliance>('/reports/access-compliance', undefined, signal),
});

/** The label of a form field in the user's language. */
export const fieldLabel = (f: FormField, lang: string) => (lang.startsWith('sv') ? f.labelSv : f.labelEn);
