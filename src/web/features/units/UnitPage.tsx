import { Badge, Group, Paper, Tabs, Text } from '@mantine/core';
import { IconSitemap, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useCan, useMe } from '../../api/session.ts';
import type { UnitDetail } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { DetailList } from '../../components/DetailList.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { useCursorStack } from '../../lib/useCursorStack.ts';
import { PersonTable } from '../persons/PersonTable.tsx';
import { identityUnitsQuery, personListQuery } from '../persons/personQueries.ts';
import { IdentityEditors, NewPersonButton } from './IdentityEditors.tsx';

const route = getRouteApi('/app/units/$unitId');

export function UnitPage() {
  const { t } = useTranslation();
  const { unitId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const {
    data: unit,
    error,
    isPending,
  } = useQuery({
    queryKey: ['org-units', 'one', unitId],
    queryFn: ({ signal }) =>
      api.get<UnitDetail>(`/org-units/${encodeURIComponent(unitId)}`, undefined, signal),
  });
  const me = useMe();
  const can = useCan();
  const identityUnits = useQuery(identityUnitsQuery);
  const tab = search.tab === 'children' || search.tab === 'editors' ? search.tab : 'members';

  if (isPending) return <PageLoading />;
  if (!unit) return <ErrorAlert error={error} />;

  // V3: administrators and the unit's identity editors add its people; its head appoints the editors.
  const mayAddPeople = can('person.write') || Boolean(identityUnits.data?.unitIds.includes(unit.id));
  const mayAppoint = can('identity-editor.appoint') || unit.head?.id === me.personId;
  type Child = UnitDetail['children'][number];
  const childColumns: Column<Child>[] = [
    {
      key: 'name',
      header: t('units.col.name'),
      render: (c) => (
        <AnchorLink to="/units/$unitId" params={{ unitId: c.id }} search={{}} fz="sm" fw={500}>
          {c.name}
        </AnchorLink>
      ),
    },
    {
      key: 'code',
      header: t('units.col.code'),
      render: (c) => (
        <Text ff="monospace" fz="sm">
          {c.code}
        </Text>
      ),
    },
    {
      key: 'kind',
      header: t('units.col.kind'),
      render: (c) => t(`unitKind.${c.kind}`, { defaultValue: c.kind }),
    },
  ];

  return (
    <>
      <PageHeader
        title={unit.name}
        badge={
          <>
            <Badge variant="light" color="gray" radius="sm">
              {t(`unitKind.${unit.kind}`, { defaultValue: unit.kind })}
            </Badge>
            <StatusBadge status={unit.status} />
          </>
        }
        crumbs={[
          { label: t('nav.units'), to: '/units' },
          ...(unit.parent ? [{ label: unit.parent.name, to: `/units/${unit.parent.id}` }] : []),
        ]}
      />
      <Paper withBorder p="md" mb="lg">
        <DetailList
          items={[
            {
              label: t('units.code'),
              value: (
                <Text ff="monospace" fz="sm" span>
                  {unit.code}
                </Text>
              ),
            },
            {
              label: t('units.head'),
              value: unit.head ? (
                <AnchorLink to="/persons/$personId" params={{ personId: unit.head.id }} search={{}} fz="sm">
                  {unit.head.displayName}
                </AnchorLink>
              ) : (
                <Text span c="dimmed" fz="sm">
                  {t('units.noHead')}
                </Text>
              ),
            },
            {
              label: t('units.parent'),
              value: unit.parent ? (
                <AnchorLink to="/units/$unitId" params={{ unitId: unit.parent.id }} search={{}} fz="sm">
                  {unit.parent.name}
                </AnchorLink>
              ) : (
                <Text span c="dimmed" fz="sm">
                  {t('units.topLevel')}
                </Text>
              ),
            },
            { label: t('units.memberCount'), value: t('units.members', { count: unit.memberCount }) },
          ]}
        />
      </Paper>
      <Tabs
        value={tab}
        onChange={(v) =>
          void navigate({
            search: { tab: v === 'children' || v === 'editors' ? v : undefined },
            replace: true,
          })
        }
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="members">
            {t('units.tabs.members')} ({unit.memberCount})
          </Tabs.Tab>
          <Tabs.Tab value="children">
            {t('units.tabs.children')} ({unit.children.length})
          </Tabs.Tab>
          <Tabs.Tab value="editors">{t('units.tabs.editors')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="members">
          <Paper withBorder p="md">
            {mayAddPeople && (
              <Group justify="flex-end" mb="sm">
                <NewPersonButton unitId={unit.id} unitName={unit.name} />
              </Group>
            )}
            <UnitMembers unitId={unit.id} unitName={unit.name} />
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="editors">
          <Paper withBorder p="md">
            <IdentityEditors unitId={unit.id} unitName={unit.name} mayAppoint={mayAppoint} />
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="children">
          <Paper withBorder p="md">
            <DataTable
              caption={t('units.childrenCaption', { name: unit.name })}
              columns={childColumns}
              rows={unit.children}
              rowKey={(c) => c.id}
              empty={
                <EmptyState
                  icon={<IconSitemap size={28} aria-hidden="true" />}
                  title={t('units.noChildren')}
                  description={t('units.noChildrenText')}
                />
              }
            />
          </Paper>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function UnitMembers({ unitId, unitName }: { unitId: string; unitName: string }) {
  const { t } = useTranslation();
  const lang = currentLocale();
  const paging = useCursorStack(`${unitId}|${lang}`);
  const { data, error, isFetching } = useQuery(
    personListQuery({ unitId, status: 'active', sort: 'name', lang, limit: 50, cursor: paging.cursor }),
  );
  return (
    <>
      <ErrorAlert error={error} />
      <PersonTable
        caption={t('units.membersCaption', { name: unitName })}
        columnsId="unit-members"
        rows={data?.items}
        loading={isFetching}
        paging={{ ...paging.table(data?.nextCursor), label: t('table.page', { page: paging.page }) }}
        empty={
          <EmptyState
            icon={<IconUsers size={28} aria-hidden="true" />}
            title={t('units.noMembers')}
            description={t('units.noMembersText')}
          />
        }
      />
    </>
  );
}
