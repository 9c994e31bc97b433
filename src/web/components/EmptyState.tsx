import { EmptyState as MantineEmptyState } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** What a list is for when it has nothing in it, and how to get the first item. */
export function EmptyState(props: {
  title: string;
  description?: ReactNode;
  icon?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <MantineEmptyState
      py="xl"
      title={props.title}
      description={props.description}
      icon={props.icon ?? <IconInbox size={28} aria-hidden="true" />}
      withIndicatorBackground
    >
      {props.action && <MantineEmptyState.Actions>{props.action}</MantineEmptyState.Actions>}
    </MantineEmptyState>
  );
}
