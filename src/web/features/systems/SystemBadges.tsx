import { Badge, type MantineSize } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArchive,
  IconCircleCheck,
  IconClock,
  IconPlayerPause,
  IconTrendingDown,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { darkText } from '../../theme.ts';

/** Lifecycle colours, shared by the badge and the graph; the words always go with them. */
export const LIFECYCLE_LOOK: Record<
  string,
  { color: string; fill: string; border: string; icon: typeof IconClock }
> = {
  planned: { color: 'blue', fill: '#e7f0ff', border: '#1c5fc9', icon: IconClock },
  in_production: { color: 'teal', fill: '#e3f7ef', border: '#0b7a55', icon: IconCircleCheck },
  being_phased_out: { color: 'orange', fill: '#fff0e0', border: '#b35300', icon: IconTrendingDown },
  retired: { color: 'gray', fill: '#f1f3f5', border: '#5c636a', icon: IconArchive },
};

export { darkText };
/** Badge label styles with the darkest shade of the colour as text, so small badges pass WCAG AA contrast. */
export const darkLabel = (color: string) => ({
  label: { color: darkText(color) },
});

export function LifecycleBadge({ lifecycle, size = 'md' }: { lifecycle: string; size?: MantineSize }) {
  const { t } = useTranslation();
  const look = LIFECYCLE_LOOK[lifecycle] ?? { color: 'gray', icon: IconPlayerPause };
  const Icon = look.icon;
  return (
    <Badge
      variant="light"
      color={look.color}
      size={size}
      radius="sm"
      leftSection={<Icon size={12} aria-hidden="true" />}
      styles={darkLabel(look.color)}
    >
      {t(`systems.lifecycle.${lifecycle}`, { defaultValue: lifecycle })}
    </Badge>
  );
}

const CRITICALITY_COLOR: Record<string, string> = {
  low: 'gray',
  medium: 'blue',
  high: 'orange',
  critical: 'red',
};

export function CriticalityBadge({ criticality }: { criticality: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="outline"
      color={CRITICALITY_COLOR[criticality] ?? 'gray'}
      size="sm"
      radius="sm"
      styles={darkLabel(CRITICALITY_COLOR[criticality] ?? 'gray')}
    >
      {t(`systems.criticality.${criticality}`, { defaultValue: criticality })}
    </Badge>
  );
}

/** A warning that something is late, as words with an icon. */
export function OverdueBadge({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      color="red"
      size="sm"
      radius="sm"
      leftSection={<IconAlertTriangle size={12} aria-hidden="true" />}
      styles={darkLabel('red')}
    >
      {label ?? t('systems.overdue')}
    </Badge>
  );
}
