import { Box, Button, Tabs } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../api/session.ts';
import { MAIN_ROLES } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SystemChecklistLink } from '../plans/SystemChecklistLink.tsx';
import { LifecycleBadge } from './SystemBadges.tsx';
import { SystemEditModal } from './SystemEditModal.tsx';
import { CurrentMessages } from './SystemMessages.tsx';
import { governanceObjectQuery, securityQuery, systemQuery } from './systemQueries.ts';
import { ChangeLogTab } from './tabs/ChangeLogTab.tsx';
import { DependenciesTab } from './tabs/DependenciesTab.tsx';
import { DocumentsTab } from './tabs/DocumentsTab.tsx';
import { IntegrationsTab } from './tabs/IntegrationsTab.tsx';
import { MaintenanceTab } from './tabs/MaintenanceTab.tsx';
import { OverviewTab } from './tabs/OverviewTab.tsx';
import { RolesTab } from './tabs/RolesTab.tsx';
import { SecurityTab } from './tabs/SecurityTab.tsx';

export const SYSTEM_TABS = [
  'overview',
  'roles',
  'dependencies',
  'integrations',
  'documents',
  'maintenance',
  'changes',
  'security',
] as const;
export type SystemTab = (typeof SYSTEM_TABS)[number];

const route = getRouteApi('/app/systems/$systemId');

export function SystemPage() {
  const { t } = useTranslation();
  const { systemId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const me = useMe();
  const can = useCan();
  const { data, error, isPending } = useQuery(systemQuery(systemId));
  const objectId = data?.data.governanceObject.id;
  const object = useQuery({ ...governanceObjectQuery(objectId ?? ''), enabled: Boolean(objectId) });
  // G12: asked for only when the policy says the caller may read it (a refused read is audited).
  const security = useQuery(securityQuery(systemId, data?.data.abilities?.readSecurity === true));
  const [editing, edit] = useDisclosure(false);

  if (isPending) return <PageLoading />;
  if (!data) return <ErrorAlert error={error} />;
  const system = data.data;
  const myRoles = (object.data?.roles ?? []).filter((r) => r.current && r.person.id === me.personId);
  const mayEdit =
    can('system.write') || myRoles.some((r) => (MAIN_ROLES as readonly string[]).includes(r.role));
  const showSecurity = Boolean(security.data);
  const requested = (SYSTEM_TABS as readonly string[]).includes(search.tab ?? '')
    ? (search.tab as SystemTab)
    : 'overview';
  const tab = requested === 'security' && !showSecurity ? 'overview' : requested;

  return (
    <>
      <PageHeader
        title={system.name}
        badge={<LifecycleBadge lifecycle={system.lifecycle} />}
        crumbs={[
          { label: t('nav.systems'), to: '/systems' },
          { label: system.governanceObject.name, to: `/governance-objects/${system.governanceObject.id}` },
        ]}
        subtitle={`${system.shortName} · ${t('system.partOf', { name: system.governanceObject.name })}`}
        actions={
          mayEdit && (
            <Button
              variant="default"
              leftSection={<IconPencil size={16} aria-hidden="true" />}
              onClick={edit.open}
            >
              {t('system.edit.button')}
            </Button>
          )
        }
      />
      {mayEdit && (
        <Box mb="md">
          <SystemChecklistLink systemId={system.id} />
        </Box>
      )}
      <CurrentMessages systemId={system.id} />
      <Tabs
        value={tab}
        onChange={(v) =>
          void navigate({ search: { tab: v && v !== 'overview' ? v : undefined }, replace: true })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">{t('system.tabs.overview')}</Tabs.Tab>
          <Tabs.Tab value="roles">{t('system.tabs.roles')}</Tabs.Tab>
          <Tabs.Tab value="dependencies">{t('system.tabs.dependencies')}</Tabs.Tab>
          <Tabs.Tab value="integrations">{t('system.tabs.integrations')}</Tabs.Tab>
          <Tabs.Tab value="documents">{t('system.tabs.documents')}</Tabs.Tab>
          <Tabs.Tab value="maintenance">{t('system.tabs.maintenance')}</Tabs.Tab>
          <Tabs.Tab value="changes">{t('system.tabs.changes')}</Tabs.Tab>
          {showSecurity && <Tabs.Tab value="security">{t('system.tabs.security')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <OverviewTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="roles">
          <RolesTab objectId={system.governanceObject.id} object={object.data} error={object.error} />
        </Tabs.Panel>
        <Tabs.Panel value="dependencies">
          <DependenciesTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="integrations">
          <IntegrationsTab system={system} isSourceOwner={myRoles.some((r) => r.role === 'system_owner')} />
        </Tabs.Panel>
        <Tabs.Panel value="documents">
          <DocumentsTab systemId={system.id} />
        </Tabs.Panel>
        <Tabs.Panel value="maintenance">
          <MaintenanceTab systemId={system.id} mayWrite={mayEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="changes">
          <ChangeLogTab systemId={system.id} mayWrite={mayEdit} />
        </Tabs.Panel>
        {security.data && (
          <Tabs.Panel value="security">
            <SecurityTab security={security.data} />
          </Tabs.Panel>
        )}
      </Tabs>
      {mayEdit && <SystemEditModal system={system} etag={data.etag} opened={editing} onClose={edit.close} />}
    </>
  );
}
