import { Button, Collapse, Stack } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconFilter } from '@tabler/icons-react';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A list's filters beyond its search box: in the row on a wide screen; on a phone behind one button
 * that says how many of `values` are set (the search words apart), so that the list itself is on the first screen.
 */
export function MoreFilters({ values, children }: { values: object; children: ReactNode }) {
  const { t } = useTranslation();
  // The filters set, the search words (`q`, in their own box) apart.
  const active = Object.entries(values).filter(([k, v]) => k !== 'q' && v !== undefined).length;
  const narrow = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!narrow) return <>{children}</>;
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconFilter size={16} aria-hidden="true" />}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {active > 0 ? t('table.filtersActive', { count: active }) : t('table.filters')}
      </Button>
      <Collapse expanded={open} id={id} w="100%">
        <Stack gap="sm">{children}</Stack>
      </Collapse>
    </>
  );
}
