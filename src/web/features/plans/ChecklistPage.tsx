import { Alert, Badge, Button, Group, Paper, Radio, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE, api, apiFetch } from '../../api/client.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate as tableDate } from '../../lib/format.ts';
import { SectionTitle } from '../systems/tabs/common.tsx';
import { type Answer, type Checklist, checklistQuery, formatDate } from './planQueries.ts';

/** G6: every answer but YES is a deviation. */
const ANSWER_COLOURS: Record<Answer, string> = {
  yes: 'teal',
  partly: 'yellow',
  no: 'red',
  not_applicable: 'gray',
};

const route = getRouteApi('/app/systems/$systemId/checklist');
const ANSWERS: Answer[] = ['yes', 'no', 'partly', 'not_applicable'];

/** The questions shown: the open draft's (its template version), else the current template's. */
const questionsOf = (x: Checklist | undefined) =>
  x
    ? x.draft
      ? x.draft.answers
      : x.template.questions.map((q) => ({ ...q, answer: null, comment: '' }))
    : [];

/** The security and continuity checklist of one system (G6): answer, attest, see open deviations. */
export function ChecklistPage() {
  const { t, i18n } = useTranslation();
  const sv = i18n.language.startsWith('sv');
  const { systemId } = route.useParams();
  const qc = useQueryClient();
  const { data: c, error, isPending } = useQuery(checklistQuery(systemId));
  const questions = questionsOf(c);
  const [answers, setAnswers] = useState<Record<string, { answer: Answer | null; comment: string }>>({});
  useEffect(() => {
    if (!c) return;
    const from = c.draft?.answers ?? c.latestAttested?.answers ?? [];
    setAnswers(
      Object.fromEntries(
        questionsOf(c).map((q) => {
          const a = from.find((x) => x.key === q.key);
          return [q.key, { answer: a?.answer ?? null, comment: a?.comment ?? '' }];
        }),
      ),
    );
  }, [c]);
  const put = useMutation({
    mutationFn: async () => {
      const body = {
        answers: Object.entries(answers)
          .filter(([, v]) => v.answer)
          .map(([questionKey, v]) => ({ questionKey, answer: v.answer, comment: v.comment })),
      };
      const res = await fetchPut(`/systems/${systemId}/checklist`, body);
      qc.setQueryData(['plans', 'checklist', systemId], res);
    },
  });
  if (isPending) return <PageLoading />;
  if (!c) return <ErrorAlert error={error} />;
  const editable = c.abilities.answer;
  return (
    <>
      <PageHeader
        title={t('plans.checklist.title', { system: c.system.name })}
        subtitle={t('plans.checklist.subtitle', { version: c.draft?.templateVersion ?? c.template.version })}
        crumbs={[
          { label: t('nav.systems'), to: '/systems' },
          { label: c.system.name, to: `/systems/${c.system.id}` },
        ]}
      />
      <Stack gap="md">
        {c.deviations.length > 0 && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} aria-hidden="true" />}
            title={t('plans.deviationsN', { count: c.deviations.length })}
          >
            <Stack gap={2}>
              {c.deviations.map((d) => (
                <Text fz="sm" key={d.questionKey}>
                  {sv ? d.sv : d.en} – <strong>{t(`plans.answer.${d.answer}`)}</strong>
                  {d.comment ? ` – ${d.comment}` : ''} ({formatDate(d.since, i18n.language)})
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        <Text fz="sm">
          {c.latestAttested
            ? t('plans.checklist.lastAttested', {
                who: c.latestAttested.attestedBy,
                date: formatDate(c.latestAttested.attestedAt, i18n.language),
              })
            : t('plans.checklist.neverAttested')}
          {c.draft ? ` ${t('plans.checklist.draftOpen', { who: c.draft.answeredBy ?? '' })}` : ''}
        </Text>
        <Paper withBorder p="md">
          <SectionTitle>{t('plans.checklist.questions')}</SectionTitle>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              put.mutate();
            }}
          >
            <Stack gap="md">
              <ErrorAlert error={put.error} />
              {questions.map((q, i) => {
                const a = answers[q.key] ?? { answer: null, comment: '' };
                // Read only: the answer as a word in its colour, not a row of greyed-out radio buttons.
                if (!editable)
                  return (
                    <Stack key={q.key} gap={2}>
                      <Text fz="sm" fw={500}>
                        {`${i + 1}. ${sv ? q.sv : q.en}`}
                      </Text>
                      <Group gap="xs">
                        {a.answer ? (
                          <Badge variant="light" color={ANSWER_COLOURS[a.answer]} radius="sm">
                            {t(`plans.answer.${a.answer}`)}
                          </Badge>
                        ) : (
                          <Text fz="sm" c="dimmed">
                            {t('plans.checklist.unanswered')}
                          </Text>
                        )}
                        {a.comment && <Text fz="sm">{a.comment}</Text>}
                      </Group>
                    </Stack>
                  );
                return (
                  <Stack key={q.key} gap={4}>
                    <Radio.Group
                      label={`${i + 1}. ${sv ? q.sv : q.en}`}
                      value={a.answer ?? ''}
                      onChange={(val) => setAnswers({ ...answers, [q.key]: { ...a, answer: val as Answer } })}
                    >
                      <Group gap="md" mt={4}>
                        {ANSWERS.map((x) => (
                          <Radio key={x} value={x} label={t(`plans.answer.${x}`)} />
                        ))}
                      </Group>
                    </Radio.Group>
                    <TextInput
                      size="xs"
                      aria-label={t('plans.checklist.commentOn', { n: i + 1 })}
                      placeholder={t('plans.checklist.comment')}
                      value={a.comment}
                      onChange={(e) =>
                        setAnswers({ ...answers, [q.key]: { ...a, comment: e.currentTarget.value } })
                      }
                    />
                  </Stack>
                );
              })}
              {(editable || c.abilities.attest) && (
                <Group justify="flex-end">
                  {editable && (
                    <Button type="submit" loading={put.isPending}>
                      {t('plans.checklist.save')}
                    </Button>
                  )}
                  {c.abilities.attest && c.draft && (
                    <ConfirmButton
                      danger={false}
                      title={t('plans.checklist.attestTitle')}
                      message={t('plans.checklist.attestText')}
                      confirmLabel={t('plans.checklist.attest')}
                      onConfirm={async () => {
                        const r = await api.post<Checklist>(`/systems/${systemId}/checklist/attest`);
                        qc.setQueryData(['plans', 'checklist', systemId], r);
                        await qc.invalidateQueries({ queryKey: ['plans'] });
                      }}
                    >
                      {t('plans.checklist.attest')}
                    </ConfirmButton>
                  )}
                </Group>
              )}
            </Stack>
          </form>
        </Paper>
        {c.history.length > 0 && (
          <Paper withBorder p="md">
            <SectionTitle>{t('plans.checklist.history')}</SectionTitle>
            <Table fz="sm" striped withTableBorder>
              <caption style={{ position: 'absolute', left: -9999 }}>{t('plans.checklist.history')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('plans.checklist.attestedOn')}</Table.Th>
                  <Table.Th>{t('plans.checklist.attestedBy')}</Table.Th>
                  <Table.Th>{t('plans.checklist.templateVersion')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.history.map((h) => (
                  <Table.Tr key={h.id}>
                    <Table.Td>{tableDate(h.attestedAt)}</Table.Td>
                    <Table.Td>{h.attestedBy}</Table.Td>
                    <Table.Td>{h.templateVersion}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )}
      </Stack>
    </>
  );
}

async function fetchPut(path: string, body: unknown) {
  const res = await apiFetch(API_BASE + path, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Checklist;
}
