import {
  Alert,
  Button,
  FileInput,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconCheck, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import type { ImportCounts, ImportResult } from '../../api/types.ts';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';

const COUNT_KEYS: (keyof ImportCounts)[] = [
  'unitsCreated',
  'unitsUpdated',
  'personsCreated',
  'personsUpdated',
  'personsLeft',
  'personsUnchanged',
];

function upload(file: File, dryRun: boolean) {
  const body = new FormData();
  body.append('file', file);
  return api.post<ImportResult>('/imports/org', body, { dryRun: String(dryRun) });
}

/** HR import: check the file first (dry run), then import it. */
export function ImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const check = useMutation({ mutationFn: (f: File) => upload(f, true) });
  const run = useMutation({
    mutationFn: (f: File) => upload(f, false),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['persons'] });
      void queryClient.invalidateQueries({ queryKey: ['org-units'] });
    },
  });

  const choose = (f: File | null) => {
    setFile(f);
    check.reset();
    run.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) {
      run.reset();
      check.mutate(file);
    }
  };

  const rowErrors = (err: unknown) =>
    err instanceof ApiError ? err.errors.filter((x) => x.line !== undefined) : [];
  const checkRows = rowErrors(check.error);

  return (
    <>
      <PageHeader
        title={t('import.title')}
        subtitle={t('import.intro')}
        crumbs={[{ label: t('nav.people'), to: '/persons' }]}
      />
      <Stack gap="md">
        <Paper withBorder p="md">
          <Title order={2} fz="lg" mb="sm">
            {t('import.step1')}
          </Title>
          <form onSubmit={submit} noValidate>
            <Group align="flex-start" gap="sm">
              <FileInput
                label={t('import.file')}
                description={t('import.fileHint')}
                placeholder={t('import.choose')}
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                value={file}
                onChange={choose}
                leftSection={<IconFileSpreadsheet size={16} aria-hidden="true" />}
                error={fieldError(check.error, 'file')}
                clearable
                clearButtonProps={{ 'aria-label': t('import.clear') }}
                w={380}
                maw="100%"
              />
              <Button type="submit" mt={46} disabled={!file} loading={check.isPending} variant="default">
                {t('import.check')}
              </Button>
            </Group>
          </form>
        </Paper>

        {check.error && checkRows.length === 0 && !fieldError(check.error, 'file') && (
          <ErrorAlert error={check.error} />
        )}
        {checkRows.length > 0 && (
          <Paper withBorder p="md">
            <Alert color="red" variant="light" role="alert" title={(check.error as ApiError).title} mb="sm">
              {t('import.fixRows')}
            </Alert>
            <Table.ScrollContainer minWidth={500}>
              <Table withTableBorder striped fz="sm" verticalSpacing={4}>
                <VisuallyHidden component="caption">{t('import.errorsCaption')}</VisuallyHidden>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={80}>{t('import.col.line')}</Table.Th>
                    <Table.Th w={180}>{t('import.col.column')}</Table.Th>
                    <Table.Th>{t('import.col.message')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {checkRows.map((r) => (
                    <Table.Tr key={`${r.line}-${r.column}-${r.message}`}>
                      <Table.Td>{r.line}</Table.Td>
                      <Table.Td>{r.column ?? r.field}</Table.Td>
                      <Table.Td>{r.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}

        {check.data && file && (
          <Paper withBorder p="md">
            <Title order={2} fz="lg" mb="xs">
              {t('import.step2')}
            </Title>
            <Text size="sm" mb="sm">
              {t('import.checkedOk', { name: file.name })}
            </Text>
            <CountsTable counts={check.data.counts} caption={t('import.dryRunCaption')} />
            {check.data.counts.personsLeft > 0 && !run.data && (
              <Alert
                color="orange"
                variant="light"
                mt="sm"
                title={t('import.leftWarningTitle', { count: check.data.counts.personsLeft })}
              >
                {t('import.leftWarning')}
              </Alert>
            )}
            {!run.data && (
              <Group mt="md">
                <Button
                  onClick={() => run.mutate(file)}
                  loading={run.isPending}
                  leftSection={<IconUpload size={16} aria-hidden="true" />}
                >
                  {t('import.run')}
                </Button>
              </Group>
            )}
            <ErrorAlert error={run.error} />
          </Paper>
        )}

        {run.data && (
          <Alert
            color="teal"
            variant="light"
            role="status"
            icon={<IconCheck size={18} aria-hidden="true" />}
            title={t('import.done')}
          >
            <CountsTable counts={run.data.counts} caption={t('import.doneCaption')} />
          </Alert>
        )}
      </Stack>
    </>
  );
}

function CountsTable({ counts, caption }: { counts: ImportCounts; caption: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Table withTableBorder fz="sm" verticalSpacing={4} maw={420} bg="white">
      <VisuallyHidden component="caption">{caption}</VisuallyHidden>
      <Table.Tbody>
        {COUNT_KEYS.map((k) => (
          <Table.Tr key={k}>
            <Table.Th scope="row" fw={500}>
              {t(`import.counts.${k}`)}
            </Table.Th>
            <Table.Td ta="right" ff="monospace">
              {formatNumber(counts[k], locale)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
