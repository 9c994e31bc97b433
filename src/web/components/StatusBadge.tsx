import { Badge } from '@mantine/core';
import { IconCircleCheck, IconCircleMinus, IconCircleX, IconClock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

const LOOK: Record<string, { color: string; icon: typeof IconCircleCheck }> = {
  active: { color: 'teal', icon: IconCircleCheck },
  left: { color: 'gray', icon: IconCircleMinus },
  closed: { color: 'gray', icon: IconCircleMinus },
  disabled: { color: 'red', icon: IconCircleX },
  revoked: { color: 'red', icon: IconCircleX },
  expired: { color: 'orange', icon: IconClock },
  pending: { color: 'yellow', icon: IconClock },
  held: { color: 'gray', icon: IconClock },
  queued: { color: 'yellow', icon: IconClock },
  sent: { color: 'teal', icon: IconCircleCheck },
  failed: { color: 'red', icon: IconCircleX },
};

/** A status as words with an icon (never colour alone). */
export function StatusBadge({ status, size = 'md' }: { status: string; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  const look = LOOK[status] ?? { color: 'gray', icon: IconCircleMinus };
  const Icon = look.icon;
  return (
    <Badge
      variant="light"
      color={look.color}
      size={size}
      radius="sm"
      leftSection={<Icon size={12} aria-hidden="true" />}
    >
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
