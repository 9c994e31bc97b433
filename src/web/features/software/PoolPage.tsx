import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Progress,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { IconShoppingCart } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatCurrency, formatDate, formatPercent } from '../../lib/format.ts';
import { type PoolChange, poolQuery, poolTrendQuery } from './poolsApi.ts';

const route = getRouteApi('/app/licences/pools/$poolId');

/** A module's licence pool (L1–L5): use, consumers by unit and person, size history and the checkout. */
export function PoolPage() {
  const { t, i18n } = useTranslation();
  const { poolId } = route.useParams();
  const { data, error } = useQuery(poolQuery(poolId));
  const trend = useQuery(poolTrendQuery(poolId));
  const [open, setOpen] = useState(false);
  const money = (n: number, currency: string) => formatCurrency(n, currentLocale(i18n.language), currency);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return null;
  const { pool } = data;
  // The size from the pool's set-up through each confirmed change to today (a step line).
  const confirmed = [...data.changes].filter((c) => c.status === 'confirmed').reverse();
  // On a time axis, so each size is drawn as long as it lasted.
  const at = (iso: string | null) => (iso ? new Date(iso).getTime() : Date.now());
  const history = [
    { at: at(pool.createdAt), size: confirmed[0]?.oldSize ?? pool.size },
    ...confirmed.map((c) => ({ at: at(c.confirmedAt), size: c.newSize })),
    { at: Date.now(), size: pool.size },
  ];
  const dayOf = (v: unknown) => formatDate(new Date(Number(v)));
  const changeCols: Column<PoolChange>[] = [
    {
      key: 'date',
      header: t('pools.col.date'),
      nowrap: true,
      render: (c) => formatDate(c.confirmedAt ?? c.preparedAt),
    },
    { key: 'kind', header: t('pools.col.kind'), render: (c) => t(`pools.kind.${c.kind}`) },
    { key: 'sizes', header: t('pools.col.sizes'), render: (c) => `${c.oldSize} → ${c.newSize}` },
    { key: 'price', header: t('pools.col.unitPrice'), render: (c) => money(c.unitPrice, pool.currency) },
    { key: 'total', header: t('pools.col.total'), render: (c) => money(c.total, pool.currency) },
    { key: 'who', header: t('pools.col.who'), render: (c) => c.confirmedBy ?? c.preparedBy },
    { key: 'status', header: t('pools.col.status'), render: (c) => t(`pools.status.${c.status}`) },
  ];
  const pct = pool.size ? Math.round((pool.used / pool.size) * 100) : 100;
  return (
    <>
      <PageHeader
        title={t('pools.title', { module: pool.module, system: pool.system.name })}
        subtitle={
          <>
            <AnchorLink
              to="/systems/$systemId"
              params={{ systemId: pool.system.id }}
              search={{}}
              underline="always"
            >
              {pool.system.name}
            </AnchorLink>
            {' · '}
            {t('pools.intro')}
          </>
        }
        crumbs={[{ label: t('software.title'), to: '/licences' }]}
        actions={
          // L5: only for those who may change the pool (administrators, the system's contract owner).
          data.canChange && (
            <Button
              leftSection={<IconShoppingCart size={16} aria-hidden="true" />}
              onClick={() => setOpen(true)}
            >
              {t('pools.change')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        <Paper withBorder p="md">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>{t('pools.usedOf', { used: pool.used, size: pool.size })}</Text>
            <Text fz="sm" c="dimmed">
              {t('pools.cost', {
                cost: money(pool.costPerYear, pool.currency),
                price: money(pool.unitPrice, pool.currency),
              })}
            </Text>
          </Group>
          <Progress
            value={pct}
            color={pct >= 90 ? 'red' : 'blue'}
            size="lg"
            aria-label={t('pools.utilisation', { pct })}
          />
        </Paper>
        {trend.data && (
          <Paper withBorder p="md" component="section" aria-labelledby="pool-trend">
            <Group justify="space-between" mb="xs">
              <Text fw={600} id="pool-trend">
                {t('pools.trend.title')}
              </Text>
              <Text fz="sm" c="dimmed">
                {trend.data.costPerUsedSeat === null
                  ? t('pools.trend.noSeatCost')
                  : t('pools.trend.seatCost', {
                      cost: money(trend.data.costPerUsedSeat, trend.data.currency),
                      price: money(trend.data.unitPrice, trend.data.currency),
                    })}
              </Text>
            </Group>
            <LineChart
              h={200}
              data={trend.data.points.map((p) => ({
                at: formatDate(p.at),
                used: p.used,
                size: p.size,
              }))}
              dataKey="at"
              // Month-end samples: straight lines between them, not a curve that invents values in between.
              curveType="linear"
              connectNulls={false}
              series={[
                { name: 'used', color: 'blue.6', label: t('pools.trend.used') },
                { name: 'size', color: 'gray.6', label: t('pools.size'), strokeDasharray: '5 5' },
              ]}
              withLegend
            />
            <Text fz="xs" c="dimmed" mt="xs">
              {t('pools.trend.note')}
            </Text>
          </Paper>
        )}
        <Paper withBorder p="md">
          <Text fw={600} mb="xs">
            {t('pools.byUnit')}
          </Text>
          <DataTable
            caption={t('pools.byUnit')}
            columns={[
              { key: 'unit', header: t('pools.col.unit'), render: (u) => u.unitName || '—' },
              { key: 'used', header: t('pools.col.users'), render: (u) => u.used },
              {
                key: 'share',
                header: t('pools.col.share'),
                render: (u) => formatPercent(u.share, currentLocale()),
              },
              { key: 'cost', header: t('pools.col.chargeback'), render: (u) => money(u.cost, pool.currency) },
            ]}
            rows={data.byUnit}
            rowKey={(u) => u.unitId ?? 'none'}
            empty={<EmptyState title={t('pools.noUsers')} />}
          />
          <Text fz="sm" mt="xs">
            <a href={`/api/v1/licence-pools/${pool.id}/chargeback.csv`}>{t('pools.chargebackCsv')}</a>
            {' · '}
            <a href={`/api/v1/licence-pools/${pool.id}/chargeback.xlsx`}>{t('pools.chargebackXlsx')}</a>
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text fw={600} mb="xs">
            {t('pools.history')}
          </Text>
          {confirmed.length > 0 && (
            <LineChart
              h={180}
              data={history}
              dataKey="at"
              xAxisProps={{
                type: 'number',
                scale: 'time',
                domain: ['dataMin', 'dataMax'],
                tickFormatter: dayOf,
              }}
              tooltipProps={{ labelFormatter: dayOf }}
              // The size holds until the next confirmed change.
              curveType="stepAfter"
              series={[{ name: 'size', color: 'blue.6', label: t('pools.size') }]}
              mb="md"
            />
          )}
          <DataTable
            caption={t('pools.history')}
            columns={changeCols}
            rows={data.changes}
            rowKey={(c) => c.id}
            empty={<EmptyState title={t('pools.noChanges')} />}
          />
        </Paper>
        <Paper withBorder p="md">
          <Text fw={600} mb="xs">
            {t('pools.consumers')}
          </Text>
          <DataTable
            caption={t('pools.consumers')}
            columns={[
              {
                key: 'person',
                header: t('pools.col.person'),
                render: (c) => (
                  <AnchorLink to="/persons/$personId" params={{ personId: c.person.id }} search={{}} fz="sm">
                    {`${c.person.displayName}${c.person.status === 'left' ? ` (${t('pools.left')})` : ''}`}
                  </AnchorLink>
                ),
              },
              {
                key: 'unit',
                header: t('pools.col.unit'),
                render: (c) =>
                  c.unit ? (
                    <AnchorLink to="/units/$unitId" params={{ unitId: c.unit.id }} search={{}} fz="sm">
                      {c.unit.name}
                    </AnchorLink>
                  ) : (
                    '—'
                  ),
              },
            ]}
            rows={data.consumers}
            rowKey={(c) => c.person.id}
            empty={<EmptyState title={t('pools.noUsers')} />}
          />
          {data.consumerCount > data.consumers.length && (
            <Text fz="sm" c="dimmed" mt="xs">
              {t('pools.consumersShown', { shown: data.consumers.length, total: data.consumerCount })}
            </Text>
          )}
        </Paper>
      </Stack>
      <Checkout
        opened={open}
        onClose={() => setOpen(false)}
        poolId={pool.id}
        size={pool.size}
        used={pool.used}
        unitPrice={pool.unitPrice}
        money={(n) => money(n, pool.currency)}
      />
    </>
  );
}

/** L5: prepare an upgrade or downgrade, review it, then confirm ("check out"). */
function Checkout(props: {
  opened: boolean;
  onClose: () => void;
  poolId: string;
  size: number;
  used: number;
  unitPrice: number;
  money: (n: number) => string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [newSize, setNewSize] = useState<number | string>(props.size + 1);
  const [unitPrice, setUnitPrice] = useState<number | string>(props.unitPrice);
  const [note, setNote] = useState('');
  const [prepared, setPrepared] = useState<PoolChange | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['pools'] });
  // Said at the field before anything is sent: an empty or negative size is not quietly 0.
  const [sizeError, setSizeError] = useState<string | null>(null);
  const prepare = useMutation({
    mutationFn: () =>
      api.post<PoolChange>(`/licence-pools/${props.poolId}/changes`, {
        newSize: Number(newSize),
        unitPrice: Number(unitPrice),
        note,
      }),
    onSuccess: (c) => {
      setPrepared(c);
      void refresh();
    },
  });
  const confirm = useMutation({
    mutationFn: () =>
      api.post<PoolChange>(`/licence-pools/${props.poolId}/changes/${prepared!.id}/confirm`, {}),
    onSuccess: () => {
      setPrepared(null);
      props.onClose();
      void refresh();
    },
  });
  const close = () => {
    setPrepared(null);
    prepare.reset();
    confirm.reset();
    props.onClose();
  };
  return (
    <Modal
      opened={props.opened}
      onClose={close}
      title={t('pools.change')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {!prepared ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const n = typeof newSize === 'number' ? newSize : Number.NaN;
            if (!Number.isInteger(n) || n < 0) {
              setSizeError(t('pools.sizeRequired'));
              return;
            }
            setSizeError(null);
            prepare.mutate();
          }}
          noValidate
        >
          <Stack gap="sm">
            <Text fz="sm" c="dimmed">
              {t('pools.changeIntro', { size: props.size, used: props.used })}
            </Text>
            <Group grow align="flex-start">
              <NumberInput
                label={t('pools.newSize')}
                min={0}
                allowNegative={false}
                allowDecimal={false}
                required
                value={newSize}
                onChange={(v) => {
                  setNewSize(v);
                  setSizeError(null);
                }}
                error={sizeError ?? fieldError(prepare.error, 'newSize')}
                data-autofocus
              />
              <NumberInput
                label={t('pools.col.unitPrice')}
                min={0}
                value={unitPrice}
                onChange={setUnitPrice}
                error={fieldError(prepare.error, 'unitPrice')}
              />
            </Group>
            <Textarea
              label={t('pools.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              autosize
              minRows={2}
            />
            {/* A refusal said at its field (the same size, a size below use) needs no second alert. */}
            {!hasOnlyFieldErrors(prepare.error, ['newSize', 'unitPrice']) && (
              <ErrorAlert error={prepare.error} />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={prepare.isPending}>
                {t('pools.prepare')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack gap="sm">
          <Alert color="blue" variant="light" title={t(`pools.kind.${prepared.kind}`)}>
            <Text fz="sm">
              {t('pools.review', {
                from: prepared.oldSize,
                to: prepared.newSize,
                price: props.money(prepared.unitPrice),
                total: props.money(prepared.total),
              })}
            </Text>
          </Alert>
          <ErrorAlert error={confirm.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('pools.later')}
            </Button>
            <Button onClick={() => confirm.mutate()} loading={confirm.isPending}>
              {t('pools.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
