import { Alert, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { checklistQuery, formatDate } from './planQueries.ts';

/**
 * For the system page: the system's open checklist deviations (G6) and a link to its checklist.
 * Renders nothing for callers outside the governance organisation (the API refuses them).
 */
export function SystemChecklistLink({ systemId }: { systemId: string }) {
  const { t, i18n } = useTranslation();
  const sv = i18n.language.startsWith('sv');
  const { data } = useQuery(checklistQuery(systemId));
  if (!data) return null;
  const link = (
    <AnchorLink to="/systems/$systemId/checklist" params={{ systemId }} search={{}} fz="sm">
      {t('plans.appendix.open')}
    </AnchorLink>
  );
  if (!data.deviations.length)
    return (
      <Group gap="xs">
        <Text fz="sm">
          {data.latestAttested
            ? t('plans.checklist.lastAttested', {
                who: data.latestAttested.attestedBy,
                date: formatDate(data.latestAttested.attestedAt, i18n.language),
              })
            : t('plans.checklist.neverAttested')}
        </Text>
        {link}
      </Group>
    );
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} aria-hidden="true" />}
      title={t('plans.deviationsN', { count: data.deviations.length })}
    >
      {data.deviations.map((d) => (
        <Text fz="sm" key={d.questionKey}>
          {sv ? d.sv : d.en} – <strong>{t(`plans.answer.${d.answer}`)}</strong>
        </Text>
      ))}
      {link}
    </Alert>
  );
}
