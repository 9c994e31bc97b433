import { Anchor, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAppWindow, IconChartDots3, IconDownload, IconSearch, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE, withQuery } from '../../api/client.ts';
import { CRITICALITIES, HOSTINGS, LIFECYCLES, ORG_MODELS, type SystemSummary } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoreFilters } from '../../components/MoreFilters.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useCursorStack } from '../../lib/useCursorStack.ts';
import { CriticalityBadge, LifecycleBadge } from './SystemBadges.tsx';
import {
  governanceObjectOptionsQuery,
  orgModelLabel,
  type SystemFilters,
  systemListQuery,
} from './systemQueries.ts';

/** The catalogue's orders (the API's `sort`): by name either way, or the most critical first. */
export type SystemSort = 'name' | '-name' | '-criticality';
export type SystemListSearch = SystemFilters & { sort?: Exclude<SystemSort, 'name'> };

const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined =>
  typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;

export function parseSystemListSearch(s: Record<string, unknown>): SystemListSearch {
  const orgModel = Number(s.orgModel);
  return {
    q: typeof s.q === 'string' && s.q.trim() ? s.q : undefined,
    lifecycle: oneOf(LIFECYCLES, s.lifecycle),
    orgModel: Number.isInteger(orgModel) && orgModel >= 1 && orgModel <= 5 ? orgModel : undefined,
    hosting: oneOf(HOSTINGS, s.hosting),
    criticality: oneOf(CRITICALITIES, s.criticality),
    personalData: oneOf(
      ['true', 'false'] as const,
      s.personalData === true ? 'true' : s.personalData === false ? 'false' : s.personalData,
    ),
    governanceObjectId:
      typeof s.governanceObjectId === 'string' && s.governanceObjectId ? s.governanceObjectId : undefined,
    sort: oneOf(['-name', '-criticality'] as const, s.sort),
  };
}

const PAGE_SIZE = 50;
const route = getRouteApi('/app/systems');

