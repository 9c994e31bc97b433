import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import classes from './DetailList.module.css';

/** Label/value pairs as a description list. */
export function DetailList({ items }: { items: { label: string; value: ReactNode }[] }) {
  return (
    <dl className={classes.list}>
      {items.map((i) => (
        <div key={i.label} className={classes.row}>
          <Text component="dt" size="sm" c="dimmed" className={classes.term}>
            {i.label}
          </Text>
          <Text component="dd" size="sm" className={classes.value}>
            {i.value}
          </Text>
        </div>
      ))}
    </dl>
  );
}
