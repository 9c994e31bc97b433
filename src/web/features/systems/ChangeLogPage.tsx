// G11, G7: every system's change log in a period, newest first, with a CSV export: the basis of the
// yearly report to the steering group ("förändringsdokumentationen blir också en bra grund för
// årsredovisningen").
import { Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconSearch } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../api/client.ts';
import { CHANGE_KINDS, type ChangeKind } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { isIsoDate, PeriodFields } from '../../components/PeriodFields.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { calendarDate } from '../../lib/format.ts';
import { ChangeLogList } from './tabs/ChangeLogTab.tsx';

export interface ChangeLogSearch {
  from?: string;
  to?: string;
  kind?: ChangeKind;
}
export const parseChangeLogSearch = (s: Record<string, unknown>): ChangeLogSearch => ({
  from: isIsoDate(s.from) ? s.from : undefined,
  to: isIsoDate(s.to) ? s.to : undefined,
  kind: (CHANGE_KINDS as readonly unknown[]).includes(s.kind) ? (s.kind as ChangeKind) : undefined,
});

const route = getRouteApi('/app/change-log');

export function ChangeLogPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  // Default: this year so far.
  const today = calendarDate();
  const query = {
    from: search.from ?? `${today.slice(0, 4)}-01-01`,
    to: search.to ?? today,
    kind: search.kind,
    q: q || undefined,
  };
  return (
    <>
      <PageHeader
        title={t('changeLog.title')}
        subtitle={t('changeLog.all.intro')}
        crumbs={[{ label: t('nav.systems'), to: '/systems' }]}
        actions={
          <>
            <Button
              variant="light"
              leftSection={<IconDownload size={16} aria-hidden="true" />}
              onClick={() => downloadFile('/change-log/export.csv', 'change-log.csv', query)}
            >
              {t('changeLog.all.export')}
            </Button>
            <Button
              variant="light"
              leftSection={<IconDownload size={16} aria-hidden="true" />}
              onClick={() =>
                downloadFile('/change-log/export.xlsx', 'change-log.xlsx', {
                  ...query,
                  lang: currentLocale(),
                })
              }
            >
              {t('changeLog.all.exportXlsx')}
            </Button>
          </>
        }
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm" align="flex-end" wrap="wrap">
            <PeriodFields
              label={t('changeLog.title')}
              from={query.from}
              to={query.to}
              onChange={(p) => void navigate({ search: (s) => ({ ...s, ...p }), replace: true })}
              error={null}
            />
            <Select
              label={t('changeLog.col.kind')}
              placeholder={t('changeLog.all.kindAny')}
              data={CHANGE_KINDS.map((k) => ({ value: k, label: t(`changeLog.kind.${k}`) }))}
              value={search.kind ?? null}
              onChange={(v) =>
                void navigate({ search: (s) => ({ ...s, kind: (v as ChangeKind | null) ?? undefined }) })
              }
              clearable
              w={200}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label={t('changeLog.all.search')}
              placeholder={t('changeLog.all.searchPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              w={280}
            />
          </Group>
          {query.from > query.to ? (
            <Text size="sm" c="red.9">
              {t('changeLog.all.backwards')}
            </Text>
          ) : (
            <ChangeLogList query={query} showSystem emptyText={t('changeLog.all.empty')} />
          )}
        </Stack>
      </Paper>
    </>
  );
}
