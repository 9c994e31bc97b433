import { Card, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconHistory, IconKey, IconSitemap, IconUsers } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../api/session.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatDateProse } from '../../lib/format.ts';
import { useAccessInbox } from '../access/AccessInbox.tsx';
import { CurrentMessages } from '../systems/SystemMessages.tsx';
import classes from './HomePage.module.css';
import { useWorkInbox } from './WorkInbox.tsx';

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const firstName = me.displayName.split(' ')[0] ?? me.displayName;
  const accessInbox = useAccessInbox();
  const workInbox = useWorkInbox();
  return (
    <>
      <PageHeader
        title={t('home.title')}
        subtitle={t('home.welcome', { name: firstName, date: formatDateProse(new Date(), currentLocale()) })}
      />
      <CurrentMessages mine />
      <Paper withBorder p="md" mb="lg">
        <Title order={2} fz="lg" mb="xs">
          {t('home.inbox')}
        </Title>
        {accessInbox || workInbox ? (
          <Stack gap="sm">
            {accessInbox}
            {workInbox}
          </Stack>
        ) : (
          <EmptyState
            icon={<IconCircleCheck size={28} aria-hidden="true" />}
            title={t('home.inboxEmpty')}
            description={t('home.inboxEmptyText')}
          />
        )}
      </Paper>
      <Title order={2} fz="lg" mb="sm">
        {t('home.shortcuts')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        {can('person.read') && (
          <ShortcutCard
            to="/persons"
            icon={<IconUsers size={20} />}
            title={t('nav.persons')}
            text={t('home.personsText')}
          />
        )}
        {can('org.read') && (
          <ShortcutCard
            to="/units"
            icon={<IconSitemap size={20} />}
            title={t('nav.units')}
            text={t('home.unitsText')}
          />
        )}
        {can('audit.read') && (
          <ShortcutCard
            to="/admin/audit"
            icon={<IconHistory size={20} />}
            title={t('nav.audit')}
            text={t('home.auditText')}
          />
        )}
        {can('token.manage-own') && (
          <ShortcutCard
            to="/account"
            icon={<IconKey size={20} />}
            title={t('home.tokens')}
            text={t('home.tokensText')}
          />
        )}
      </SimpleGrid>
    </>
  );
}

function ShortcutCard(props: { to: string; icon: ReactNode; title: string; text: string }) {
  return (
    <Card withBorder padding="md" className={classes.card}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" size={36} radius="md" aria-hidden="true">
          {props.icon}
        </ThemeIcon>
        <div>
          <Link to={props.to} className={classes.link}>
            {props.title}
          </Link>
          <Text size="sm" c="dimmed" mt={2}>
            {props.text}
          </Text>
        </div>
      </Group>
    </Card>
  );
}
