// One order: what was ordered (with the form as it was when ordered), its state and history, and the
// actions the caller may take now (send, withdraw, approve, reject with a reason, take, fulfil).
import {
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPencil, IconPlus, IconSend, IconTool, IconX } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { DetailList } from '../../components/DetailList.tsx';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import classes from './Access.module.css';
import { OrderStateBadge, RuleAlert } from './AccessParts.tsx';
import { fieldLabel, myAccessQuery, type Order, orderQuery } from './accessQueries.ts';

const route = getRouteApi('/app/access/orders/$orderId');

export function OrderPage() {
  const { t, i18n } = useTranslation();
  const { orderId } = route.useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { data: order, error, isPending } = useQuery(orderQuery(orderId));
  const mine = useQuery(myAccessQuery);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [rejecting, reject] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const [rejectError, setRejectError] = useState<unknown>(null);

  if (isPending) return <PageLoading />;
  if (!order) return <ErrorAlert error={error} />;

  const act = async (action: string, body: unknown = {}) => {
    setBusy(action);
    setActionError(null);
    try {
      const updated = await api.post<Order>(`/orders/${order.id}/${action}`, body);
      queryClient.setQueryData(orderQuery(order.id).queryKey, updated);
      await queryClient.invalidateQueries({ queryKey: ['access'] });
      notifications.show({
        message: t(`access.done.${action}`),
        color: 'teal',
        closeButtonProps: { 'aria-label': t('common.close') },
      });
    } catch (err) {
      setActionError(err);
      // A refusal may have been recorded in the order's history (L2), or the order changed meanwhile.
      void queryClient.invalidateQueries({ queryKey: orderQuery(order.id).queryKey });
      throw err;
    } finally {
      setBusy(null);
    }
  };
  const confirmReject = async () => {
    setRejectError(null);
    try {
      await act('reject', { reason });
      reject.close();
    } catch (err) {
      setRejectError(err);
    }
  };

  const title = t(order.kind === 'revocation' ? 'access.revocationN' : 'access.orderN', { n: order.number });
  const step = order.approvalSteps[order.approvalStep];

  return (
    <>
      <PageHeader
        title={title}
        badge={<OrderStateBadge state={order.state} />}
        crumbs={[
          { label: t('nav.access'), to: '/access' },
          { label: t('nav.accessOrders'), to: '/access/orders' },
        ]}
        subtitle={`${order.permission.name} · ${order.system.name} · ${order.person.displayName}`}
        actions={
          <>
            {order.can.submit && (
              <Button
                leftSection={<IconSend size={16} aria-hidden="true" />}
                loading={busy === 'submit'}
                onClick={() => void act('submit').catch(() => {})}
              >
                {t('access.action.submit')}
              </Button>
            )}
            {order.can.edit && (
              <Button
                variant="default"
                leftSection={<IconPencil size={16} aria-hidden="true" />}
                onClick={() => void navigate({ to: '/access/order', search: { edit: order.id } })}
              >
                {t('access.action.edit')}
              </Button>
            )}
            {order.can.approve && (
              <ConfirmButton
                danger={false}
                variant="filled"
                leftSection={<IconCheck size={16} aria-hidden="true" />}
                title={t('access.action.approveTitle')}
                message={t('access.action.approveText', {
                  person: order.person.displayName,
                  permission: order.permission.name,
                })}
                confirmLabel={t('access.action.approve')}
                onConfirm={() => act('approve')}
              >
                {t('access.action.approve')}
              </ConfirmButton>
            )}
            {order.can.take && (
              <Button
                variant="default"
                leftSection={<IconTool size={16} aria-hidden="true" />}
                loading={busy === 'take'}
                onClick={() => void act('take').catch(() => {})}
              >
                {t('access.action.take')}
              </Button>
            )}
            {order.can.fulfil && (
              <ConfirmButton
                danger={false}
                variant="filled"
                color="teal"
                leftSection={<IconCheck size={16} aria-hidden="true" />}
                title={t('access.action.fulfilTitle')}
                message={t(
                  order.kind === 'revocation'
                    ? 'access.action.fulfilRevocationText'
                    : 'access.action.fulfilText',
                  {
                    person: order.person.displayName,
                    permission: order.permission.name,
                    system: order.system.name,
                  },
                )}
                confirmLabel={t('access.action.fulfil')}
                // A refusal (a full licence pool, L2) is shown on the page, with the way to the pool.
                onConfirm={() => act('fulfil').catch(() => {})}
              >
                {t('access.action.fulfil')}
              </ConfirmButton>
            )}
            {order.can.reject && (
              <Button
                color="red"
                variant="light"
                leftSection={<IconX size={16} aria-hidden="true" />}
                onClick={reject.open}
              >
                {t('access.action.reject')}
              </Button>
            )}
            {order.can.cancel && (
              <ConfirmButton
                variant="subtle"
                title={t('access.action.cancelTitle')}
                message={t('access.action.cancelText')}
                confirmLabel={t('access.action.cancel')}
                onConfirm={() => act('cancel')}
              >
                {t('access.action.cancel')}
              </ConfirmButton>
            )}
          </>
        }
      />
      <RuleAlert error={actionError} />
      {actionError instanceof ApiError && actionError.poolId && (
        <Text fz="sm" mt="xs">
          <AnchorLink to="/licences/pools/$poolId" params={{ poolId: actionError.poolId }}>
            {t('access.openPool')}
          </AnchorLink>
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mt="sm">
        <Paper withBorder p="md">
          <Title order={2} fz="md" mb="sm">
            {t('access.order.details')}
          </Title>
          <DetailList
            items={[
              { label: t('access.col.kind'), value: t(`access.kind.${order.kind}`) },
              {
                label: t('access.col.person'),
                value: (
                  <AnchorLink
                    to="/persons/$personId"
                    params={{ personId: order.person.id }}
                    search={{}}
                    fz="sm"
                  >
                    {order.person.displayName}
                  </AnchorLink>
                ),
              },
              {
                label: t('access.col.system'),
                value: (
                  <AnchorLink
                    to="/systems/$systemId"
                    params={{ systemId: order.system.id }}
                    search={{}}
                    fz="sm"
                  >
                    {order.system.name}
                  </AnchorLink>
                ),
              },
              { label: t('access.col.permission'), value: order.permission.name },
              {
                label: t('access.col.accountType'),
                value: t(`access.accountType.${order.permission.accountType}`),
              },
              { label: t('access.col.units'), value: order.units.map((u) => u.name).join(', ') },
              ...order.formSnapshot.map((f) => ({
                label: fieldLabel(f, i18n.language),
                value: order.fieldValues[f.key] || t('common.none'),
              })),
              {
                label: t('access.order.expertUser'),
                value: order.expertUser ? `${t('common.yes')} (${order.personEmail})` : t('common.no'),
              },
              ...(order.validUntil
                ? [{ label: t('access.order.validUntil'), value: formatDate(order.validUntil) }]
                : []),
              ...(order.message ? [{ label: t('access.order.message'), value: order.message }] : []),
              { label: t('access.col.orderer'), value: order.orderer },
              ...(order.approvalSteps.length
                ? [
                    {
                      label: t('access.order.approvals'),
                      value: order.approvalSteps
                        .map(
                          (s, i) =>
                            `${i + 1}. ${t(`access.approver.${s}`)}${i < order.approvalStep ? ' ✓' : ''}`,
                        )
                        .join(' → '),
                    },
                  ]
                : []),
              ...(order.takenBy ? [{ label: t('access.order.takenBy'), value: order.takenBy }] : []),
              ...(order.reason ? [{ label: t('access.order.reason'), value: order.reason }] : []),
              ...(order.grantId
                ? [
                    {
                      label: t('access.order.grant'),
                      value: (
                        <AnchorLink to="/access/grants" search={{ personId: order.person.id }} fz="sm">
                          {t('access.order.seeGrants')}
                        </AnchorLink>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {order.state === 'awaiting_approval' && step && (
            <Text size="sm" c="dimmed" mt="sm">
              {t('access.order.waitingFor', {
                who:
                  order.approvers.length > 0
                    ? `${t(`access.approver.${step}`)} (${order.approvers.join(', ')})`
                    : t(`access.approver.${step}`),
              })}
            </Text>
          )}
          {order.kind === 'grant' && order.ordererPersonId && mine.data?.abilities.order && (
            <Button
              onClick={() =>
                void navigate({
                  to: '/access/order',
                  search: { personId: order.person.id, unitIds: order.units.map((u) => u.id).join(',') },
                })
              }
              variant="light"
              mt="md"
              leftSection={<IconPlus size={16} aria-hidden="true" />}
            >
              {t('access.order.another')}
            </Button>
          )}
        </Paper>
        <Paper withBorder p="md">
          <Title order={2} fz="md" mb="sm">
            {t('access.order.history')}
          </Title>
          <Timeline bulletSize={18} lineWidth={2} active={order.events.length - 1}>
            {order.events.map((e) => (
              <Timeline.Item
                key={e.id}
                title={
                  <Text fz="sm" fw={500}>
                    {t(`access.event.${e.event}`, { defaultValue: e.event })}
                  </Text>
                }
              >
                <Text fz="xs" c="dimmed">
                  {formatDateTime(e.at)} · {e.actor}
                </Text>
                {e.reason && <Text fz="sm">{e.reason}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        </Paper>
      </SimpleGrid>
      <Modal
        opened={rejecting}
        onClose={reject.close}
        title={t('access.action.rejectTitle')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack className={classes.form}>
          <Text size="sm">{t('access.action.rejectText')}</Text>
          <Textarea
            label={t('access.order.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            autosize
            minRows={3}
            error={fieldError(rejectError, 'reason')}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={reject.close}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={() => void confirmReject()} loading={busy === 'reject'}>
              {t('access.action.reject')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
