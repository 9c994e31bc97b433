import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  List,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
} from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconLock } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, downloadFile, etagOfVersion } from '../../api/client.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { DetailList } from '../../components/DetailList.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate as tableDate } from '../../lib/format.ts';
import { ChangeLogList } from '../systems/tabs/ChangeLogTab.tsx';
import { SectionTitle } from '../systems/tabs/common.tsx';
import { ActivitiesTable } from './ActivitiesTable.tsx';
import { BudgetSummary } from './BudgetSummary.tsx';
import { PlanStateBadge } from './PlanStateBadge.tsx';
import {
  diffQuery,
  formatDate,
  formatDateTime,
  type PlanSummary,
  type PlanVersion,
  planQuery,
  versionQuery,
} from './planQueries.ts';

const route = getRouteApi('/app/plans/$planId');
export interface PlanSearch {
  version?: number;
  tab?: string;
}
export const parsePlanSearch = (s: Record<string, unknown>): PlanSearch => ({
  version: Number.isInteger(Number(s.version)) && Number(s.version) > 0 ? Number(s.version) : undefined,
  tab: typeof s.tab === 'string' ? s.tab : undefined,
});

/** A management plan: one version at a time (the open one by default), its parts, the flow and history. */
export function PlanPage() {
  const { planId } = route.useParams();
  const search = route.useSearch() as PlanSearch;
  const navigate = useNavigate();
  const plan = useQuery(planQuery(planId));
  if (plan.isPending) return <PageLoading />;
  if (!plan.data) return <ErrorAlert error={plan.error} />;
  const p = plan.data;
  const chosen = p.versions.find((v) => v.number === search.version);
  const versionId = chosen?.id ?? p.currentVersionId;
  const go = (next: PlanSearch) =>
    navigate({ to: '/plans/$planId', params: { planId }, search: { ...search, ...next } as never });
  return <VersionView plan={p} versionId={versionId} tab={search.tab ?? 'main'} go={go} />;
}

