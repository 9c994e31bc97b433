import { Card, Group, SimpleGrid, Text, ThemeIcon } from '@mantine/core';
import { IconFileImport, IconHistory, IconMail, IconUserShield } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../api/session.ts';
import type { Ability } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import classes from '../home/HomePage.module.css';

export function AdminPage() {
  const { t } = useTranslation();
  const can = useCan();
  const items: { to: string; ability: Ability; icon: ReactNode; title: string; text: string }[] = [
    {
      to: '/admin/accounts',
      ability: 'account.manage',
      icon: <IconUserShield size={20} />,
      title: t('nav.accounts'),
      text: t('admin.accountsText'),
    },
    {
      to: '/admin/audit',
      ability: 'audit.read',
      icon: <IconHistory size={20} />,
      title: t('nav.audit'),
      text: t('admin.auditText'),
    },
    {
      to: '/admin/import',
      ability: 'person.import',
      icon: <IconFileImport size={20} />,
      title: t('nav.import'),
      text: t('admin.importText'),
    },
    {
      to: '/admin/outbox',
      ability: 'outbox.read',
      icon: <IconMail size={20} />,
      title: t('nav.outbox'),
      text: t('admin.outboxText'),
    },
  ];
  const allowed = items.filter((i) => can(i.ability));
  return (
    <>
      <PageHeader title={t('nav.admin')} subtitle={t('admin.intro')} />
      {allowed.length === 0 ? (
        <EmptyState title={t('admin.nothing')} description={t('admin.nothingText')} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" maw={900}>
          {allowed.map((i) => (
            <Card key={i.to} withBorder padding="md" className={classes.card}>
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <ThemeIcon variant="light" size={36} radius="md" aria-hidden="true">
                  {i.icon}
                </ThemeIcon>
                <div>
                  <Link to={i.to} className={classes.link}>
                    {i.title}
                  </Link>
                  <Text size="sm" c="dimmed" mt={2}>
                    {i.text}
                  </Text>
                </div>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
