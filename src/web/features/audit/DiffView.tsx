import { Badge, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldLabel } from './auditLabels.ts';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Before/after of an audit event, field by field; changed fields say so in words, not only colour. */
export function DiffView({
  before,
  after,
  caption,
  entityType,
}: {
  before: unknown;
  after: unknown;
  caption: string;
  entityType: string;
}) {
  const { t, i18n } = useTranslation();
  if (!isRecord(before) && !isRecord(after)) {
    return (
      <Text size="sm">
        {t('audit.diff.before')}: <Code>{show(before) || '—'}</Code> · {t('audit.diff.after')}:{' '}
        <Code>{show(after) || '—'}</Code>
      </Text>
    );
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  // A field recorded on one side only is not a change: some events record only what they set, or
  // a different record after (a pool's size before, the confirmed change after). Changes come first.
  const changedKey = (k: string) => k in b && k in a && show(b[k]) !== show(a[k]);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .sort()
    .sort((x, y) => Number(changedKey(y)) - Number(changedKey(x)));
  return (
    <Table fz="xs" verticalSpacing={4} withTableBorder withColumnBorders bg="white">
      <VisuallyHidden component="caption">{caption}</VisuallyHidden>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="22%">{t('audit.diff.field')}</Table.Th>
          <Table.Th>{t('audit.diff.before')}</Table.Th>
          <Table.Th>{t('audit.diff.after')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {keys.map((k) => {
          const changed = changedKey(k);
          return (
            <Table.Tr key={k} fw={changed ? 600 : undefined}>
              <Table.Td title={k}>
                {fieldLabel(t, (key) => i18n.exists(key), entityType, k)}{' '}
                {changed && (
                  <Badge size="xs" variant="light" color="orange" radius="sm">
                    {t('audit.diff.changed')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                {k in b ? (
                  show(b[k])
                ) : (
                  <Text span c="dimmed" fz="xs">
                    {t('audit.diff.absent')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                {k in a ? (
                  show(a[k])
                ) : (
                  <Text span c="dimmed" fz="xs">
                    {t('audit.diff.absent')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
