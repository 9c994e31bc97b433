import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE, apiFetch } from '../../api/client.ts';
import { useMe } from '../../api/session.ts';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, type Template, templateQuery } from './planQueries.ts';

type Q = { key: string; en: string; sv: string; uid: string };
let uidCounter = 0;
const uid = () => `q${++uidCounter}`;

/** The checklist template (G6): administrators edit the questions; each save is a new version. */
export function ChecklistTemplatePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const admin = (me.abilities as Record<string, boolean | undefined>)['checklist-template.write'] === true;
  const qc = useQueryClient();
  const { data, error, isPending } = useQuery(templateQuery);
  const [qs, setQs] = useState<Q[]>([]);
  useEffect(() => {
    if (data) setQs(data.questions.map((q) => ({ ...q, uid: uid() })));
  }, [data]);
  const save = useMutation({
    mutationFn: async () => {
      const res = await apiFetch(`${API_BASE}/checklist-template`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ questions: qs.map(({ uid: _, ...q }) => q) }),
      });
      return (await res.json()) as Template;
    },
    onSuccess: (tpl) => qc.setQueryData(['plans', 'template'], tpl),
  });
  if (isPending) return <PageLoading />;
  if (!data) return <ErrorAlert error={error} />;
  const set = (i: number, k: keyof Q, v: string) => setQs(qs.map((q, j) => (j === i ? { ...q, [k]: v } : q)));
  return (
    <>
      <PageHeader
        title={t('plans.template.title')}
        subtitle={t('plans.template.subtitle', {
          version: data.version,
          date: formatDate(data.createdAt, i18n.language),
        })}
        crumbs={[{ label: t('nav.plans'), to: '/plans' }]}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          {!admin && <Text fz="sm">{t('plans.template.readOnly')}</Text>}
          <ErrorAlert error={save.error} />
          {qs.map((q, i) => (
            <Paper withBorder p="sm" key={q.uid}>
              <Group grow align="flex-start">
                <TextInput
                  label={t('plans.template.key')}
                  value={q.key}
                  disabled={!admin}
                  onChange={(e) => set(i, 'key', e.currentTarget.value)}
                  error={fieldError(save.error, `questions.${i}.key`)}
                  maw={200}
                />
                <TextInput
                  label={t('plans.template.sv')}
                  value={q.sv}
                  disabled={!admin}
                  onChange={(e) => set(i, 'sv', e.currentTarget.value)}
                />
                <TextInput
                  label={t('plans.template.en')}
                  value={q.en}
                  disabled={!admin}
                  onChange={(e) => set(i, 'en', e.currentTarget.value)}
                />
              </Group>
              {admin && (
                <Group justify="flex-end" mt={4}>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => setQs(qs.filter((_, j) => j !== i))}
                  >
                    {t('plans.template.remove')}
                  </Button>
                </Group>
              )}
            </Paper>
          ))}
          {admin && (
            <Group justify="space-between">
              <Button
                variant="default"
                onClick={() => setQs([...qs, { key: '', en: '', sv: '', uid: uid() }])}
              >
                {t('plans.template.add')}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {t('plans.template.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </>
  );
}
