// Small pieces shared by the access-rights pages: the order state badge, the rule sentence of a refusal.
import { Alert, Badge, List } from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconCircleMinus,
  IconCircleX,
  IconClock,
  IconPencil,
  IconSend,
  IconTool,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { OrderState } from './accessQueries.ts';

const LOOK: Record<OrderState, { color: string; icon: typeof IconClock }> = {
  draft: { color: 'gray', icon: IconPencil },
  awaiting_approval: { color: 'violet', icon: IconClock },
  ready: { color: 'blue', icon: IconSend },
  in_progress: { color: 'indigo', icon: IconTool },
  fulfilled: { color: 'teal', icon: IconCircleCheck },
  rejected: { color: 'red', icon: IconCircleX },
  cancelled: { color: 'gray', icon: IconCircleMinus },
};

/** An order's state as words with an icon (never colour alone). */
export function OrderStateBadge({ state, size = 'md' }: { state: OrderState; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  const look = LOOK[state];
  const Icon = look.icon;
  return (
    <Badge
      variant="light"
      color={look.color}
      size={size}
      radius="sm"
      leftSection={<Icon size={12} aria-hidden="true" />}
      styles={{
        root: { maxWidth: 'none', flexShrink: 0 },
        label: { overflow: 'visible' },
      }}
    >
      {t(`access.state.${state}`)}
    </Badge>
  );
}

/**
 * A refusal by a rule shows the rule's sentence and the way forward (UX: rules visible); other errors
 * fall back to the usual alert. Field errors are shown next to their fields by the form.
 */
export function RuleAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.rule && error.status === 403) {
    const key = `access.rules.${error.rule}`;
    return (
      <Alert
        role="alert"
        color="red"
        variant="light"
        title={t(`${key}.title`, { defaultValue: error.title })}
        icon={<IconAlertTriangle size={18} aria-hidden="true" />}
      >
        {error.rule === 'A2' && error.orderers.length > 0
          ? t('access.rules.A2.nextNamed', { names: error.orderers.map((o) => o.name).join(', ') })
          : t(`${key}.next`, { defaultValue: error.title })}
      </Alert>
    );
  }
  if (error instanceof ApiError && error.status === 400 && error.errors.length > 0) {
    return (
      <Alert
        role="alert"
        color="red"
        variant="light"
        title={t('access.fixFields')}
        icon={<IconAlertTriangle size={18} aria-hidden="true" />}
      >
        <List size="sm">
          {error.errors.map((e) => (
            <List.Item key={`${e.field}-${e.message}`}>{e.message}</List.Item>
          ))}
        </List>
      </Alert>
    );
  }
  return <ErrorAlert error={error} />;
}