function VersionView(props: {
  plan: PlanSummary;
  versionId: string;
  tab: string;
  go: (s: PlanSearch) => void;
}) {
  const { t, i18n } = useTranslation();
  const { plan } = props;
  const qc = useQueryClient();
  const { data: v, error, isPending } = useQuery(versionQuery(props.versionId));
  if (isPending) return <PageLoading />;
  if (!v) return <ErrorAlert error={error} />;
  const refresh = async (next?: PlanVersion) => {
    if (next) qc.setQueryData(['plans', 'version', next.id], next);
    await qc.invalidateQueries({ queryKey: ['plans'] });
  };
  const frozen = v.state === 'approved' || v.state === 'signed';
  return (
    <>
      <PageHeader
        title={t('plans.plan.title', { object: v.object.name, year: v.year })}
        badge={<PlanStateBadge state={v.state} />}
        subtitle={t('plans.plan.subtitle', {
          n: v.number,
          count: plan.versions.length,
          language: t(`plans.language.${v.language}`),
        })}
        crumbs={[
          { label: t('nav.plans'), to: `/plans?year=${v.year}` },
          { label: v.object.name, to: `/governance-objects/${v.object.id}` },
        ]}
        actions={
          <>
            <NativeSelect
              aria-label={t('plans.plan.chooseVersion')}
              value={String(v.number)}
              onChange={(e) => props.go({ version: Number(e.currentTarget.value) })}
              data={plan.versions.map((x) => ({
                value: String(x.number),
                label: `${t('plans.versionN', { n: x.number })} – ${t(`plans.state.${x.state}`)}`,
              }))}
            />
            <Button
              variant="light"
              leftSection={<IconDownload size={16} aria-hidden="true" />}
              onClick={() =>
                downloadFile(`/plan-versions/${v.id}/pdf`, `plan-${v.year}-${v.object.name}-v${v.number}.pdf`)
              }
            >
              {t('plans.plan.pdf')}
            </Button>
          </>
        }
      />
      <Stack gap="md">
        {frozen && (
          <Alert variant="light" color="teal" icon={<IconLock size={18} aria-hidden="true" />}>
            {t('plans.plan.frozen', {
              date: formatDate(v.approvedAt, i18n.language),
              who: v.approvedBy?.displayName,
            })}{' '}
            <Code fz="xs">{v.contentHash}</Code>
          </Alert>
        )}
        <FlowPanel v={v} plan={plan} onDone={refresh} go={props.go} />
        <Tabs value={props.tab} onChange={(tab) => props.go({ tab: tab ?? 'main' })} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="main">{t('plans.tabs.main')}</Tabs.Tab>
            <Tabs.Tab value="activities">
              {t('plans.tabs.activitiesN', { count: v.activities.length })}
            </Tabs.Tab>
            <Tabs.Tab value="budget">{t('plans.tabs.budget')}</Tabs.Tab>
            <Tabs.Tab value="appendices">{t('plans.tabs.appendices')}</Tabs.Tab>
            <Tabs.Tab value="changes">{t('plans.tabs.changes')}</Tabs.Tab>
            <Tabs.Tab value="history">{t('plans.tabs.history')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="main" pt="md">
            <MainPart v={v} onDone={refresh} />
          </Tabs.Panel>
          <Tabs.Panel value="activities" pt="md">
            <ActivitiesTable version={v} />
          </Tabs.Panel>
          <Tabs.Panel value="budget" pt="md">
            <BudgetSummary budget={v.budget} notes={v.budgetNotes} />
          </Tabs.Panel>
          <Tabs.Panel value="appendices" pt="md">
            <Appendices v={v} />
          </Tabs.Panel>
          <Tabs.Panel value="changes" pt="md">
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {t('changeLog.plan.intro')}
              </Text>
              <ChangeLogList
                query={{ objectId: v.object.id, from: `${v.year - 1}-01-01`, to: `${v.year}-12-31` }}
                showSystem
                emptyText={t('changeLog.plan.empty')}
              />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="md">
            <History plan={plan} current={v.number} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </>
  );
}

function FlowPanel(props: {
  v: PlanVersion;
  plan: PlanSummary;
  onDone: (v?: PlanVersion) => Promise<void>;
  go: (s: PlanSearch) => void;
}) {
  const { t, i18n } = useTranslation();
  const { v } = props;
  const post = async (path: string, body?: unknown) => {
    const r = await api.post<PlanVersion>(`/plan-versions/${v.id}/${path}`, body ?? {});
    await props.onDone(r);
    return r;
  };
  const roles = ['system_owner', 'it_system_owner'] as const;
  return (
    <Paper withBorder p="md">
      <SectionTitle>{t('plans.flow.title')}</SectionTitle>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap={6}>
          <Text fz="sm">{t(`plans.flow.explain.${v.state}`)}</Text>
          <Group gap="xs">
            {v.abilities.propose && (
              <ConfirmButton
                danger={false}
                title={t('plans.flow.proposeTitle')}
                message={t('plans.flow.proposeText')}
                confirmLabel={t('plans.flow.propose')}
                onConfirm={() => post('propose')}
              >
                {t('plans.flow.propose')}
              </ConfirmButton>
            )}
            {v.abilities.approve && (
              <ConfirmButton
                danger={false}
                title={t('plans.flow.approveTitle')}
                message={t('plans.flow.approveText')}
                confirmLabel={t('plans.flow.approve')}
                onConfirm={() => post('approve')}
              >
                {t('plans.flow.approve')}
              </ConfirmButton>
            )}
            {v.abilities.returnToDraft && (
              <ConfirmButton
                title={t('plans.flow.returnTitle')}
                message={t('plans.flow.returnText')}
                confirmLabel={t('plans.flow.return')}
                onConfirm={() => post(v.abilities.approve ? 'reject' : 'return')}
              >
                {t('plans.flow.return')}
              </ConfirmButton>
            )}
            {v.abilities.sign.map((role) => (
              <ConfirmButton
                key={role}
                danger={false}
                title={t('plans.flow.signTitle', { role: t(`governance.roleInText.${role}`) })}
                message={
                  <>
                    {t('plans.flow.signText', { n: v.number })} <Code fz="xs">{v.contentHash}</Code>
                  </>
                }
                confirmLabel={t('plans.flow.sign')}
                onConfirm={() => post('sign', { role })}
              >
                {t('plans.flow.signAs', { role: t(`governance.roleInText.${role}`) })}
              </ConfirmButton>
            ))}
            {v.abilities.revise && (
              <ConfirmButton
                danger={false}
                title={t('plans.flow.reviseTitle')}
                message={t('plans.flow.reviseText', { n: v.number })}
                confirmLabel={t('plans.flow.revise')}
                onConfirm={async () => {
                  const r = await post('revise');
                  props.go({ version: r.number });
                }}
              >
                {t('plans.flow.revise')}
              </ConfirmButton>
            )}
          </Group>
        </Stack>
        <Stack gap={6}>
          <Text fz="sm" fw={600}>
            {t('plans.flow.signatures')}
          </Text>
          {roles.map((role) => {
            const s = v.signatures.find((x) => x.role === role);
            return (
              <Text key={role} fz="sm">
                {t(`governance.role.${role}`)}:{' '}
                {s ? (
                  <>
                    <strong>{s.person.displayName}</strong>, {formatDateTime(s.signedAt, i18n.language)}{' '}
                    <Code fz="xs">{s.contentHash.slice(0, 16)}…</Code>
                  </>
                ) : (
                  <Text span c="dimmed" fz="sm">
                    {t('plans.flow.notSigned')}
                  </Text>
                )}
              </Text>
            );
          })}
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}

function MainPart({ v, onDone }: { v: PlanVersion; onDone: (v?: PlanVersion) => Promise<void> }) {
  const { t } = useTranslation();
  const [goals, setGoals] = useState(v.goals);
  const [notes, setNotes] = useState(v.budgetNotes);
  const [scope, setScope] = useState(v.scope.map((s) => s.id));
  useEffect(() => {
    setGoals(v.goals);
    setNotes(v.budgetNotes);
    setScope(v.scope.map((s) => s.id));
  }, [v]);
  const save = useMutation({
    mutationFn: () =>
      api.patch<PlanVersion>(
        `/plan-versions/${v.id}`,
        { goals, budgetNotes: notes, scopeSystemIds: scope },
        etagOfVersion(v.rowVersion),
      ),
    onSuccess: (r) => onDone(r.data),
  });
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Paper withBorder p="md">
        <SectionTitle>{t('plans.main.goalsAndScope')}</SectionTitle>
        {v.abilities.edit ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate();
            }}
          >
            <Stack gap="sm">
              <ErrorAlert error={save.error} />
              <Textarea
                label={t('plans.main.goals')}
                value={goals}
                onChange={(e) => setGoals(e.currentTarget.value)}
                autosize
                minRows={4}
              />
              <Checkbox.Group label={t('plans.main.scope')} value={scope} onChange={setScope}>
                <Stack gap={4} mt={4}>
                  {v.availableSystems.map((s) => (
                    <Checkbox key={s.id} value={s.id} label={`${s.name} (${s.shortName})`} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <Textarea
                label={t('plans.main.budgetNotes')}
                value={notes}
                onChange={(e) => setNotes(e.currentTarget.value)}
                autosize
                minRows={2}
              />
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <DetailList
            items={[
              {
                label: t('plans.main.goals'),
                value: (
                  <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {v.goals || '–'}
                  </Text>
                ),
              },
              {
                label: t('plans.main.scope'),
                value: (
                  <List size="sm">
                    {v.scope.map((s) => (
                      <List.Item key={s.id}>
                        <AnchorLink to="/systems/$systemId" params={{ systemId: s.id }} search={{}} fz="sm">
                          {s.name}
                        </AnchorLink>
                      </List.Item>
                    ))}
                  </List>
                ),
              },
            ]}
          />
        )}
      </Paper>
      <Paper withBorder p="md">
        <SectionTitle>{t('plans.main.organisation')}</SectionTitle>
        <Text fz="xs" c="dimmed" mb="xs">
          {v.organisationFrozen ? t('plans.main.organisationFrozen') : t('plans.main.organisationLive')}
        </Text>
        <Table fz="sm" striped withTableBorder>
          <caption style={{ position: 'absolute', left: -9999 }}>{t('plans.main.organisation')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('plans.main.role')}</Table.Th>
              <Table.Th>{t('plans.main.person')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {v.organisation.map((o) => (
              <Table.Tr key={`${o.role}-${o.personId}`}>
                <Table.Td>{t(`governance.role.${o.role}`)}</Table.Td>
                <Table.Td>{o.displayName}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </SimpleGrid>
  );
}

function Appendices({ v }: { v: PlanVersion }) {
  const { t, i18n } = useTranslation();
  const sv = i18n.language.startsWith('sv');
  type Answered = NonNullable<PlanVersion['appendices'][number]['checklist']>['answers'][number];
  const answerColumns: Column<Answered>[] = [
    { key: 'question', header: t('plans.checklist.question'), render: (q) => (sv ? q.sv : q.en) },
    {
      key: 'answer',
      header: t('plans.checklist.answer'),
      nowrap: true,
      render: (q) =>
        q.answer ? (
          <Text span fz="sm" fw={q.answer === 'yes' ? 400 : 700} c={q.answer === 'yes' ? undefined : 'red.9'}>
            {t(`plans.answer.${q.answer}`)}
          </Text>
        ) : (
          '–'
        ),
    },
    { key: 'comment', header: t('plans.checklist.comment'), render: (q) => q.comment || '–' },
  ];
  return (
    <Stack gap="md">
      {v.appendices.map((a) => (
        <Paper withBorder p="md" key={a.system.id}>
          <Group justify="space-between">
            <SectionTitle>{t('plans.appendix.title', { system: a.system.name })}</SectionTitle>
            <AnchorLink
              to="/systems/$systemId/checklist"
              params={{ systemId: a.system.id }}
              search={{}}
              fz="sm"
            >
              {t('plans.appendix.open')}
            </AnchorLink>
          </Group>
          {a.deviations > 0 && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle size={18} aria-hidden="true" />}
              mb="xs"
            >
              {t('plans.deviationsN', { count: a.deviations })}
            </Alert>
          )}
          {!a.checklist ? (
            <Text fz="sm" c="dimmed">
              {t('plans.appendix.none')}
            </Text>
          ) : (
            <>
              <Text fz="sm" mb="xs">
                {t('plans.appendix.attested', {
                  who: a.checklist.attestedBy,
                  date: formatDate(a.checklist.attestedAt, i18n.language),
                })}
              </Text>
              <DataTable
                caption={t('plans.appendix.title', { system: a.system.name })}
                columns={answerColumns}
                rows={a.checklist.answers}
                rowKey={(q) => q.key}
              />
            </>
          )}
        </Paper>
      ))}
    </Stack>
  );
}

function History({ plan, current }: { plan: PlanSummary; current: number }) {
  const { t } = useTranslation();
  const nums = plan.versions.map((v) => v.number);
  const [from, setFrom] = useState(Math.max(1, current - 1));
  const [to, setTo] = useState(current);
  const diff = useQuery({ ...diffQuery(plan.id, from, to), enabled: nums.length > 1 && from !== to });
  const historyColumns: Column<PlanSummary['versions'][number]>[] = [
    {
      key: 'version',
      header: t('plans.col.version'),
      nowrap: true,
      render: (v) => (
        <AnchorLink to="/plans/$planId" params={{ planId: plan.id }} search={{ version: v.number }} fz="sm">
          {t('plans.versionN', { n: v.number })}
        </AnchorLink>
      ),
    },
    {
      key: 'status',
      header: t('plans.col.status'),
      render: (v) => <PlanStateBadge state={v.state} size="sm" />,
    },
    {
      key: 'created',
      header: t('plans.history.created'),
      nowrap: true,
      render: (v) => tableDate(v.createdAt),
    },
    {
      key: 'approved',
      header: t('plans.history.approved'),
      nowrap: true,
      render: (v) => tableDate(v.approvedAt) || '–',
    },
    {
      key: 'signed',
      header: t('plans.history.signed'),
      nowrap: true,
      render: (v) => tableDate(v.signedAt) || '–',
    },
    {
      key: 'hash',
      header: 'SHA-256',
      render: (v) => (v.contentHash ? <Code fz="xs">{v.contentHash.slice(0, 16)}…</Code> : '–'),
    },
  ];
  const show = (x: unknown) =>
    x === null || x === undefined || x === '' ? '–' : typeof x === 'object' ? JSON.stringify(x) : String(x);
  return (
    <Stack gap="md">
      <DataTable
        caption={t('plans.tabs.history')}
        columns={historyColumns}
        rows={plan.versions}
        rowKey={(v) => v.id}
      />
      {nums.length > 1 && (
        <Paper withBorder p="md">
          <SectionTitle>{t('plans.history.diff')}</SectionTitle>
          <Group gap="sm" mb="sm">
            <NativeSelect
              label={t('plans.history.from')}
              value={String(from)}
              onChange={(e) => setFrom(Number(e.currentTarget.value))}
              data={nums.map(String)}
            />
            <NativeSelect
              label={t('plans.history.to')}
              value={String(to)}
              onChange={(e) => setTo(Number(e.currentTarget.value))}
              data={nums.map(String)}
            />
          </Group>
          <ErrorAlert error={diff.error} />
          {diff.data && (
            <Stack gap={6}>
              {diff.data.fields.length +
                diff.data.activities.added.length +
                diff.data.activities.removed.length +
                diff.data.activities.changed.length ===
                0 && <Text fz="sm">{t('plans.history.same')}</Text>}
              {diff.data.fields.map((f) => (
                <Text fz="sm" key={f.field}>
                  <strong>{t(`plans.field.${f.field}`, { defaultValue: f.field })}</strong>: {show(f.before)}{' '}
                  → {show(f.after)}
                </Text>
              ))}
              {diff.data.activities.added.map((a) => (
                <Text fz="sm" key={`a-${a.lineageId}`} c="teal.9">
                  + {t('plans.history.added')}: {a.title}
                </Text>
              ))}
              {diff.data.activities.removed.map((a) => (
                <Text fz="sm" key={`r-${a.lineageId}`} c="red.9">
                  − {t('plans.history.removed')}: {a.title}
                </Text>
              ))}
              {diff.data.activities.changed.map((a) => (
                <Text fz="sm" key={`c-${a.lineageId}`}>
                  ~ {a.title}:{' '}
                  {a.fields
                    .map(
                      (f) =>
                        `${t(`plans.field.${f.field}`, { defaultValue: f.field })} ${show(f.before)} → ${show(f.after)}`,
                    )
                    .join('; ')}
                </Text>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </Stack>
  );
}
