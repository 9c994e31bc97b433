import { Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** No value, said in words: "None", or what the absence means for this value ("Never" for a last review). */
export function None({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Text span c="dimmed" fz="sm">
      {label ?? t('common.none')}
    </Text>
  );
}

export function SectionTitle({ children }: { children: ReactNode }) {
  return (
    <Title order={2} fz="lg" fw={600} mb="xs">
      {children}
    </Title>
  );
}
