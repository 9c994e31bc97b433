import { Badge, Group, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import type { InformationContract, Integration, SystemDetail } from '../../../api/types.ts';
import { AnchorLink } from '../../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageLoading } from '../../../components/Loading.tsx';
import { currentLocale } from '../../../i18n/index.ts';
import { formatDate } from '../../../lib/format.ts';
import { categoryList } from '../personalData.ts';
import { darkLabel } from '../SystemBadges.tsx';
import { integrationsQuery } from '../systemQueries.ts';
import { SectionTitle } from './common.tsx';

const STATUS_COLOR: Record<string, string> = { proposed: 'yellow', active: 'teal', superseded: 'gray' };

export function ContractStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      color={STATUS_COLOR[status] ?? 'gray'}
      size="sm"
      radius="sm"
      styles={darkLabel(STATUS_COLOR[status] ?? 'gray')}
    >
      {t(`integration.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

export function IntegrationsTab({ system, isSourceOwner }: { system: SystemDetail; isSourceOwner: boolean }) {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(integrationsQuery(system.id));
  if (isPending) return <PageLoading />;
  if (!data) return <ErrorAlert error={error} />;
  const outgoing = data.items.filter((i) => i.source.id === system.id);
  const incoming = data.items.filter((i) => i.target.id === system.id);
  return (
    <Stack gap="md">
      <IntegrationList
        title={t('integration.outgoing')}
        items={outgoing}
        direction="out"
        mayConsent={isSourceOwner}
        systemId={system.id}
      />
      <IntegrationList
        title={t('integration.incoming')}
        items={incoming}
        direction="in"
        mayConsent={false}
        systemId={system.id}
      />
    </Stack>
  );
}

function IntegrationList(props: {
  title: string;
  items: Integration[];
  direction: 'in' | 'out';
  mayConsent: boolean;
  systemId: string;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md">
      <SectionTitle>{props.title}</SectionTitle>
      {props.items.length === 0 ? (
        <EmptyState
          icon={<IconArrowsExchange size={28} aria-hidden="true" />}
          title={props.direction === 'out' ? t('integration.noOutgoing') : t('integration.noIncoming')}
          description={t('integration.emptyText')}
        />
      ) : (
        <Stack gap="lg">
          {props.items.map((i) => (
            <IntegrationCard
              key={i.id}
              integration={i}
              direction={props.direction}
              mayConsent={props.mayConsent}
              systemId={props.systemId}
            />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function IntegrationCard(props: {
  integration: Integration;
  direction: 'in' | 'out';
  mayConsent: boolean;
  systemId: string;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const i = props.integration;
  const other = props.direction === 'out' ? i.target : i.source;
  const contracts = [...i.contracts].sort((a, b) => b.version - a.version);
  const consent = async (c: InformationContract) => {
    await api.post(`/integrations/${i.id}/contracts/${c.version}/consent`);
    await queryClient.invalidateQueries({ queryKey: ['integrations', props.systemId] });
  };
  return (
    <Stack gap={6}>
      <Group gap="sm" wrap="wrap">
        <Text fw={600} size="sm" component="h3" m={0}>
          {i.name}
        </Text>
        <Text size="sm" c="dimmed">
          {props.direction === 'out' ? t('integration.to') : t('integration.from')}{' '}
          <AnchorLink to="/systems/$systemId" params={{ systemId: other.id }} search={{}} fz="sm">
            {other.name}
          </AnchorLink>
        </Text>
        {i.activeVersion === null ? (
          <Badge variant="light" color="orange" size="sm" radius="sm" styles={darkLabel('orange')}>
            {t('integration.noActive')}
          </Badge>
        ) : (
          <Text size="sm">{t('integration.activeVersion', { version: i.activeVersion })}</Text>
        )}
      </Group>
      {i.description && <Text size="sm">{i.description}</Text>}
      {contracts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('integration.noContract')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table fz="sm" withTableBorder verticalSpacing={4}>
            <VisuallyHidden component="caption">
              {t('integration.contractsCaption', { name: i.name })}
            </VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('integration.col.version')}</Table.Th>
                <Table.Th>{t('integration.col.status')}</Table.Th>
                <Table.Th>{t('integration.col.dataItems')}</Table.Th>
                <Table.Th>{t('integration.col.personalData')}</Table.Th>
                <Table.Th>{t('integration.col.consent')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contracts.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.version}</Table.Td>
                  <Table.Td>
                    <ContractStatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>
                    {c.dataItems.join(', ')}
                    <Text fz="xs" c="dimmed">
                      {t('integration.purpose')}: {c.purpose}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {c.includesPersonalData
                      ? `${categoryList(c.personalDataCategories, currentLocale(i18n.language)) || t('common.yes')} · ${t(`integration.legalBasis.${c.legalBasis}`, { defaultValue: c.legalBasis ?? '' })}`
                      : t('common.no')}
                  </Table.Td>
                  <Table.Td>
                    {c.consentedAt ? (
                      t('integration.consentedBy', {
                        name: c.consentedBy ?? '',
                        date: formatDate(c.consentedAt),
                      })
                    ) : c.status === 'proposed' && props.mayConsent ? (
                      <ConfirmButton
                        size="xs"
                        danger={false}
                        title={t('integration.consentTitle', { name: i.name, version: c.version })}
                        message={t('integration.consentText')}
                        confirmLabel={t('integration.consent')}
                        onConfirm={() => consent(c)}
                      >
                        {t('integration.consent')}
                      </ConfirmButton>
                    ) : (
                      <Text span fz="sm" c="dimmed">
                        {c.status === 'proposed' ? t('integration.awaitingConsent') : t('common.none')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
