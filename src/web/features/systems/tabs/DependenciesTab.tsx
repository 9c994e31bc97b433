import { Group, List, Paper, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dependency, SystemDetail } from '../../../api/types.ts';
import { AnchorLink } from '../../../components/AnchorLink.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageLoading } from '../../../components/Loading.tsx';
import { DependencyGraph } from '../graph/DependencyGraph.tsx';
import { dependenciesQuery, impactQuery, neighbourhoodQuery } from '../systemQueries.ts';
import { SectionTitle } from './common.tsx';

export function DependenciesTab({ system }: { system: SystemDetail }) {
  const { t } = useTranslation();
  const depthId = useId();
  const [depth, setDepth] = useState(2);
  const deps = useQuery(dependenciesQuery(system.id));
  const impact = useQuery(impactQuery(system.id));
  const graph = useQuery(neighbourhoodQuery(system.id, depth));
  const names = new Map((graph.data?.nodes ?? []).map((n) => [n.id, n.name]));

  const link = (id: string) => (
    <AnchorLink to="/systems/$systemId" params={{ systemId: id }} search={{}} fz="sm">
      {names.get(id) ?? t('common.loading')}
    </AnchorLink>
  );
  const dependsOn = (deps.data?.items ?? []).filter((d) => d.fromSystemId === system.id);
  const dependedOnBy = (deps.data?.items ?? []).filter((d) => d.toSystemId === system.id);
  const depList = (items: Dependency[], other: (d: Dependency) => string, empty: string) =>
    items.length === 0 ? (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    ) : (
      <List size="sm" spacing={4}>
        {items.map((d) => (
          <List.Item key={d.id}>
            {link(other(d))}{' '}
            <Text span fz="xs" c="dimmed">
              ({t(`graph.kind.${d.kind}`)}){d.description ? ` – ${d.description}` : ''}
            </Text>
          </List.Item>
        ))}
      </List>
    );

  return (
    <Stack gap="md">
      <ErrorAlert error={deps.error ?? impact.error} />
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <Paper withBorder p="md">
          <SectionTitle>{t('system.deps.dependsOn')}</SectionTitle>
          {deps.isPending ? (
            <PageLoading />
          ) : (
            depList(dependsOn, (d) => d.toSystemId, t('system.deps.noDependsOn'))
          )}
        </Paper>
        <Paper withBorder p="md">
          <SectionTitle>{t('system.deps.dependedOnBy')}</SectionTitle>
          {deps.isPending ? (
            <PageLoading />
          ) : (
            depList(dependedOnBy, (d) => d.fromSystemId, t('system.deps.noDependedOnBy'))
          )}
        </Paper>
        <Paper withBorder p="md">
          <SectionTitle>{t('system.deps.impact')}</SectionTitle>
          <Text size="sm" c="dimmed" mb="xs">
            {t('system.deps.impactIntro', { name: system.name })}
          </Text>
          {impact.data && impact.data.affected.length === 0 && (
            <Text size="sm">{t('system.deps.noImpact')}</Text>
          )}
          {impact.data && impact.data.affected.length > 0 && (
            <List size="sm" spacing={6}>
              {impact.data.affected.map((a) => (
                <List.Item key={a.id}>
                  <AnchorLink
                    to="/systems/$systemId"
                    params={{ systemId: a.id }}
                    search={{}}
                    fz="sm"
                    fw={500}
                  >
                    {a.name}
                  </AnchorLink>
                  <Text fz="xs" c="dimmed">
                    {t('system.deps.path')}:{' '}
                    {a.path.map((p, i) => (
                      <Fragment key={p.id}>
                        {i > 0 && ' → '}
                        {p.name}
                      </Fragment>
                    ))}
                  </Text>
                </List.Item>
              ))}
            </List>
          )}
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md">
        <Group justify="space-between" align="center" mb="xs">
          <SectionTitle>{t('system.deps.neighbourhood')}</SectionTitle>
          <Group gap="xs">
            <Text size="sm" id={depthId}>
              {t('system.deps.depth')}
            </Text>
            <SegmentedControl
              size="xs"
              aria-labelledby={depthId}
              value={String(depth)}
              onChange={(v) => setDepth(Number(v))}
              data={['1', '2', '3'].map((v) => ({ value: v, label: v }))}
            />
          </Group>
        </Group>
        <ErrorAlert error={graph.error} />
        <DependencyGraph
          graph={graph.data ?? { nodes: [], edges: [] }}
          loading={graph.isPending}
          focusId={system.id}
          height={480}
        />
      </Paper>
    </Stack>
  );
}
