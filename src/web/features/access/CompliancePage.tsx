// A1/A3/G10: the compliance report: units with fewer than two orderers, units without an expert user,
// people who have left and still hold grants. These rules report rather than block.
import { List, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate } from '../../lib/format.ts';
import { complianceQuery } from './accessQueries.ts';

export function CompliancePage() {
  const { t } = useTranslation();
  const { data, error, isPending, dataUpdatedAt } = useQuery(complianceQuery);
  if (isPending) return <PageLoading />;
  const ok = (
    <EmptyState icon={<IconCircleCheck size={28} aria-hidden="true" />} title={t('access.compliance.none')} />
  );
  return (
    <>
      <PageHeader
        title={t('access.compliance.title')}
        subtitle={t('access.compliance.intro')}
        crumbs={[{ label: t('nav.access'), to: '/access' }]}
      />
      <ErrorAlert error={error} />
      {data && (
        <Text size="sm" c="dimmed" mb="sm">
          {t('access.compliance.asOf', {
            date: formatDate(dataUpdatedAt ? new Date(dataUpdatedAt) : new Date()),
          })}
        </Text>
      )}
      {data && (
        <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
          <Paper withBorder p="md">
            <Title order={2} fz="md">
              {t('access.compliance.fewOrderers', { n: data.unitsWithFewOrderers.length })}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('access.compliance.fewOrderersRule')}
            </Text>
            {data.unitsWithFewOrderers.length === 0 ? (
              ok
            ) : (
              <List size="sm" spacing={4}>
                {data.unitsWithFewOrderers.map((u) => (
                  <List.Item key={u.unit.id}>
                    <AnchorLink to="/units/$unitId" params={{ unitId: u.unit.id }} search={{}} fz="sm">
                      {u.unit.name}
                    </AnchorLink>{' '}
                    — {t('access.compliance.orderers', { count: u.orderers })}
                  </List.Item>
                ))}
              </List>
            )}
          </Paper>
          <Paper withBorder p="md">
            <Title order={2} fz="md">
              {t('access.compliance.noExpert', { n: data.unitsWithoutExpertUser.length })}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('access.compliance.noExpertRule')}
            </Text>
            {data.unitsWithoutExpertUser.length === 0 ? (
              ok
            ) : (
              <List size="sm" spacing={4}>
                {data.unitsWithoutExpertUser.map((u) => (
                  <List.Item key={u.unit.id}>
                    <AnchorLink to="/units/$unitId" params={{ unitId: u.unit.id }} search={{}} fz="sm">
                      {u.unit.name}
                    </AnchorLink>
                  </List.Item>
                ))}
              </List>
            )}
          </Paper>
          <Paper withBorder p="md">
            <Title order={2} fz="md">
              {t('access.compliance.leavers', { n: data.leaversWithGrants.length })}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('access.compliance.leaversRule')}
            </Text>
            {data.leaversWithGrants.length === 0 ? (
              ok
            ) : (
              <List size="sm" spacing={4}>
                {data.leaversWithGrants.map((l) => (
                  <List.Item key={l.person.id}>
                    <AnchorLink to="/access/grants" search={{ personId: l.person.id }} fz="sm">
                      {l.person.displayName}
                    </AnchorLink>{' '}
                    — {t('access.compliance.grants', { count: l.activeGrants })}
                  </List.Item>
                ))}
              </List>
            )}
          </Paper>
        </SimpleGrid>
      )}
    </>
  );
}
