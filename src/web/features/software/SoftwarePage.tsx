import {
  Badge,
  Button,
  Group,
  List,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconApps, IconMail, IconSearch } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useCan, useMe } from '../../api/session.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatDate, formatPercent } from '../../lib/format.ts';
import { personQuery } from '../persons/personQueries.ts';
import { darkLabel } from '../systems/SystemBadges.tsx';
import { None } from '../systems/tabs/common.tsx';
import { KeyReveal } from './KeyReveal.tsx';
import { type Pool, poolsQuery, watchQuery } from './poolsApi.ts';
import {
  type Assignment,
  type Coordinator,
  coordinatorsQuery,
  type MissingReport,
  missingReportsQuery,
  mySoftwareQuery,
  type ProcurementRequest,
  procurementQuery,
  type SoftwareTitle,
  titlesQuery,
} from './softwareApi.ts';

const MODEL_COLOR: Record<string, string> = { site: 'teal', reported: 'blue', seat_keys: 'grape' };

/** Software distribution: the catalogue, my software and keys, coordinators, procurement, missing reports. */
const route = getRouteApi('/app/licences');
const TABS = ['catalogue', 'pools', 'mine', 'coordinators', 'procurement', 'missing'] as const;

export function SoftwarePage() {
  const { t } = useTranslation();
  const can = useCan();
  // The tab is in the address, so it can be shared and Back returns to it.
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const tab = (TABS as readonly string[]).includes(search.tab ?? '') ? (search.tab as string) : 'catalogue';
  return (
    <>
      <PageHeader title={t('software.title')} subtitle={t('software.intro')} />
      <Watch />
      <Tabs
        value={tab}
        onChange={(v) => void navigate({ search: { tab: v && v !== 'catalogue' ? v : undefined } })}
        keepMounted={false}
      >
        <Tabs.List mb="md" aria-label={t('software.title')}>
          <Tabs.Tab value="catalogue">{t('software.tab.catalogue')}</Tabs.Tab>
          <Tabs.Tab value="pools">{t('software.tab.pools')}</Tabs.Tab>
          <Tabs.Tab value="mine">{t('software.tab.mine')}</Tabs.Tab>
          <Tabs.Tab value="coordinators">{t('software.tab.coordinators')}</Tabs.Tab>
          <Tabs.Tab value="procurement">{t('software.tab.procurement')}</Tabs.Tab>
          {can('software-report.read') && <Tabs.Tab value="missing">{t('software.tab.missing')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="catalogue">
          <Catalogue />
        </Tabs.Panel>
        <Tabs.Panel value="pools">
          <Pools />
        </Tabs.Panel>
        <Tabs.Panel value="mine">
          <MySoftware />
        </Tabs.Panel>
        <Tabs.Panel value="coordinators">
          <Coordinators />
        </Tabs.Panel>
        <Tabs.Panel value="procurement">
          <Procurement />
        </Tabs.Panel>
        {can('software-report.read') && (
          <Tabs.Panel value="missing">
            <MissingReports />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

export function ModelBadge({ model }: { model: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      color={MODEL_COLOR[model] ?? 'gray'}
      size="sm"
      radius="sm"
      styles={{ ...darkLabel(MODEL_COLOR[model] ?? 'gray'), root: { maxWidth: 'none' } }}
    >
      {t(`software.model.${model}`)}
    </Badge>
  );
}

function Catalogue() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const { data, error, isPending } = useQuery(titlesQuery(q));
  const columns: Column<SoftwareTitle>[] = [
    {
      key: 'name',
      header: t('software.col.name'),
      render: (s) => (
        <Stack gap={0}>
          <Text fz="sm" fw={500}>
            {s.name} {s.productVersion}
          </Text>
          {s.description && (
            <Text fz="xs" c="dimmed" lineClamp={1}>
              {s.description}
            </Text>
          )}
        </Stack>
      ),
    },
    { key: 'vendor', header: t('software.col.vendor'), render: (s) => s.vendor || <None /> },
    {
      key: 'platforms',
      header: t('software.col.platforms'),
      render: (s) => s.platforms.join(', ') || <None />,
    },
    { key: 'model', header: t('software.col.model'), render: (s) => <ModelBadge model={s.licenceModel} /> },
    {
      key: 'reporting',
      header: t('software.col.reporting'),
      render: (s) => (s.requiresReporting ? t('software.reportingYes') : t('software.reportingNo')),
    },
    {
      key: 'renewal',
      header: t('software.col.renewal'),
      nowrap: true,
      render: (s) => ((s.renewalOn ?? s.agreementEnd) ? formatDate(s.renewalOn ?? s.agreementEnd) : <None />),
    },
  ];
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <TextInput
          label={t('software.search')}
          leftSection={<IconSearch size={16} aria-hidden="true" />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          maw={360}
        />
        <ErrorAlert error={error} />
        <DataTable
          caption={t('software.tab.catalogue')}
          columns={columns}
          rows={data?.items}
          rowKey={(s) => s.id}
          loading={isPending}
          empty={
            <EmptyState icon={<IconApps size={28} aria-hidden="true" />} title={t('software.noTitles')} />
          }
        />
        <Text fz="sm" c="dimmed">
          {t('software.notOffered')}
        </Text>
      </Stack>
    </Paper>
  );
}

/** Pools above 90 % and agreements due within 90 days: what the licence-alerts job e-mails about. */
function Watch() {
  const { t } = useTranslation();
  const { data, error } = useQuery(watchQuery);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return null;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
      <Paper withBorder p="md" component="section" aria-labelledby="watch-pools">
        <Text fw={600} mb="xs" id="watch-pools">
          {t('pools.watch.poolsTitle', { pct: data.thresholds.poolPercent })}
        </Text>
        {data.poolsAbove.length ? (
          <List spacing={4} fz="sm">
            {data.poolsAbove.map((p) => (
              <List.Item key={p.id}>
                <AnchorLink to="/licences/pools/$poolId" params={{ poolId: p.id }} fz="sm">
                  {p.system.name}: {p.module}
                </AnchorLink>{' '}
                {t('pools.watch.poolLine', { used: p.used, size: p.size, pct: p.utilisation })}
              </List.Item>
            ))}
          </List>
        ) : (
          <Text fz="sm" c="dimmed">
            {t('pools.watch.noPools')}
          </Text>
        )}
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="watch-agreements">
        <Text fw={600} mb="xs" id="watch-agreements">
          {t('pools.watch.agreementsTitle', { days: data.thresholds.agreementDays })}
        </Text>
        {data.agreementsExpiring.length ? (
          <List spacing={4} fz="sm">
            {data.agreementsExpiring.map((a) => (
              <List.Item key={a.id}>
                {a.name} {a.productVersion}:{' '}
                {t(a.renewalOn ? 'pools.watch.renewal' : 'pools.watch.end', {
                  date: formatDate(a.date),
                  days: a.daysLeft,
                })}
              </List.Item>
            ))}
          </List>
        ) : (
          <Text fz="sm" c="dimmed">
            {t('pools.watch.noAgreements')}
          </Text>
        )}
      </Paper>
    </SimpleGrid>
  );
}

function Pools() {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(poolsQuery);
  const columns: Column<Pool>[] = [
    {
      key: 'module',
      header: t('pools.col.module'),
      render: (p) => (
        <AnchorLink to="/licences/pools/$poolId" params={{ poolId: p.id }} fz="sm" fw={500}>
          {p.system.name}: {p.module}
        </AnchorLink>
      ),
    },
    { key: 'used', header: t('pools.col.used'), render: (p) => `${p.used} / ${p.size}` },
    {
      key: 'utilisation',
      header: t('pools.col.utilisation'),
      render: (p) =>
        p.utilisation === null ? (
          <None />
        ) : (
          <Badge
            variant="light"
            color={p.utilisation >= 90 ? 'red' : 'gray'}
            size="sm"
            radius="sm"
            styles={darkLabel(p.utilisation >= 90 ? 'red' : 'gray')}
          >
            {formatPercent(p.utilisation, currentLocale())}
          </Badge>
        ),
    },
    { key: 'free', header: t('pools.col.free'), render: (p) => p.free },
  ];
  return (
    <Paper withBorder p="md">
      <Text fz="sm" c="dimmed" mb="sm">
        {t('pools.listIntro')}
      </Text>
      <ErrorAlert error={error} />
      <DataTable
        caption={t('software.tab.pools')}
        columns={columns}
        rows={data?.items}
        rowKey={(p) => p.id}
        loading={isPending}
        empty={<EmptyState title={t('pools.none')} />}
      />
    </Paper>
  );
}

function MySoftware() {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(mySoftwareQuery);
  const columns: Column<Assignment>[] = [
    { key: 'title', header: t('software.col.name'), render: (a) => a.title.name },
    { key: 'unit', header: t('software.col.unit'), render: (a) => a.unit.name },
    {
      key: 'key',
      header: t('software.col.key'),
      render: (a) => (a.key ? <KeyReveal keyId={a.key.id} hint={a.key.hint} /> : <None />),
    },
    { key: 'since', header: t('software.col.since'), nowrap: true, render: (a) => formatDate(a.assignedAt) },
  ];
  return (
    <Paper withBorder p="md">
      <ErrorAlert error={error} />
      <DataTable
        caption={t('software.tab.mine')}
        columns={columns}
        rows={data?.items}
        rowKey={(a) => a.id}
        loading={isPending}
        empty={<EmptyState title={t('software.noneMine')} description={t('software.noneMineText')} />}
      />
    </Paper>
  );
}

function Coordinators() {
  const { t } = useTranslation();
  const can = useCan();
  const { data, error, isPending } = useQuery(coordinatorsQuery);
  const columns: Column<Coordinator & { mayReadUnit: boolean }>[] = [
    {
      key: 'unit',
      header: t('software.col.unit'),
      // The unit's licence register opens to its head and coordinator (and administrators, auditors).
      render: (c) =>
        c.mayReadUnit ? (
          <AnchorLink to="/licences/units/$unitId" params={{ unitId: c.unit.id }} fz="sm" fw={500}>
            {c.unit.name}
          </AnchorLink>
        ) : (
          <Text span fz="sm" fw={500}>
            {c.unit.name}
          </Text>
        ),
    },
    { key: 'person', header: t('software.col.coordinator'), render: (c) => c.person.displayName },
    { key: 'email', header: t('software.col.email'), render: (c) => c.person.email ?? <None /> },
    { key: 'since', header: t('software.col.since'), nowrap: true, render: (c) => formatDate(c.appointedOn) },
    { key: 'commitment', header: t('software.col.commitment'), render: (c) => c.commitment.document },
  ];
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <ErrorAlert error={error} />
        <DataTable
          caption={t('software.tab.coordinators')}
          columns={columns}
          rows={data?.items}
          rowKey={(c) => c.id}
          loading={isPending}
          empty={<EmptyState title={t('software.noCoordinators')} />}
        />
      </Paper>
      {can('announcement.send') && <Announcement />}
    </Stack>
  );
}

function Announcement() {
  const { t } = useTranslation();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api.post<{ recipients: number; unreachable: { name: string; unit: string }[] }>(
        '/licence-coordinators/announcements',
        { subject, body },
      ),
    onSuccess: () => {
      setSubject('');
      setBody('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate aria-label={t('software.announce')}>
        <Stack gap="sm">
          <Text fw={600}>{t('software.announce')}</Text>
          <Text fz="sm" c="dimmed">
            {t('software.announceIntro')}
          </Text>
          <TextInput
            label={t('software.subject')}
            required
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            error={fieldError(send.error, 'subject')}
          />
          <Textarea
            label={t('software.message')}
            required
            autosize
            minRows={3}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={fieldError(send.error, 'body')}
          />
          <Group>
            <Button
              type="submit"
              loading={send.isPending}
              leftSection={<IconMail size={16} aria-hidden="true" />}
            >
              {t('software.send')}
            </Button>
            {send.data && (
              <Text fz="sm" role="status">
                {t('software.sent', { count: send.data.recipients })}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Procurement() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const queryClient = useQueryClient();
  const { data, error, isPending } = useQuery(procurementQuery);
  const [form, setForm] = useState({ softwareName: '', vendor: '', justification: '' });
  const person = useQuery(personQuery(me.personId));
  const myUnits = person.data?.data.units ?? [];
  const [chosenUnit, setChosenUnit] = useState<string | null>(null);
  const unitId = chosenUnit ?? myUnits[0]?.id ?? '';
  const create = useMutation({
    mutationFn: () => api.post<ProcurementRequest>('/procurement-requests', { ...form, unitId }),
    onSuccess: () => {
      setForm({ softwareName: '', vendor: '', justification: '' });
      void queryClient.invalidateQueries({ queryKey: ['software', 'procurement'] });
    },
  });
  const decide = useMutation({
    mutationFn: (a: { id: string; decision: 'approved' | 'rejected'; comment: string }) =>
      api.post(`/procurement-requests/${a.id}/decision`, { decision: a.decision, comment: a.comment }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['software', 'procurement'] }),
  });
  const columns: Column<ProcurementRequest>[] = [
    {
      key: 'name',
      header: t('software.col.name'),
      render: (r) => `${r.softwareName}${r.vendor ? ` (${r.vendor})` : ''}`,
    },
    { key: 'unit', header: t('software.col.unit'), render: (r) => r.unit.name },
    { key: 'by', header: t('software.col.requestedBy'), render: (r) => r.requestedBy },
    { key: 'why', header: t('software.col.justification'), render: (r) => r.justification },
    {
      key: 'status',
      header: t('software.col.status'),
      render: (r) =>
        r.status === 'open' && can('procurement.decide') ? (
          <Group gap={4} wrap="nowrap">
            <Button
              size="compact-xs"
              onClick={() => decide.mutate({ id: r.id, decision: 'approved', comment: '' })}
            >
              {t('software.approve')}
            </Button>
            <Button
              size="compact-xs"
              variant="light"
              color="red"
              onClick={() => {
                const comment = window.prompt(t('software.rejectReason')) ?? '';
                if (comment.trim()) decide.mutate({ id: r.id, decision: 'rejected', comment });
              }}
            >
              {t('software.reject')}
            </Button>
          </Group>
        ) : (
          t(`software.status.${r.status}`)
        ),
    },
  ];
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
          noValidate
          aria-label={t('software.requestTitle')}
        >
          <Stack gap="sm">
            <Text fw={600}>{t('software.requestTitle')}</Text>
            <Text fz="sm" c="dimmed">
              {t('software.requestIntro')}
            </Text>
            <Group align="flex-start" grow>
              <TextInput
                label={t('software.col.name')}
                required
                value={form.softwareName}
                onChange={(e) => setForm({ ...form, softwareName: e.currentTarget.value })}
                error={fieldError(create.error, 'softwareName')}
              />
              <TextInput
                label={t('software.col.vendor')}
                value={form.vendor}
                onChange={(e) => setForm({ ...form, vendor: e.currentTarget.value })}
              />
              <Select
                label={t('software.col.unit')}
                required
                data={myUnits.map((u) => ({ value: u.id, label: u.name }))}
                value={unitId || null}
                onChange={setChosenUnit}
                error={fieldError(create.error, 'unitId')}
              />
            </Group>
            <Textarea
              label={t('software.col.justification')}
              required
              autosize
              minRows={2}
              value={form.justification}
              onChange={(e) => setForm({ ...form, justification: e.currentTarget.value })}
              error={fieldError(create.error, 'justification')}
            />
            <Group>
              <Button type="submit" loading={create.isPending} disabled={!unitId}>
                {t('software.requestSend')}
              </Button>
            </Group>
            <ErrorAlert
              error={create.error && !fieldError(create.error, 'justification') ? create.error : null}
            />
          </Stack>
        </form>
      </Paper>
      <Paper withBorder p="md">
        <ErrorAlert error={error ?? decide.error} />
        <DataTable
          caption={t('software.tab.procurement')}
          columns={columns}
          rows={data?.items}
          rowKey={(r) => r.id}
          loading={isPending}
          empty={<EmptyState title={t('software.noRequests')} />}
        />
      </Paper>
    </Stack>
  );
}

function MissingReports() {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(missingReportsQuery);
  const columns: Column<MissingReport>[] = [
    { key: 'title', header: t('software.col.name'), render: (m) => m.title.name },
    {
      key: 'unit',
      header: t('software.col.unit'),
      render: (m) => (
        <AnchorLink to="/licences/units/$unitId" params={{ unitId: m.unit.id }} fz="sm">
          {m.unit.name}
        </AnchorLink>
      ),
    },
    { key: 'coordinator', header: t('software.col.coordinator'), render: (m) => m.coordinator ?? <None /> },
    {
      key: 'deadline',
      header: t('software.col.deadline'),
      nowrap: true,
      render: (m) => formatDate(m.deadline),
    },
  ];
  return (
    <Paper withBorder p="md">
      <Text fz="sm" c="dimmed" mb="sm">
        {t('software.missingIntro', { year: data?.periodYear ?? '' })}
      </Text>
      <ErrorAlert error={error} />
      <DataTable
        caption={t('software.tab.missing')}
        columns={columns}
        rows={data?.items}
        rowKey={(m) => `${m.title.id}-${m.unit.id}`}
        loading={isPending}
        empty={<EmptyState title={t('software.noMissing')} />}
      />
    </Paper>
  );
}
