import { Center, Loader, Skeleton, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A page loading: keeps the space so nothing jumps when the data arrives. */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" aria-busy="true" aria-live="polite">
      <Skeleton height={14} width={160} />
      <Skeleton height={30} width={320} />
      <Center py="xl">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    </Stack>
  );
}
