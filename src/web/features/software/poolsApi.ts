// Types and queries of module licence pools (L1–L8), as the API answers them.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export interface Pool {
  id: string;
  system: { id: string; name: string };
  module: string;
  size: number;
  used: number;
  free: number;
  utilisation: number | null;
  unitPrice: number;
  currency: string;
  costPerYear: number;
  version: number;
  createdAt: string;
}
export interface PoolChange {
  id: string;
  poolId: string;
  status: 'prepared' | 'confirmed' | 'cancelled';
  kind: 'upgrade' | 'downgrade';
  oldSize: number;
  newSize: number;
  unitPrice: number;
  total: number;
  note: string;
  preparedBy: string;
  preparedAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
}
export interface PoolDetail {
  pool: Pool;
  /** L5: the caller may prepare and confirm a size change. */
  canChange: boolean;
  changes: PoolChange[];
  /** All consumers; `consumers` lists the first 200 by name. */
  consumerCount: number;
  consumers: {
    person: { id: string; displayName: string; status: 'active' | 'left' };
    unit: { id: string; name: string } | null;
  }[];
  byUnit: { unitId: string | null; unitName: string; used: number; share: number; cost: number }[];
}

export const poolsQuery = queryOptions({
  queryKey: ['pools', 'list'],
  queryFn: ({ signal }) => api.get<{ items: Pool[] }>('/licence-pools', undefined, signal),
});
export const poolQuery = (id: string) =>
  queryOptions({
    queryKey: ['pools', 'one', id],
    queryFn: ({ signal }) => api.get<PoolDetail>(`/licence-pools/${id}`, undefined, signal),
  });

export interface LicenceWatch {
  poolsAbove: Pool[];
  agreementsExpiring: {
    id: string;
    name: string;
    productVersion: string;
    vendor: string;
    licenceModel: string;
    renewalOn: string | null;
    agreementEnd: string | null;
    date: string;
    daysLeft: number;
  }[];
  thresholds: { poolPercent: number; agreementDays: number };
}
/** Pools above 90 % and software agreements due within 90 days (also e-mailed by the alert job). */
export const watchQuery = queryOptions({
  queryKey: ['pools', 'watch'],
  queryFn: ({ signal }) => api.get<LicenceWatch>('/licence-pools/watch', undefined, signal),
});

export interface PoolTrend {
  poolId: string;
  currency: string;
  unitPrice: number;
  costPerUsedSeat: number | null;
  points: {
    at: string;
    used: number;
    size: number | null;
    costPerYear: number | null;
    costPerUsedSeat: number | null;
  }[];
}
/** Used and size at the end of each of the last 12 months, and today. */
export const poolTrendQuery = (id: string) =>
  queryOptions({
    queryKey: ['pools', 'trend', id],
    queryFn: ({ signal }) => api.get<PoolTrend>(`/licence-pools/${id}/trend`, undefined, signal),
  });
