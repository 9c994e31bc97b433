import { Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

export function ReportsPage() {
  const { t } = useTranslation();
  const cards = [
    {
      to: '/reports/role-gaps' as const,
      title: t('reports.roleGaps.title'),
      text: t('reports.roleGaps.intro'),
    },
    {
      to: '/reports/overdue-documents' as const,
      title: t('reports.overdue.title'),
      text: t('reports.overdue.intro'),
    },
    { to: '/reports/lineage' as const, title: t('reports.lineage.title'), text: t('reports.lineage.intro') },
    { to: '/absences' as const, title: t('absences.tab.gaps'), text: t('absences.gaps.intro'), gaps: true },
  ];
  return (
    <>
      <PageHeader title={t('reports.title')} subtitle={t('reports.intro')} />
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        {cards.map((c) => (
          <Paper key={c.to} withBorder p="md">
            <Stack gap={4}>
              <AnchorLink to={c.to} search={'gaps' in c ? { tab: 'gaps' } : {}} fw={600}>
                {c.title}
              </AnchorLink>
              <Text size="sm" c="dimmed">
                {c.text}
              </Text>
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
    </>
  );
}
