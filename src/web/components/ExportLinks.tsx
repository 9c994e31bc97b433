import { Anchor, Group } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { API_BASE, type Query, withQuery } from '../api/client.ts';
import { currentLocale } from '../i18n/index.ts';

/**
 * Links that download exactly what a list shows (UX: "export of exactly what is shown"): `<path>.csv`
 * and `<path>.xlsx` with the list's filters, the workbook's headers in the UI language.
 */
export function ExportLinks({ path, query, fileName }: { path: string; query: Query; fileName: string }) {
  const { t } = useTranslation();
  const links = [
    { ext: 'csv', label: t('table.exportCsv'), href: withQuery(`${path}.csv`, query) },
    {
      ext: 'xlsx',
      label: t('table.exportXlsx'),
      href: withQuery(`${path}.xlsx`, { ...query, lang: currentLocale() }),
    },
  ];
  return (
    <Group gap="md">
      {links.map((l) => (
        <Anchor key={l.ext} href={API_BASE + l.href} download={`${fileName}.${l.ext}`} fz="sm">
          <Group gap={4} component="span" wrap="nowrap">
            <IconDownload size={16} aria-hidden="true" />
            {l.label}
          </Group>
        </Anchor>
      ))}
    </Group>
  );
}
