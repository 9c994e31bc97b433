import { Alert, Paper, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { GovernanceObject } from '../../../api/types.ts';
import { AnchorLink } from '../../../components/AnchorLink.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageLoading } from '../../../components/Loading.tsx';
import { ExpectedRoles, GroupLists, RoleAssignmentTable } from '../../governance/RoleTables.tsx';
import { SectionTitle } from './common.tsx';

export function RolesTab(props: { objectId: string; object: GovernanceObject | undefined; error: unknown }) {
  const { t } = useTranslation();
  if (props.error) return <ErrorAlert error={props.error} />;
  const object = props.object;
  if (!object) return <PageLoading />;
  return (
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
          })}
        </Alert>
      )}
      <Paper withBorder p="md">
        <SectionTitle>{t('governance.rolesTitle')}</SectionTitle>
        <Stack gap="sm">
          <AnchorLink to="/governance-objects/$objectId" params={{ objectId: object.id }} fz="sm">
            {t('system.rolesFrom', { name: object.name })}
          </AnchorLink>
          <ExpectedRoles object={object} />
          <RoleAssignmentTable object={object} />
        </Stack>
      </Paper>
      <GroupLists object={object} />
    </Stack>
  );
}
