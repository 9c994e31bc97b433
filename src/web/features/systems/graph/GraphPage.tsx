import { Button, Group, Paper, Select, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { governanceObjectOptionsQuery, orgGraphQuery, unitOptionsQuery } from '../systemQueries.ts';
import { DependencyGraph } from './DependencyGraph.tsx';

export interface GraphSearch {
  governanceObjectId?: string;
  unitId?: string;
}

export function parseGraphSearch(s: Record<string, unknown>): GraphSearch {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { governanceObjectId: str(s.governanceObjectId), unitId: str(s.unitId) };
}

const route = getRouteApi('/app/systems/graph');

/** The dependency and data-flow map of the whole organisation, filtered by governance object or unit. */
export function GraphPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const graph = useQuery(orgGraphQuery(search));
  const objects = useQuery(governanceObjectOptionsQuery);
  const units = useQuery(unitOptionsQuery);
  const setFilter = (patch: GraphSearch) => void navigate({ search: (prev) => ({ ...prev, ...patch }) });

  return (
    <>
      <PageHeader
        title={t('graph.title')}
        subtitle={t('graph.intro')}
        crumbs={[{ label: t('nav.systems'), to: '/systems' }]}
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('graph.filters')}>
            <Select
              label={t('systems.col.governanceObject')}
              placeholder={t('systems.filter.any')}
              data={(objects.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              value={search.governanceObjectId ?? null}
              onChange={(v) => setFilter({ governanceObjectId: v ?? undefined })}
              clearable
              searchable
              w={280}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('graph.unit')}
              placeholder={t('systems.filter.any')}
              data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
              value={search.unitId ?? null}
              onChange={(v) => setFilter({ unitId: v ?? undefined })}
              clearable
              searchable
              w={280}
              comboboxProps={{ withinPortal: true }}
            />
            {(search.governanceObjectId || search.unitId) && (
              <Button variant="subtle" onClick={() => void navigate({ search: {} })}>
                {t('common.clearFilters')}
              </Button>
            )}
          </Group>
          <ErrorAlert error={graph.error} />
          {graph.data ? (
            <DependencyGraph graph={graph.data} height="calc(100vh - 330px)" />
          ) : (
            !graph.error && <DependencyGraph graph={{ nodes: [], edges: [] }} loading />
          )}
        </Stack>
      </Paper>
    </>
  );
}
