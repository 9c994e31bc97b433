import { Anchor, Badge, Button, Group, List, Paper, Tabs, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconPencil, IconUserOff } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, downloadFile } from '../../api/client.ts';
import { useCan, useMe } from '../../api/session.ts';
import type { Person } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { DetailList } from '../../components/DetailList.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatDate, formatDateProse } from '../../lib/format.ts';
import { PersonAbsences } from '../absences/AbsencesPage.tsx';
import { PersonGrants } from '../access/GrantsTable.tsx';
import { PersonEditModal } from './PersonEditModal.tsx';
import { PersonLicences, PersonOrders } from './PersonOrdersLicences.tsx';
import { PersonRoles } from './PersonRoles.tsx';
import { identityUnitsQuery, personQuery } from './personQueries.ts';

const route = getRouteApi('/app/persons/$personId');
const PERSON_TABS = ['overview', 'account', 'roles', 'grants', 'orders', 'licences'] as const;
type PersonTab = (typeof PERSON_TABS)[number];

export function PersonPage() {
  const { t } = useTranslation();
  const { personId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const me = useMe();
  const can = useCan();
  const queryClient = useQueryClient();
  const { data, error, isPending } = useQuery(personQuery(personId));
  const identityUnits = useQuery(identityUnitsQuery);
  const [editing, edit] = useDisclosure(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const locale = currentLocale();

  if (isPending) return <PageLoading />;
  if (!data) return <ErrorAlert error={error} />;
  const person = data.data;
  const isSelf = me.personId === person.id;
  // V3: an identity editor edits the people of their units, except administrators.
  const mayEdit =
    can('person.write') ||
    (!person.account?.roles.includes('administrator') &&
      person.units.some((u) => identityUnits.data?.unitIds.includes(u.id)));

  const leave = async () => {
    const updated = await api.post<Person>(`/persons/${person.id}/leave`);
    await queryClient.invalidateQueries({ queryKey: ['persons'] });
    notifications.show({ message: t('person.leave.done', { name: updated.displayName }), color: 'teal' });
  };
  const exportData = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await downloadFile(`/persons/${person.id}/export`, `register-extract-${person.employeeId}.json`);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };

  const primary = person.units.find((u) => u.isPrimary) ?? person.units[0];
  // Orders about a person are read by administrators, auditors and the person (others are not asked).
  const mayReadOrders = can('order.read') || isSelf;
  const shownTabs = PERSON_TABS.filter((x) => x !== 'orders' || mayReadOrders);
  const tab = shownTabs.includes(search.tab as PersonTab) ? (search.tab as PersonTab) : 'overview';

  return (
    <>
      <PageHeader
        title={person.displayName}
        badge={<StatusBadge status={person.status} />}
        crumbs={[
          { label: t('nav.people'), to: '/persons' },
          { label: t('nav.persons'), to: '/persons' },
        ]}
        subtitle={
          <>
            {t('person.employeeIdShort', { id: person.employeeId })}
            {primary ? ` · ${primary.name}` : ''}
            {person.leftAt
              ? ` · ${t('person.leftOn', { date: formatDateProse(person.leftAt, locale) })}`
              : ''}
          </>
        }
        actions={
          <>
            {mayEdit && (
              <Button
                variant="default"
                leftSection={<IconPencil size={16} aria-hidden="true" />}
                onClick={edit.open}
              >
                {t('person.edit.button')}
              </Button>
            )}
            {(can('person.export') || isSelf) && (
              <Button
                variant="default"
                leftSection={<IconDownload size={16} aria-hidden="true" />}
                onClick={() => void exportData()}
                title={t('person.exportHint')}
                loading={exporting}
              >
                {t('person.export')}
              </Button>
            )}
            {can('person.leave') && person.status === 'active' && (
              <ConfirmButton
                leftSection={<IconUserOff size={16} aria-hidden="true" />}
                title={t('person.leave.title', { name: person.displayName })}
                message={
                  <>
                    <Text size="sm">{t('person.leave.intro')}</Text>
                    <List size="sm" mt="xs" spacing={4}>
                      <List.Item>{t('person.leave.effectStatus')}</List.Item>
                      <List.Item>{t('person.leave.effectSessions')}</List.Item>
                      <List.Item>{t('person.leave.effectKept')}</List.Item>
                    </List>
                  </>
                }
                confirmLabel={t('person.leave.confirm')}
                onConfirm={leave}
              >
                {t('person.leave.button')}
              </ConfirmButton>
            )}
          </>
        }
      />
      <ErrorAlert error={exportError} />
      <Tabs
        value={tab}
        onChange={(v) =>
          void navigate({
            search: { tab: v && v !== 'overview' && shownTabs.includes(v as PersonTab) ? v : undefined },
            replace: true,
          })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">{t('person.tabs.overview')}</Tabs.Tab>
          <Tabs.Tab value="account">{t('person.tabs.account')}</Tabs.Tab>
          <Tabs.Tab value="roles">{t('person.tabs.roles')}</Tabs.Tab>
          <Tabs.Tab value="grants">{t('access.grants.personTab')}</Tabs.Tab>
          {mayReadOrders && <Tabs.Tab value="orders">{t('person.tabs.orders')}</Tabs.Tab>}
          <Tabs.Tab value="licences">{t('person.tabs.licences')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Paper withBorder p="md">
            <DetailList
              items={[
                { label: t('person.givenName'), value: person.givenName },
                { label: t('person.familyName'), value: person.familyName },
                {
                  label: t('person.employeeId'),
                  value: (
                    <Text ff="monospace" fz="sm" span>
                      {person.employeeId}
                    </Text>
                  ),
                },
                {
                  label: t('person.email'),
                  value: person.email ? (
                    <Anchor href={`mailto:${person.email}`} fz="sm">
                      {person.email}
                    </Anchor>
                  ) : (
                    <Text span c="dimmed" fz="sm">
                      {t('common.none')}
                    </Text>
                  ),
                },
                {
                  label: t('person.units'),
                  value:
                    person.units.length === 0 ? (
                      <Text span c="dimmed" fz="sm">
                        {t('common.none')}
                      </Text>
                    ) : (
                      <Group gap="xs">
                        {person.units.map((u) => (
                          <Group gap={4} key={u.id}>
                            <AnchorLink to="/units/$unitId" params={{ unitId: u.id }} search={{}} fz="sm">
                              {u.name}
                            </AnchorLink>
                            {u.isPrimary && (
                              <Badge size="xs" variant="light" radius="sm">
                                {t('persons.primary')}
                              </Badge>
                            )}
                          </Group>
                        ))}
                      </Group>
                    ),
                },
                {
                  label: t('person.headOf'),
                  value:
                    person.headOf.length === 0 ? (
                      <Text span c="dimmed" fz="sm">
                        {t('common.none')}
                      </Text>
                    ) : (
                      <Group gap="xs">
                        {person.headOf.map((u) => (
                          <AnchorLink
                            key={u.id}
                            to="/units/$unitId"
                            params={{ unitId: u.id }}
                            search={{}}
                            fz="sm"
                          >
                            {u.name}
                          </AnchorLink>
                        ))}
                      </Group>
                    ),
                },
                { label: t('person.status'), value: <StatusBadge status={person.status} size="sm" /> },
                { label: t('absences.personLabel'), value: <PersonAbsences personId={person.id} /> },
                ...(person.leftAt ? [{ label: t('person.leftAt'), value: formatDate(person.leftAt) }] : []),
                { label: t('person.createdAt'), value: formatDate(person.createdAt) },
                { label: t('person.updatedAt'), value: formatDate(person.updatedAt) },
              ]}
            />
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="roles">
          <Paper withBorder p="md">
            <PersonRoles personId={person.id} />
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="grants">
          <Paper withBorder p="md">
            <PersonGrants personId={person.id} />
          </Paper>
        </Tabs.Panel>
        {mayReadOrders && (
          <Tabs.Panel value="orders">
            <Paper withBorder p="md">
              <PersonOrders personId={person.id} />
            </Paper>
          </Tabs.Panel>
        )}
        <Tabs.Panel value="licences">
          <Paper withBorder p="md">
            <PersonLicences personId={person.id} isSelf={isSelf} />
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="account">
          <Paper withBorder p="md">
            {person.account ? (
              <DetailList
                items={[
                  { label: t('account.username'), value: person.account.username },
                  {
                    label: t('account.roles'),
                    value: roleList(person.account.roles, t),
                  },
                  {
                    label: t('account.validUntil'),
                    value: person.account.validUntil
                      ? formatDate(person.account.validUntil)
                      : t('account.noEnd'),
                  },
                  {
                    label: t('account.state'),
                    value: <StatusBadge status={person.account.disabled ? 'disabled' : 'active'} size="sm" />,
                  },
                ]}
              />
            ) : (
              <Text size="sm" c="dimmed">
                {t('person.noAccount')}
              </Text>
            )}
          </Paper>
        </Tabs.Panel>
      </Tabs>
      {mayEdit && <PersonEditModal person={person} etag={data.etag} opened={editing} onClose={edit.close} />}
    </>
  );
}

export function roleList(roles: string[], t: (k: string, o?: Record<string, unknown>) => string): string {
  const shown = roles.filter((r) => r !== 'user');
  if (shown.length === 0) return t('roles.user');
  return shown.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ');
}
