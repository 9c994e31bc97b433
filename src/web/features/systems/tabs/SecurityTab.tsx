import { Badge, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SecurityRecords } from '../../../api/types.ts';
import { type Column, DataTable } from '../../../components/DataTable.tsx';
import { DetailList } from '../../../components/DetailList.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { formatDate } from '../../../lib/format.ts';
import { darkLabel } from '../SystemBadges.tsx';
import { None, SectionTitle } from './common.tsx';

type Vuln = SecurityRecords['vulnerabilities'][number];
type Restore = SecurityRecords['restoreTests'][number];
type Rule = SecurityRecords['firewallRules'][number];

const RESULT_COLOR: Record<string, string> = { success: 'teal', partial: 'orange', failed: 'red' };

/** G12: vulnerabilities, backups and restore tests, firewall rules with their justification. */
export function SecurityTab({ security }: { security: SecurityRecords }) {
  const { t } = useTranslation();
  const result = (r: string) => (
    <Badge
      variant="light"
      color={RESULT_COLOR[r] ?? 'gray'}
      size="sm"
      radius="sm"
      styles={darkLabel(RESULT_COLOR[r] ?? 'gray')}
    >
      {t(`security.result.${r}`)}
    </Badge>
  );
  const vulnCols: Column<Vuln>[] = [
    { key: 'title', header: t('security.col.title'), render: (v) => v.title },
    { key: 'ref', header: t('security.col.reference'), render: (v) => v.reference ?? <None /> },
    {
      key: 'from',
      header: t('security.col.exposedFrom'),
      nowrap: true,
      render: (v) => formatDate(v.exposureStartedOn),
    },
    {
      key: 'until',
      header: t('security.col.exposedUntil'),
      nowrap: true,
      render: (v) =>
        v.exposureEndedOn ? (
          formatDate(v.exposureEndedOn)
        ) : (
          <Badge variant="light" color="red" size="sm" radius="sm" styles={darkLabel('red')}>
            {t('security.stillExposed')}
          </Badge>
        ),
    },
  ];
  const restoreCols: Column<Restore>[] = [
    { key: 'on', header: t('security.col.testedOn'), nowrap: true, render: (r) => formatDate(r.testedOn) },
    { key: 'result', header: t('security.col.result'), render: (r) => result(r.result) },
    { key: 'notes', header: t('security.col.notes'), render: (r) => r.notes || <None /> },
  ];
  const ruleCols: Column<Rule>[] = [
    {
      key: 'rule',
      header: t('security.col.rule'),
      render: (r) => (
        <Text span ff="monospace" fz="sm">
          {r.rule}
        </Text>
      ),
    },
    { key: 'why', header: t('security.col.justification'), render: (r) => r.justification },
    {
      key: 'review',
      header: t('security.col.reviewOn'),
      nowrap: true,
      render: (r) => (r.reviewOn ? formatDate(r.reviewOn) : <None label={t('common.notScheduled')} />),
    },
  ];
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('security.intro')}
      </Text>
      <Paper withBorder p="md">
        <SectionTitle>{t('security.vulnerabilities')}</SectionTitle>
        <DataTable
          caption={t('security.vulnerabilities')}
          columns={vulnCols}
          rows={security.vulnerabilities}
          rowKey={(v) => v.id}
          empty={<EmptyState title={t('security.noVulnerabilities')} />}
        />
      </Paper>
      <Paper withBorder p="md">
        <SectionTitle>{t('security.backup')}</SectionTitle>
        <DetailList
          items={[
            { label: t('security.backupArrangement'), value: security.backupArrangement ?? <None /> },
            {
              label: t('security.lastRestoreTest'),
              value: security.lastRestoreTest ? (
                <>
                  {formatDate(security.lastRestoreTest.testedOn)} {result(security.lastRestoreTest.result)}
                </>
              ) : (
                <None />
              ),
            },
            {
              label: t('system.field.hasTestEnvironment'),
              value: security.hasTestEnvironment ? t('common.yes') : t('common.no'),
            },
          ]}
        />
      </Paper>
      <Paper withBorder p="md">
        <SectionTitle>{t('security.restoreTests')}</SectionTitle>
        <DataTable
          caption={t('security.restoreTests')}
          columns={restoreCols}
          rows={security.restoreTests}
          rowKey={(r) => r.id}
          empty={<EmptyState title={t('security.noRestoreTests')} />}
        />
      </Paper>
      <Paper withBorder p="md">
        <SectionTitle>{t('security.firewallRules')}</SectionTitle>
        <DataTable
          caption={t('security.firewallRules')}
          columns={ruleCols}
          rows={security.firewallRules}
          rowKey={(r) => r.id}
          empty={<EmptyState title={t('security.noFirewallRules')} />}
        />
      </Paper>
    </Stack>
  );
}
