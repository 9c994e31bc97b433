// My work: the access-rights tasks of the signed-in person (orders to approve or fulfil, saved orders,
// news about their orders) and the warnings that concern them (units with too few orderers).
import { Group, List, Stack, Text } from '@mantine/core';
import { IconBell, IconClipboardCheck, IconPencil, IconTool } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { myAccessQuery, notificationsQuery } from './accessQueries.ts';

/** "Sent to IT" → "sent to IT": mid-sentence, without lower-casing the acronym. */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The access items of the home inbox; null when there is nothing. */
export function useAccessInbox(): ReactNode | null {
  const { t } = useTranslation();
  const me = useQuery(myAccessQuery);
  const notes = useQuery(notificationsQuery);
  if (!me.data) return null;
  const c = me.data.counts;
  // The newest unread news of each order (the list comes newest first): an order sent to IT and
  // fulfilled since the last visit is one line, saying where it is now.
  const seen = new Set<string>();
  const unread = (notes.data?.items ?? [])
    .filter((n) => !n.read && !seen.has(n.orderId) && seen.add(n.orderId))
    .slice(0, 5);
  const items: ReactNode[] = [];
  const row = (key: string, icon: ReactNode, link: ReactNode) =>
    items.push(
      <List.Item key={key} icon={icon}>
        {link}
      </List.Item>,
    );
  if (c.toApprove > 0)
    row(
      'approve',
      <IconClipboardCheck size={16} aria-hidden="true" />,
      <AnchorLink to="/access/orders" search={{ scope: 'approval' }} fz="sm">
        {t('access.inbox.toApprove', { count: c.toApprove })}
      </AnchorLink>,
    );
  if (c.toFulfil > 0)
    row(
      'fulfil',
      <IconTool size={16} aria-hidden="true" />,
      <AnchorLink to="/access/orders" search={{ scope: 'fulfilment' }} fz="sm">
        {t('access.inbox.toFulfil', { count: c.toFulfil })}
      </AnchorLink>,
    );
  if (c.drafts > 0)
    row(
      'drafts',
      <IconPencil size={16} aria-hidden="true" />,
      <AnchorLink to="/access/orders" search={{ scope: 'mine', state: 'draft' }} fz="sm">
        {t('access.inbox.drafts', { count: c.drafts })}
      </AnchorLink>,
    );
  for (const n of unread)
    row(
      n.id,
      <IconBell size={16} aria-hidden="true" />,
      <AnchorLink to="/access/orders/$orderId" params={{ orderId: n.orderId }} fz="sm">
        {t(n.orderKind === 'revocation' ? 'access.inbox.newsRevocation' : 'access.inbox.news', {
          n: n.orderNumber,
          what: `${n.permission} (${n.system})`,
          person: n.person,
          event: lowerFirst(t(`access.event.${n.event}`, { defaultValue: n.event })),
        })}
      </AnchorLink>,
    );
  if (items.length === 0) return null;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text fw={600} fz="sm">
          {t('nav.access')}
        </Text>
      </Group>
      <List spacing={6} size="sm" center>
        {items}
      </List>
    </Stack>
  );
}
