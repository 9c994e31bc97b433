import { Alert, Button, Group, NativeSelect, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SectionTitle } from '../systems/tabs/common.tsx';
import { PlanStateBadge } from './PlanStateBadge.tsx';
import {
  deviationsQuery,
  objectPlanAbilitiesQuery,
  objectPlansQuery,
  type PlanSummary,
} from './planQueries.ts';

/**
 * On the governance object page: its plans by year, open deviations, and starting a plan. What the
 * caller may see and do is asked of the policy first (G5, G6), so nothing is requested only to be refused.
 */
export function ObjectPlansSection({ objectId }: { objectId: string }) {
  const { t, i18n } = useTranslation();
  const sv = i18n.language.startsWith('sv');
  const abilities = useQuery(objectPlanAbilitiesQuery(objectId));
  const may = abilities.data;
  const plans = useQuery({ ...objectPlansQuery(objectId), enabled: may?.readPlans === true });
  const devs = useQuery({ ...deviationsQuery(objectId), enabled: may?.readChecklist === true, retry: false });
  const qc = useQueryClient();
  const navigate = useNavigate();
  const thisYear = new Date().getFullYear();
  const years = (plans.data?.items ?? []).map((p) => p.year);
  const startable = [thisYear, thisYear + 1].filter((y) => !years.includes(y));
  const [chosen, setYear] = useState<string | null>(null);
  const year = chosen && startable.includes(Number(chosen)) ? chosen : String(startable.at(-1) ?? '');
  const start = useMutation({
    mutationFn: () =>
      api.post<PlanSummary>(`/governance-objects/${objectId}/plans`, {
        year: Number(year),
        language: sv ? 'sv' : 'en',
      }),
    onSuccess: async (p) => {
      await qc.invalidateQueries({ queryKey: ['plans'] });
      await navigate({ to: '/plans/$planId', params: { planId: p.id }, search: {} });
    },
  });
  if (!may) return abilities.error ? <ErrorAlert error={abilities.error} /> : null;
  const items = plans.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <SectionTitle>{t('plans.object.title')}</SectionTitle>
      {!may.readPlans ? (
        <Text fz="sm" c="dimmed">
          {t('plans.object.notVisible')}
        </Text>
      ) : (
        <Stack gap="xs">
          <ErrorAlert error={plans.error} />
          {devs.data && devs.data.items.length > 0 && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle size={18} aria-hidden="true" />}
              title={t('plans.deviationsN', { count: devs.data.items.length })}
            >
              {devs.data.items.map((d) => (
                <Text fz="sm" key={`${d.system.id}-${d.questionKey}`}>
                  <AnchorLink
                    to="/systems/$systemId/checklist"
                    params={{ systemId: d.system.id }}
                    search={{}}
                    fz="sm"
                  >
                    {d.system.name}
                  </AnchorLink>
                  : {sv ? d.sv : d.en} – <strong>{t(`plans.answer.${d.answer}`)}</strong>
                </Text>
              ))}
            </Alert>
          )}
          {items.length === 0 && plans.data && <Text fz="sm">{t('plans.object.none')}</Text>}
          {items.map((p) => {
            const latest = p.versions[p.versions.length - 1];
            return (
              <Group key={p.id} gap="sm">
                <AnchorLink to="/plans/$planId" params={{ planId: p.id }} search={{}} fz="sm" fw={500}>
                  {t('plans.object.planOf', { year: p.year })}
                </AnchorLink>
                <PlanStateBadge state={latest.state} size="sm" />
                <Text fz="xs" c="dimmed">
                  {t('plans.versionN', { n: latest.number })}
                </Text>
              </Group>
            );
          })}
          {may.createPlan && plans.data && startable.length > 0 && (
            <>
              <ErrorAlert error={start.error} />
              <Group gap="xs" align="flex-end">
                <NativeSelect
                  label={t('plans.year')}
                  size="xs"
                  value={year}
                  onChange={(e) => setYear(e.currentTarget.value)}
                  data={startable.map(String)}
                />
                <Button size="xs" variant="light" onClick={() => start.mutate()} loading={start.isPending}>
                  {t('plans.object.start')}
                </Button>
              </Group>
            </>
          )}
        </Stack>
      )}
    </Paper>
  );
}
