import { Paper, Text } from '@mantine/core';
import { IconTools } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

/** An area of the product that is not built yet: says so kindly and what it will hold. */
export function ComingSoonPage({ area }: { area: string }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t(`nav.${area}`)} />
      <Paper withBorder p="lg">
        <EmptyState
          icon={<IconTools size={28} aria-hidden="true" />}
          title={t('comingSoon.title')}
          description={
            <>
              <Text size="sm" component="span" display="block">
                {t(`comingSoon.${area}`)}
              </Text>
              <Text size="sm" component="span" display="block" mt={4}>
                {t('comingSoon.meanwhile')}
              </Text>
            </>
          }
        />
      </Paper>
    </>
  );
}
