import { Alert, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconAppWindow } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { GovernanceObject } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { DetailList } from '../../components/DetailList.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatCurrency } from '../../lib/format.ts';
import { ObjectPlansSection } from '../plans/ObjectPlansSection.tsx';
import { governanceObjectQuery, orgModelLabel } from '../systems/systemQueries.ts';
import { None, SectionTitle } from '../systems/tabs/common.tsx';
import { ExpectedRoles, GroupLists, RoleAssignmentTable } from './RoleTables.tsx';

const route = getRouteApi('/app/governance-objects/$objectId');
type ObjectSystem = GovernanceObject['systems'][number];

/** A governance object: its systems, role assignments, groups, expected roles and any gap today. */
export function GovernanceObjectPage() {
  const { t, i18n } = useTranslation();
  const { objectId } = route.useParams();
  const { data: object, error, isPending } = useQuery(governanceObjectQuery(objectId));
  if (isPending) return <PageLoading />;
  if (!object) return <ErrorAlert error={error} />;

  const systemCols: Column<ObjectSystem>[] = [
    {
      key: 'name',
      header: t('systems.col.name'),
      render: (s) => (
        <AnchorLink to="/systems/$systemId" params={{ systemId: s.id }} search={{}} fz="sm" fw={500}>
          {s.name}
        </AnchorLink>
      ),
    },
    { key: 'short', header: t('system.field.shortName'), render: (s) => s.shortName },
    {
      key: 'model',
      header: t('systems.col.orgModel'),
      render: (s) => (
        <span title={orgModelLabel(t, s.orgModel)}>{t('systems.orgModelN', { n: s.orgModel })}</span>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={object.name}
        subtitle={t('governance.subtitle', { count: object.systems.length, unit: object.owningUnit.name })}
        crumbs={[{ label: t('nav.systems'), to: '/systems' }]}
      />
      <Stack gap="md">
        {object.missingRoles.length > 0 && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} aria-hidden="true" />}
            title={t('governance.gapTitle')}
          >
            {t('governance.gapText', {
              roles: object.missingRoles.map((r) => t(`governance.role.${r}`)).join(', '),
            })}{' '}
            <AnchorLink to="/reports/role-gaps" search={{}} fz="sm">
              {t('reports.roleGaps.title')}
            </AnchorLink>
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
          <Paper withBorder p="md">
            <SectionTitle>{t('governance.about')}</SectionTitle>
            {object.description && (
              <Text size="sm" mb="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {object.description}
              </Text>
            )}
            <DetailList
              items={[
                {
                  label: t('governance.owningUnit'),
                  value: (
                    <AnchorLink
                      to="/units/$unitId"
                      params={{ unitId: object.owningUnit.id }}
                      search={{}}
                      fz="sm"
                    >
                      {object.owningUnit.name}
                    </AnchorLink>
                  ),
                },
                {
                  label: t('governance.budgetFrame'),
                  value:
                    object.budgetFrame === null ? (
                      <None />
                    ) : (
                      formatCurrency(Number(object.budgetFrame), currentLocale(i18n.language))
                    ),
                },
                { label: t('governance.expectedRoles'), value: <ExpectedRoles object={object} /> },
              ]}
            />
          </Paper>
          <Paper withBorder p="md">
            <SectionTitle>{t('governance.systems')}</SectionTitle>
            <DataTable
              caption={t('governance.systems')}
              columns={systemCols}
              rows={object.systems}
              rowKey={(s) => s.id}
              empty={
                <EmptyState
                  icon={<IconAppWindow size={28} aria-hidden="true" />}
                  title={t('governance.noSystems')}
                  description={t('governance.noSystemsText')}
                />
              }
            />
          </Paper>
        </SimpleGrid>
        <Paper withBorder p="md">
          <SectionTitle>{t('governance.rolesTitle')}</SectionTitle>
          <RoleAssignmentTable object={object} />
        </Paper>
        <GroupLists object={object} />
        <ObjectPlansSection objectId={object.id} />
      </Stack>
    </>
  );
}
