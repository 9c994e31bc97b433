import { Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldError } from './ErrorAlert.tsx';

export const isIsoDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** A report's period: two date fields (from, to) that report a whole date only, with the server's field errors. */
export function PeriodFields(props: {
  label: string;
  from: string;
  to: string;
  onChange: (patch: { from?: string; to?: string }) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" align="flex-start" role="search" aria-label={props.label}>
      <TextInput
        type="date"
        label={t('reports.from')}
        value={props.from}
        onChange={(e) => isIsoDate(e.currentTarget.value) && props.onChange({ from: e.currentTarget.value })}
        error={fieldError(props.error, 'from')}
        w={180}
      />
      <TextInput
        type="date"
        label={t('reports.to')}
        value={props.to}
        onChange={(e) => isIsoDate(e.currentTarget.value) && props.onChange({ to: e.currentTarget.value })}
        error={fieldError(props.error, 'to')}
        w={180}
      />
    </Group>
  );
}
