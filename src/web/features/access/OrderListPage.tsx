// My orders, my approval queue, my fulfilment queue (oldest first) and, for administrators and
// auditors, every order: one table with the scope as tabs in the URL.
import { Button, Group, Paper, Select, Stack, Tabs, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../api/session.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ExportLinks } from '../../components/ExportLinks.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useCursorStack } from '../../lib/useCursorStack.ts';
import { myAccessQuery, ORDER_STATES, type OrderState, orderListQuery } from './accessQueries.ts';
import { orderColumns } from './orderColumns.tsx';

const SCOPES = ['mine', 'approval', 'fulfilment', 'all'] as const;
export type OrderListSearch = { scope?: (typeof SCOPES)[number]; state?: OrderState; q?: string };

export function parseOrderListSearch(s: Record<string, unknown>): OrderListSearch {
  const pick = <T extends string>(values: readonly T[], v: unknown) =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
  return {
    scope: pick(SCOPES, s.scope),
    state: pick(ORDER_STATES, s.state),
    q: typeof s.q === 'string' && s.q.trim() ? s.q : undefined,
  };
}

const route = getRouteApi('/app/access/orders');

export function OrderListPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const can = useCan();
  const me = useQuery(myAccessQuery);
  const scope = search.scope ?? 'mine';
  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if ((search.q ?? '') !== debounced)
      void navigate({ search: (prev) => ({ ...prev, q: debounced || undefined }), replace: true });
  }, [debounced, search.q, navigate]);
  const paging = useCursorStack(JSON.stringify(search));
  const { data, error, isFetching, isPending } = useQuery(
    orderListQuery({ scope, state: search.state, q: search.q, limit: 50, cursor: paging.cursor }),
  );
  // The queues the caller has (the one open is always shown).
  const shown = {
    mine: true,
    approval: me.data?.abilities.approve ?? false,
    fulfilment: me.data?.abilities.fulfil ?? false,
    all: can('audit.read'),
  };

  const columns = orderColumns(t, { withPerson: true });

  const counts = me.data?.counts;
  const tabLabel = (s: (typeof SCOPES)[number]) => {
    const n = s === 'approval' ? counts?.toApprove : s === 'fulfilment' ? counts?.toFulfil : undefined;
    return n ? `${t(`access.scope.${s}`)} (${n})` : t(`access.scope.${s}`);
  };

  return (
    <>
      <PageHeader
        title={t(`access.scope.${scope}Title`)}
        subtitle={t(`access.scope.${scope}Intro`)}
        crumbs={[{ label: t('nav.access'), to: '/access' }]}
        actions={
          me.data?.abilities.order && (
            <Button
              component={Link}
              to="/access/order"
              leftSection={<IconPlus size={16} aria-hidden="true" />}
            >
              {t('access.newOrder')}
            </Button>
          )
        }
      />
      <Tabs
        value={scope}
        onChange={(v) => void navigate({ search: { scope: (v as OrderListSearch['scope']) ?? 'mine' } })}
        mb="md"
      >
        <Tabs.List>
          {SCOPES.filter((s) => s === scope || shown[s]).map((s) => (
            <Tabs.Tab key={s} value={s}>
              {tabLabel(s)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm" align="flex-end" role="search" aria-label={t('access.searchOrders')}>
            <TextInput
              label={t('access.search')}
              placeholder={t('access.searchOrdersPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              type="search"
              w={360}
              maw="100%"
            />
            <Select
              label={t('access.col.state')}
              placeholder={t('systems.filter.any')}
              data={ORDER_STATES.map((s) => ({ value: s, label: t(`access.state.${s}`) }))}
              value={search.state ?? null}
              onChange={(v) =>
                void navigate({
                  search: (prev) => ({ ...prev, state: (v as OrderState | null) ?? undefined }),
                })
              }
              clearable
              w={200}
            />
          </Group>
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <ExportLinks
              path="/orders/export"
              query={{ scope, state: search.state, q: search.q }}
              fileName="orders"
            />
          </Group>
          <DataTable
            caption={t(`access.scope.${scope}Title`)}
            columnsId="orders"
            columns={columns}
            rows={data?.items}
            rowKey={(o) => o.id}
            loading={isFetching || isPending}
            paging={{ ...paging.table(data?.nextCursor), label: t('table.page', { page: paging.page }) }}
            empty={
              search.q || search.state ? (
                <EmptyState title={t('access.ordersNoMatch')} description={t('access.ordersNoMatchText')} />
              ) : (
                <EmptyState
                  title={t(`access.scope.${scope}Empty`)}
                  description={t(`access.scope.${scope}EmptyText`)}
                />
              )
            }
          />
        </Stack>
      </Paper>
    </>
  );
}
