import { Anchor, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../lib/useDocumentTitle.ts';

export interface Crumb {
  label: string;
  /** A concrete path inside the app, e.g. /units/3f2… */
  to: string;
}

/** The title of a page: breadcrumbs, the entity's name and status badge, a subtitle and actions. */
export function PageHeader(props: {
  title: string;
  badge?: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
}) {
  const { t } = useTranslation();
  useDocumentTitle(props.title);
  return (
    <Stack gap={4} mb="lg">
      {props.crumbs && props.crumbs.length > 0 && (
        <Breadcrumbs aria-label={t('common.breadcrumbs')} separatorMargin={6} fz="sm">
          {props.crumbs.map((c) => (
            <Anchor key={c.to} component={Link} to={c.to} fz="sm">
              {c.label}
            </Anchor>
          ))}
        </Breadcrumbs>
      )}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="sm" align="center" wrap="wrap">
          <Title order={1} fz={26} fw={600}>
            {props.title}
          </Title>
          {props.badge}
        </Group>
        {props.actions && <Group gap="xs">{props.actions}</Group>}
      </Group>
      {props.subtitle && (
        <Text c="dimmed" size="sm" component="div">
          {props.subtitle}
        </Text>
      )}
    </Stack>
  );
}
