import { Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function None() {
  const { t } = useTranslation();
  return (
    <Text span c="dimmed" fz="sm">
      {t('common.none')}
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
