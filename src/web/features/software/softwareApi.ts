// Types and queries of software distribution (S1–S5), as the API answers them.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export type LicenceModel = 'site' | 'reported' | 'seat_keys';
export interface SoftwareTitle {
  id: string;
  name: string;
  vendor: string;
  productVersion: string;
  description: string;
  platforms: string[];
  licenceModel: LicenceModel;
  requiresReporting: boolean;
  agreementStart: string | null;
  agreementEnd: string | null;
  renewalOn: string | null;
  reportDeadlineDays: number;
  offered: boolean;
  version: number;
}
export interface Ref {
  id: string;
  name: string;
}
export interface Coordinator {
  id: string;
  unit: Ref;
  person: { id: string; displayName: string; status: 'active' | 'left'; email: string | null };
  appointedBy: string;
  appointedOn: string;
  commitment: { signedOn: string; signer: string; document: string };
  endedOn: string | null;
  endedReason: string | null;
  current: boolean;
}
export interface Assignment {
  id: string;
  title: Ref;
  unit: Ref;
  person: { id: string; displayName: string; status: 'active' | 'left' };
  recipientKind: 'employee' | 'student';
  key: { id: string; hint: string } | null;
  assignedBy: string;
  assignedAt: string;
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancelReason: string | null;
}
export interface UnitRegister {
  unit: Ref;
  yourRoles: ('head' | 'coordinator')[];
  coordinators: Coordinator[];
  assignments: Assignment[];
  keys: {
    id: string;
    title: Ref;
    hint: string;
    note: string;
    assignedTo: { id: string; displayName: string } | null;
  }[];
  seats: { title: Ref; seats: number; used: number }[];
  reports: {
    id: string;
    title: Ref;
    periodYear: number;
    users: number;
    comment: string;
    submittedBy: string;
    submittedAt: string;
  }[];
  /** S3: reports the unit owes (deadline within 60 days or past), by deadline. */
  reportsDue: { title: Ref; periodYear: number; deadline: string; overdue: boolean }[];
}
export interface MissingReport {
  title: Ref;
  unit: Ref;
  periodYear: number;
  deadline: string;
  coordinator: string | null;
}
export interface ProcurementRequest {
  id: string;
  softwareName: string;
  vendor: string;
  unit: Ref;
  requestedBy: string;
  justification: string;
  status: 'open' | 'approved' | 'rejected';
  decisionComment: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export const titlesQuery = (q: string) =>
  queryOptions({
    queryKey: ['software', 'titles', q],
    queryFn: ({ signal }) => api.get<{ items: SoftwareTitle[] }>('/software', { q }, signal),
  });
export const mySoftwareQuery = queryOptions({
  queryKey: ['software', 'mine'],
  queryFn: ({ signal }) => api.get<{ items: Assignment[] }>('/me/software', undefined, signal),
});
export const coordinatorsQuery = queryOptions({
  queryKey: ['software', 'coordinators'],
  queryFn: ({ signal }) =>
    api.get<{ items: (Coordinator & { mayReadUnit: boolean })[] }>(
      '/licence-coordinators',
      undefined,
      signal,
    ),
});
export const procurementQuery = queryOptions({
  queryKey: ['software', 'procurement'],
  queryFn: ({ signal }) =>
    api.get<{ items: ProcurementRequest[] }>('/procurement-requests', undefined, signal),
});
export const missingReportsQuery = queryOptions({
  queryKey: ['software', 'missing-reports'],
  queryFn: ({ signal }) =>
    api.get<{ periodYear: number; items: MissingReport[] }>(
      '/reports/missing-licence-reports',
      undefined,
      signal,
    ),
});
export const unitRegisterQuery = (unitId: string) =>
  queryOptions({
    queryKey: ['software', 'unit', unitId],
    queryFn: ({ signal }) => api.get<UnitRegister>(`/org-units/${unitId}/licences`, undefined, signal),
  });
