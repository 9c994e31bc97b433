import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../api/session.ts';
import { LanguageSwitch } from '../../components/AppLayout.tsx';
import { DetailList } from '../../components/DetailList.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { roleList } from '../persons/PersonPage.tsx';
import { TokensSection } from './TokensSection.tsx';

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  return (
    <>
      <PageHeader title={t('account.title')} subtitle={t('account.intro')} />
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Paper withBorder p="md">
            <Title order={2} fz="lg" mb="xs">
              {t('account.signedInAs')}
            </Title>
            <DetailList
              items={[
                { label: t('account.name'), value: me.displayName },
                { label: t('account.username'), value: me.username },
                { label: t('account.roles'), value: roleList(me.roles, t) },
              ]}
            />
          </Paper>
          <Paper withBorder p="md">
            <Title order={2} fz="lg" mb="xs">
              {t('account.language')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('account.languageText')}
            </Text>
            <LanguageSwitch tone="light" />
          </Paper>
        </SimpleGrid>
        {can('token.manage-own') && <TokensSection />}
      </Stack>
    </>
  );
}