export function SystemListPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();

  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if ((search.q ?? '') !== debounced)
      void navigate({ search: (prev) => ({ ...prev, q: debounced || undefined }), replace: true });
  }, [debounced, search.q, navigate]);
  useEffect(() => {
    setText((cur) => (cur.trim() === (search.q ?? '') ? cur : (search.q ?? '')));
  }, [search.q]);

  const { sort, ...filters } = search;
  const paging = useCursorStack(JSON.stringify(search));
  const { data, error, isFetching, isPending } = useQuery(
    systemListQuery({ ...filters, sort, limit: PAGE_SIZE, cursor: paging.cursor }),
  );
  // Sorting changes the URL like a filter does (shareable, back button), but is not a filter.
  const sortBy = (next: SystemSort) =>
    void navigate({ search: (prev) => ({ ...prev, sort: next === 'name' ? undefined : next }) });
  const objects = useQuery(governanceObjectOptionsQuery);

  const setFilter = (patch: Partial<SystemListSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const exportHref = API_BASE + withQuery('/systems/export.csv', { ...filters, sort });

  const select = (
    key: keyof SystemFilters,
    label: string,
    options: { value: string; label: string }[],
    width = 170,
  ) => (
    <Select
      label={label}
      placeholder={t('systems.filter.any')}
      data={options}
      value={search[key] === undefined ? null : String(search[key])}
      onChange={(v) =>
        setFilter({
          [key]: v === null ? undefined : key === 'orgModel' ? Number(v) : v,
        } as Partial<SystemFilters>)
      }
      clearable
      searchable={options.length > 8}
      // At least this wide, and as wide as its label (Swedish labels are long: "Organisationsmodell").
      miw={width}
      labelProps={{ style: { whiteSpace: 'nowrap' } }}
      comboboxProps={{ withinPortal: true }}
    />
  );

  const columns: Column<SystemSummary>[] = [
    {
      key: 'name',
      header: t('systems.col.name'),
      sort: {
        direction: sort === undefined ? 'ascending' : sort === '-name' ? 'descending' : null,
        onToggle: () => sortBy(sort === undefined ? '-name' : 'name'),
      },
      render: (s) => (
        <Stack gap={0}>
          <AnchorLink to="/systems/$systemId" params={{ systemId: s.id }} search={{}} fw={500} fz="sm">
            {s.name}
          </AnchorLink>
          <Text fz="xs" c="dimmed" ff="monospace">
            {s.shortName}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'object',
      header: t('systems.col.governanceObject'),
      render: (s) => (
        <AnchorLink to="/governance-objects/$objectId" params={{ objectId: s.governanceObject.id }} fz="sm">
          {s.governanceObject.name}
        </AnchorLink>
      ),
    },
    {
      key: 'lifecycle',
      header: t('systems.col.lifecycle'),
      nowrap: true,
      render: (s) => <LifecycleBadge lifecycle={s.lifecycle} size="sm" />,
    },
    {
      key: 'criticality',
      header: t('systems.col.criticality'),
      // Most critical first: the one order a catalogue is read in by criticality.
      sort: {
        direction: sort === '-criticality' ? 'descending' : null,
        onToggle: () => sortBy(sort === '-criticality' ? 'name' : '-criticality'),
      },
      render: (s) => <CriticalityBadge criticality={s.criticality} />,
    },
    {
      key: 'orgModel',
      header: t('systems.col.orgModel'),
      nowrap: true,
      render: (s) => (
        <span title={orgModelLabel(t, s.orgModel)}>{t('systems.orgModelN', { n: s.orgModel })}</span>
      ),
    },
    { key: 'hosting', header: t('systems.col.hosting'), render: (s) => t(`systems.hosting.${s.hosting}`) },
    {
      key: 'personalData',
      header: t('systems.col.personalData'),
      render: (s) => (s.storesPersonalData ? t('common.yes') : t('common.no')),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('systems.title')}
        subtitle={t('systems.intro')}
        crumbs={[{ label: t('nav.systems'), to: '/systems' }]}
        actions={
          <>
            <Button
              component={Link}
              to="/systems/managers"
              variant="default"
              leftSection={<IconUsers size={16} aria-hidden="true" />}
            >
              {t('systems.managersLink')}
            </Button>
            <Button
              component={Link}
              to="/systems/graph"
              variant="default"
              leftSection={<IconChartDots3 size={16} aria-hidden="true" />}
            >
              {t('graph.title')}
            </Button>
          </>
        }
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('systems.searchLabel')}>
            <TextInput
              label={t('systems.search')}
              description={t('systems.searchHint')}
              placeholder={t('systems.searchPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              type="search"
              w={300}
              maw="100%"
            />
            <MoreFilters values={filters}>
              {select(
                'lifecycle',
                t('systems.col.lifecycle'),
                LIFECYCLES.map((v) => ({ value: v, label: t(`systems.lifecycle.${v}`) })),
              )}
              {select(
                'orgModel',
                t('systems.col.orgModel'),
                ORG_MODELS.map((v) => ({ value: String(v), label: orgModelLabel(t, v) })),
                140,
              )}
              {select(
                'hosting',
                t('systems.col.hosting'),
                HOSTINGS.map((v) => ({ value: v, label: t(`systems.hosting.${v}`) })),
                150,
              )}
              {select(
                'criticality',
                t('systems.col.criticality'),
                CRITICALITIES.map((v) => ({ value: v, label: t(`systems.criticality.${v}`) })),
                150,
              )}
              {select(
                'personalData',
                t('systems.col.personalData'),
                [
                  { value: 'true', label: t('systems.filter.storesPersonalData') },
                  { value: 'false', label: t('systems.filter.noPersonalData') },
                ],
                190,
              )}
              {select(
                'governanceObjectId',
                t('systems.col.governanceObject'),
                (objects.data ?? []).map((o) => ({ value: o.id, label: o.name })),
                240,
              )}
            </MoreFilters>
            {filtered && (
              <Button variant="subtle" onClick={() => void navigate({ search: { sort } })}>
                {t('common.clearFilters')}
              </Button>
            )}
          </Group>
          <ErrorAlert error={error} />
          <Group justify="space-between" wrap="wrap">
            <div aria-live="polite" aria-atomic="true">
              <Text size="sm" c="dimmed">
                {data && data.items.length > 0
                  ? t('table.showing', {
                      from: (paging.page - 1) * PAGE_SIZE + 1,
                      to: (paging.page - 1) * PAGE_SIZE + data.items.length,
                    })
                  : ''}
              </Text>
            </div>
            <Anchor href={exportHref} download="systems.csv" fz="sm">
              <Group gap={4} component="span" wrap="nowrap">
                <IconDownload size={16} aria-hidden="true" />
                {filtered ? t('systems.exportFiltered') : t('systems.export')}
              </Group>
            </Anchor>
          </Group>
          <DataTable
            caption={t('systems.caption')}
            columnsId="systems"
            columns={columns}
            rows={data?.items}
            rowKey={(s) => s.id}
            loading={isFetching || isPending}
            paging={{ ...paging.table(data?.nextCursor), label: t('table.page', { page: paging.page }) }}
            empty={
              <EmptyState
                icon={<IconAppWindow size={28} aria-hidden="true" />}
                title={filtered ? t('systems.noMatch') : t('systems.empty')}
                description={filtered ? t('systems.noMatchText') : t('systems.emptyText')}
              />
            }
          />
        </Stack>
      </Paper>
    </>
  );
}
