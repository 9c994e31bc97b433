import { Badge } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconClock, IconPencil, IconSignature } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

const LOOK = {
  none: { color: 'gray', icon: IconCircleDashed },
  draft: { color: 'grape', icon: IconPencil },
  proposed: { color: 'blue', icon: IconClock },
  approved: { color: 'cyan', icon: IconCircleCheck },
  signed: { color: 'teal', icon: IconSignature },
} as const;

/** A plan's state in words with an icon (never colour alone). */
export function PlanStateBadge({
  state,
  size = 'md',
}: {
  state: keyof typeof LOOK;
  size?: 'sm' | 'md' | 'lg';
}) {
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
      style={{ flexShrink: 0, overflow: 'visible' }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t(`plans.state.${state}`)}
    </Badge>
  );
}
