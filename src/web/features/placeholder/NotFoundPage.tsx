import { Paper } from '@mantine/core';
import { IconMapPinQuestion } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('errors.pageNotFound.title')} />
      <Paper withBorder p="lg">
        <EmptyState
          icon={<IconMapPinQuestion size={28} aria-hidden="true" />}
          title={t('errors.pageNotFound.text')}
          action={<AnchorLink to="/">{t('errors.pageNotFound.home')}</AnchorLink>}
        />
      </Paper>
    </>
  );
}

/** Outside the signed-in frame (no AppShell): brings its own main landmark. */
export function StandaloneNotFoundPage() {
  return (
    <main id="main" style={{ padding: 24 }}>
      <NotFoundPage />
    </main>
  );
}
