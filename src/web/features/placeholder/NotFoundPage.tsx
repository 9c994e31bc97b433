import { Anchor, Paper } from '@mantine/core';
import { IconMapPinQuestion } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
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
          title={t('errors.pageNotFound.title')}
          description={t('errors.pageNotFound.text')}
          action={
            <Anchor component={Link} to="/">
              {t('errors.pageNotFound.home')}
            </Anchor>
          }
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
