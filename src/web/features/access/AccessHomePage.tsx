// The access-rights area: what the signed-in person can do here, with what waits for them.
import { Badge, Card, Group, SimpleGrid, Text, ThemeIcon } from '@mantine/core';
import {
  IconChecklist,
  IconClipboardCheck,
  IconFileCertificate,
  IconListDetails,
  IconPlus,
  IconReportAnalytics,
  IconTool,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { myAccessQuery } from './accessQueries.ts';

export function AccessHomePage() {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(myAccessQuery);
  if (isPending) return <PageLoading />;
  if (!data) return <ErrorAlert error={error} />;
  const c = data.counts;
  const a = data.abilities;
  return (
    <>
      <PageHeader title={t('access.title')} subtitle={t('access.intro')} />
      {data.orderingUnits.length > 0 && (
        <Text size="sm" mb="md">
          {t('access.youOrderFor', { units: data.orderingUnits.map((u) => u.name).join(', ') })}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        {a.order && (
          <Tile
            to="/access/order"
            icon={<IconPlus size={20} />}
            title={t('access.newOrder')}
            text={t('access.tiles.order')}
          />
        )}
        <Tile
          to="/access/orders"
          search={{ scope: 'mine' }}
          icon={<IconListDetails size={20} />}
          title={t('access.scope.mineTitle')}
          text={t('access.tiles.mine')}
          count={c.drafts}
          countLabel={t('access.tiles.drafts', { count: c.drafts })}
        />
        {a.approve && (
          <Tile
            to="/access/orders"
            search={{ scope: 'approval' }}
            icon={<IconClipboardCheck size={20} />}
            title={t('access.scope.approvalTitle')}
            text={t('access.tiles.approval')}
            count={c.toApprove}
            countLabel={t('access.tiles.waiting', { count: c.toApprove })}
          />
        )}
        {a.fulfil && (
          <Tile
            to="/access/orders"
            search={{ scope: 'fulfilment' }}
            icon={<IconTool size={20} />}
            title={t('access.scope.fulfilmentTitle')}
            text={t('access.tiles.fulfilment')}
            count={c.toFulfil}
            countLabel={t('access.tiles.waiting', { count: c.toFulfil })}
          />
        )}
        {a.readGrants && (
          <Tile
            to="/access/grants"
            icon={<IconFileCertificate size={20} />}
            title={t('access.grants.title')}
            text={t('access.tiles.grants')}
          />
        )}
        {a.readReport && (
          <Tile
            to="/access/compliance"
            icon={<IconReportAnalytics size={20} />}
            title={t('access.compliance.title')}
            text={t('access.tiles.compliance')}
          />
        )}
      </SimpleGrid>
      <Text size="sm" c="dimmed" mt="lg">
        <IconChecklist size={14} aria-hidden="true" /> {t('access.rulesSummary')}
      </Text>
    </>
  );
}

function Tile(props: {
  to: string;
  search?: Record<string, string>;
  icon: ReactNode;
  title: string;
  text: string;
  count?: number;
  countLabel?: string;
}) {
  return (
    <Card withBorder padding="md">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" size={36} radius="md" aria-hidden="true">
          {props.icon}
        </ThemeIcon>
        <div>
          <Group gap="xs">
            <AnchorLink to={props.to as '/access'} search={props.search as never} fw={600}>
              {props.title}
            </AnchorLink>
            {props.count ? (
              <Badge size="sm" variant="filled" color="blue.8">
                {props.countLabel}
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed" mt={2}>
            {props.text}
          </Text>
        </div>
      </Group>
    </Card>
  );
}
