import { Badge, Group, List, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { GovernanceObject, GroupMember, RoleAssignment } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { formatDate } from '../../lib/format.ts';
import { darkLabel } from '../systems/SystemBadges.tsx';
import { None, SectionTitle } from '../systems/tabs/common.tsx';

const ROLE_ORDER = [
  'system_owner',
  'it_system_owner',
  'system_manager',
  'it_system_manager',
  'business_specialist',
  'it_specialist',
  'steering_group',
  'management_group',
  'reference_group',
];

/** Role assignments of a governance object: role, person, validity, who appointed them and when. */
export function RoleAssignmentTable({ object }: { object: GovernanceObject }) {
  const { t } = useTranslation();
  const rows = [...object.roles].sort(
    (a, b) =>
      ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.validFrom.localeCompare(b.validFrom),
  );
  const columns: Column<RoleAssignment>[] = [
    { key: 'role', header: t('governance.col.role'), render: (r) => t(`governance.role.${r.role}`) },
    {
      key: 'person',
      header: t('governance.col.person'),
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          <AnchorLink to="/persons/$personId" params={{ personId: r.person.id }} search={{}} fz="sm">
            {r.person.displayName}
          </AnchorLink>
          {r.person.status === 'left' && <StatusBadge status="left" size="sm" />}
        </Group>
      ),
    },
    {
      key: 'from',
      header: t('governance.col.validFrom'),
      nowrap: true,
      render: (r) => formatDate(r.validFrom),
    },
    {
      key: 'until',
      header: t('governance.col.validUntil'),
      nowrap: true,
      render: (r) => (r.validUntil ? formatDate(r.validUntil) : t('governance.noEnd')),
    },
    {
      key: 'current',
      header: t('governance.col.current'),
      render: (r) =>
        r.current ? (
          t('governance.current')
        ) : (
          <Text span fz="sm" c="dimmed">
            {new Date(r.validFrom) > new Date() ? t('governance.upcoming') : t('governance.ended')}
          </Text>
        ),
    },
    {
      key: 'appointedBy',
      header: t('governance.col.appointedBy'),
      render: (r) =>
        r.appointedBy ? (
          <AnchorLink to="/persons/$personId" params={{ personId: r.appointedBy.id }} search={{}} fz="sm">
            {r.appointedBy.displayName}
          </AnchorLink>
        ) : r.appointedByUnit ? (
          <AnchorLink to="/units/$unitId" params={{ unitId: r.appointedByUnit.id }} search={{}} fz="sm">
            {r.appointedByUnit.name}
          </AnchorLink>
        ) : (
          <None />
        ),
    },
    {
      key: 'appointedAt',
      header: t('governance.col.appointedAt'),
      nowrap: true,
      render: (r) => formatDate(r.appointedAt),
    },
  ];
  return (
    <DataTable
      caption={t('governance.rolesCaption', { name: object.name })}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      empty={
        <EmptyState
          icon={<IconUsers size={28} aria-hidden="true" />}
          title={t('governance.noRoles')}
          description={t('governance.noRolesText')}
        />
      }
    />
  );
}

function MemberList({ title, members }: { title: string; members: GroupMember[] }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md">
      <SectionTitle>{title}</SectionTitle>
      {members.length === 0 ? (
        <None />
      ) : (
        <List size="sm" spacing={4} listStyleType="none">
          {members.map((m) => (
            <List.Item key={`${m.personId}-${m.role}`}>
              <AnchorLink to="/persons/$personId" params={{ personId: m.personId }} search={{}} fz="sm">
                {m.displayName}
              </AnchorLink>{' '}
              <Text span fz="xs" c="dimmed">
                ({t(`governance.role.${m.role}`)})
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}

/** G4: the steering, management and reference groups. */
export function GroupLists({ object }: { object: GovernanceObject }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
      <MemberList title={t('governance.steeringGroup')} members={object.steeringGroup} />
      <MemberList title={t('governance.managementGroup')} members={object.managementGroup} />
      <MemberList title={t('governance.referenceGroup')} members={object.referenceGroup} />
    </SimpleGrid>
  );
}

/** G3: the roles the organisation model expects, and any that nobody holds today. */
export function ExpectedRoles({ object }: { object: GovernanceObject }) {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <Text size="sm">{t('governance.expectedIntro')}</Text>
      <Group gap="xs">
        {object.expectedRoles.map((r) => {
          const missing = object.missingRoles.includes(r);
          return (
            <Badge
              key={r}
              variant="light"
              color={missing ? 'red' : 'teal'}
              radius="sm"
              styles={darkLabel(missing ? 'red' : 'teal')}
            >
              {t(`governance.role.${r}`)}: {missing ? t('governance.missing') : t('governance.staffed')}
            </Badge>
          );
        })}
      </Group>
    </Stack>
  );
}
