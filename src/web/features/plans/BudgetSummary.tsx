import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Budget, formatMoney, formatSek } from './planQueries.ts';

/** The budget appendix (G7): totals by side, kind and quarter against the object's frame, with a chart. */
export function BudgetSummary({ budget, notes }: { budget: Budget; notes?: string }) {
  const { t, i18n } = useTranslation();
  const m = (n: number) => formatMoney(n, i18n.language);
  const sek = (n: number) => formatSek(n, i18n.language);
  type Line = [string, { hours: number; cost: number }];
  // Three ways of dividing the same activities: each grouping adds up to the total, shown once.
  const groups: { key: string; title: string; lines: Line[] }[] = [
    {
      key: 'side',
      title: t('plans.budget.bySide'),
      lines: [
        [t('plans.side.business'), budget.bySide.business],
        [t('plans.side.it'), budget.bySide.it],
      ],
    },
    {
      key: 'kind',
      title: t('plans.budget.byKind'),
      lines: [
        [t('plans.kind.maintenance'), budget.byKind.maintenance],
        [t('plans.kind.development'), budget.byKind.development],
      ],
    },
    {
      key: 'quarter',
      title: t('plans.budget.byQuarter'),
      lines: budget.byQuarter.map((q) => [t('plans.quarterN', { n: q.quarter }), q] as Line),
    },
  ];
  const over = budget.difference !== null && budget.difference < 0;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Paper withBorder p="sm">
          <Text fz="xs" c="dimmed">
            {t('plans.budget.total')}
          </Text>
          <Text fz={22} fw={600}>
            {sek(budget.total.cost)}
          </Text>
          <Text fz="xs">{t('plans.budget.hoursN', { n: budget.total.hours })}</Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text fz="xs" c="dimmed">
            {t('plans.budget.frame')}
          </Text>
          <Text fz={22} fw={600}>
            {budget.frame === null ? '–' : sek(budget.frame)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text fz="xs" c="dimmed">
            {t('plans.budget.difference')}
          </Text>
          <Text fz={22} fw={600} c={over ? 'red.9' : undefined}>
            {budget.difference === null ? '–' : sek(budget.difference)}
          </Text>
          {over && (
            <Text fz="xs" c="red.9">
              {t('plans.budget.over')}
            </Text>
          )}
        </Paper>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <div>
          <Text fz="sm" fw={600} mb={4} id="budget-chart-title">
            {t('plans.budget.chartTitle')}
          </Text>
          <div role="img" aria-labelledby="budget-chart-title" aria-describedby="budget-table">
            <BarChart
              h={220}
              data={budget.byQuarter.map((q) => ({
                quarter: t('plans.quarterN', { n: q.quarter }),
                cost: q.cost,
              }))}
              dataKey="quarter"
              series={[{ name: 'cost', label: t('plans.activity.cost'), color: 'blue.6' }]}
              valueFormatter={(v) => m(v)}
              withTooltip={false}
            />
          </div>
        </div>
        <div>
          <Table withTableBorder fz="sm" id="budget-table" aria-describedby="budget-groups-note">
            <caption style={{ position: 'absolute', left: -9999 }}>{t('plans.budget.title')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('plans.budget.line')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('plans.activity.hours')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('plans.activity.cost')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            {groups.map((g) => (
              <Table.Tbody key={g.key}>
                <Table.Tr bg="var(--mantine-color-gray-1)">
                  <Table.Th scope="rowgroup" colSpan={3}>
                    {g.title}
                  </Table.Th>
                </Table.Tr>
                {g.lines.map(([label, v]) => (
                  <Table.Tr key={label}>
                    <Table.Th scope="row" fw={400} pl="lg">
                      {label}
                    </Table.Th>
                    <Table.Td style={{ textAlign: 'right' }}>{v.hours}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{m(v.cost)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            ))}
            <Table.Tfoot style={{ borderTop: '2px solid var(--mantine-color-gray-5)' }}>
              <Table.Tr>
                <Table.Th scope="row">{t('plans.budget.total')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{budget.total.hours}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{m(budget.total.cost)}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
          <Text fz="xs" c="dimmed" mt={4} id="budget-groups-note">
            {t('plans.budget.groupsNote')}
          </Text>
        </div>
      </SimpleGrid>
      {notes && (
        <Group>
          <Text fz="sm">
            <strong>{t('plans.budget.notes')}:</strong> {notes}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
