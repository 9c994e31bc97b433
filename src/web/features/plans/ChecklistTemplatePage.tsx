import { Button, Group, List, Paper, Stack, Text, TextInput } from '@mantine/core';
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
  const header = (
    <PageHeader
      title={t('plans.template.title')}
      subtitle={t(admin ? 'plans.template.subtitle' : 'plans.template.subtitleRead', {
        version: data.version,
        date: formatDate(data.createdAt, i18n.language),
      })}
      crumbs={[{ label: t('nav.plans'), to: '/plans' }]}
    />
  );
  // Those who cannot edit read the questions, in their language, as a list.
  if (!admin) {
    const sv = i18n.language.startsWith('sv');
    return (
      <>
        {header}
        <Stack gap="sm">
          <Text fz="sm" c="dimmed">
            {t('plans.template.readOnly')}
          </Text>
          <Paper withBorder p="md">
            <List type="ordered" spacing="xs" fz="sm">
              {data.questions.map((q) => (
                <List.Item key={q.key}>{sv ? q.sv : q.en}</List.Item>
              ))}
            </List>
          </Paper>
        </Stack>
      </>
    );
  }
  return (
    <>
      {header}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorAlert error={save.error} />
          {qs.map((q, i) => (
            <Paper withBorder p="sm" key={q.uid}>
              <Group grow align="flex-start">
                <TextInput
                  label={t('plans.template.key')}
                  value={q.key}
                  onChange={(e) => set(i, 'key', e.currentTarget.value)}
                  error={fieldError(save.error, `questions.${i}.key`)}
                  maw={200}
                />
                <TextInput
                  label={t('plans.template.sv')}
                  value={q.sv}
                  onChange={(e) => set(i, 'sv', e.currentTarget.value)}
                />
                <TextInput
                  label={t('plans.template.en')}
                  value={q.en}
                  onChange={(e) => set(i, 'en', e.currentTarget.value)}
                />
              </Group>
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
            </Paper>
          ))}
          <Group justify="space-between">
            <Button variant="default" onClick={() => setQs([...qs, { key: '', en: '', sv: '', uid: uid() }])}>
              {t('plans.template.add')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('plans.template.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
