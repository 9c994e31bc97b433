import { Autocomplete, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconRoute, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lineage } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { categoryKey, categoryLabel } from '../systems/personalData.ts';
import { darkLabel } from '../systems/SystemBadges.tsx';
import { categoriesInUseQuery, lineageQuery } from './reportQueries.ts';

export interface LineageSearch {
  category?: string;
}
export const parseLineageSearch = (s: Record<string, unknown>): LineageSearch => ({
  category: typeof s.category === 'string' && s.category.trim() ? categoryKey(s.category) : undefined,
});

const route = getRouteApi('/app/reports/lineage');
type Holder = Lineage['holders'][number];

/** G9: which systems hold data about a category of persons, and the path it came along. */
export function LineagePage() {
  const { t, i18n } = useTranslation();
  const locale = currentLocale(i18n.language);
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const label = (key: string | undefined) => (key ? categoryLabel(key, locale) : '');
  const [text, setText] = useState(label(search.category));
  // biome-ignore lint/correctness/useExhaustiveDependencies: the field follows the URL (and the language)
  useEffect(() => setText(label(search.category)), [search.category, locale]);
  const inUse = useQuery(categoriesInUseQuery);
  const { data, error, isFetching } = useQuery({
    ...lineageQuery(search.category ?? ''),
    enabled: Boolean(search.category),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void navigate({ search: { category: categoryKey(text) || undefined } });
  };
  const columns: Column<Holder>[] = [
    {
      key: 'system',
      header: t('reports.lineage.col.system'),
      render: (h) => (
        <AnchorLink to="/systems/$systemId" params={{ systemId: h.system.id }} search={{}} fz="sm" fw={500}>
          {h.system.name}
        </AnchorLink>
      ),
    },
    {
      key: 'holds',
      header: t('reports.lineage.col.holds'),
      render: (h) => (
        <Badge
          variant="light"
          color={h.holds === 'source' ? 'blue' : 'grape'}
          size="sm"
          radius="sm"
          styles={darkLabel(h.holds === 'source' ? 'blue' : 'grape')}
        >
          {t(`reports.lineage.${h.holds}`)}
        </Badge>
      ),
    },
    {
      key: 'path',
      header: t('reports.lineage.col.path'),
      render: (h) =>
        h.path && h.path.length > 1 ? (
          <Text span fz="sm">
            {h.path.map((p, i) => (
              <Fragment key={p.id}>
                {i > 0 && ' → '}
                <AnchorLink to="/systems/$systemId" params={{ systemId: p.id }} search={{}} fz="sm">
                  {p.name}
                </AnchorLink>
              </Fragment>
            ))}
          </Text>
        ) : (
          <Text span fz="sm" c="dimmed">
            {h.holds === 'source' ? t('reports.lineage.origin') : t('reports.lineage.unknownPath')}
          </Text>
        ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('reports.lineage.title')}
        subtitle={t('reports.lineage.intro')}
        crumbs={[{ label: t('nav.reports'), to: '/reports' }]}
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <form onSubmit={submit} aria-label={t('reports.lineage.title')}>
            <Group gap="sm" align="flex-end">
              <Autocomplete
                label={t('reports.lineage.category')}
                description={t('reports.lineage.categoryHint')}
                // The categories recorded somewhere, in the UI language; any other can be typed.
                data={[...new Set((inUse.data?.items ?? []).map((c) => label(c.category)))].sort((a, b) =>
                  a.localeCompare(b, locale),
                )}
                value={text}
                onChange={setText}
                w={300}
                comboboxProps={{ withinPortal: true }}
              />
              <Button type="submit" leftSection={<IconSearch size={16} aria-hidden="true" />}>
                {t('reports.lineage.show')}
              </Button>
            </Group>
          </form>
          <ErrorAlert error={error} />
          {search.category ? (
            <>
              <Text size="sm" c="dimmed" aria-live="polite">
                {data &&
                  t('reports.lineage.count', { count: data.holders.length, category: label(data.category) })}
              </Text>
              <DataTable
                caption={t('reports.lineage.caption', { category: label(search.category) })}
                columns={columns}
                rows={data?.holders}
                rowKey={(h) => h.system.id}
                loading={isFetching}
                empty={
                  <EmptyState
                    icon={<IconRoute size={28} aria-hidden="true" />}
                    title={t('reports.lineage.empty')}
                    description={t('reports.lineage.emptyText')}
                  />
                }
              />
            </>
          ) : (
            <EmptyState
              icon={<IconRoute size={28} aria-hidden="true" />}
              title={t('reports.lineage.pick')}
              description={t('reports.lineage.pickText')}
            />
          )}
        </Stack>
      </Paper>
    </>
  );
}
