import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SystemDetail } from '../../../api/types.ts';
import { AnchorLink } from '../../../components/AnchorLink.tsx';
import { DetailList } from '../../../components/DetailList.tsx';
import { currentLocale } from '../../../i18n/index.ts';
import { formatDate } from '../../../lib/format.ts';
import { categoryLabel } from '../personalData.ts';
import { CriticalityBadge, LifecycleBadge, OverdueBadge } from '../SystemBadges.tsx';
import { orgModelLabel } from '../systemQueries.ts';
import { None, SectionTitle } from './common.tsx';

export function OverviewTab({ system }: { system: SystemDetail }) {
  const { t, i18n } = useTranslation();
  const list = (items: string[]) =>
    items.length === 0 ? (
      <None />
    ) : (
      <Group gap={4}>
        {items.map((c) => (
          <Badge key={c} variant="outline" color="gray" size="sm" radius="sm">
            {c}
          </Badge>
        ))}
      </Group>
    );
  return (
    <Stack gap="md">
      {system.description && (
        <Paper withBorder p="md">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {system.description}
          </Text>
        </Paper>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md">
          <SectionTitle>{t('system.section.registry')}</SectionTitle>
          <DetailList
            items={[
              { label: t('system.field.name'), value: system.name },
              {
                label: t('system.field.shortName'),
                value: (
                  <Text span ff="monospace" fz="sm">
                    {system.shortName}
                  </Text>
                ),
              },
              {
                label: t('systems.col.governanceObject'),
                value: (
                  <AnchorLink
                    to="/governance-objects/$objectId"
                    params={{ objectId: system.governanceObject.id }}
                    fz="sm"
                  >
                    {system.governanceObject.name}
                  </AnchorLink>
                ),
              },
              {
                label: t('systems.col.lifecycle'),
                value: <LifecycleBadge lifecycle={system.lifecycle} size="sm" />,
              },
              { label: t('systems.col.orgModel'), value: orgModelLabel(t, system.orgModel) },
              { label: t('systems.col.hosting'), value: t(`systems.hosting.${system.hosting}`) },
              {
                label: t('systems.col.criticality'),
                value: <CriticalityBadge criticality={system.criticality} />,
              },
              { label: t('system.field.vendor'), value: system.vendor ?? <None /> },
              {
                label: t('system.field.contractOwner'),
                value: system.contractOwnerPerson ? (
                  <AnchorLink
                    to="/persons/$personId"
                    params={{ personId: system.contractOwnerPerson.id }}
                    search={{}}
                    fz="sm"
                  >
                    {system.contractOwnerPerson.displayName}
                  </AnchorLink>
                ) : (
                  (system.contractOwner ?? <None />)
                ),
              },
              { label: t('system.field.modules'), value: list(system.modules.map((m) => m.name)) },
              {
                label: t('system.field.environments'),
                value: list(system.environments.map((e) => t(`system.environment.${e}`))),
              },
              {
                label: t('system.field.hasTestEnvironment'),
                value: system.hasTestEnvironment ? t('common.yes') : t('common.no'),
              },
            ]}
          />
        </Paper>
        <Stack gap="md">
          <Paper withBorder p="md">
            <SectionTitle>{t('system.section.classification')}</SectionTitle>
            <DetailList
              items={[
                {
                  label: t('system.field.confidentiality'),
                  value: t('system.level', { n: system.confidentiality }),
                },
                { label: t('system.field.integrity'), value: t('system.level', { n: system.integrity }) },
                {
                  label: t('system.field.availability'),
                  value: t('system.level', { n: system.availability }),
                },
                {
                  label: t('system.field.storesPersonalData'),
                  value: system.storesPersonalData ? t('common.yes') : t('common.no'),
                },
                ...(system.storesPersonalData
                  ? [
                      {
                        label: t('system.field.personalDataCategories'),
                        value: list(
                          system.personalDataCategories.map((c) =>
                            categoryLabel(c, currentLocale(i18n.language)),
                          ),
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Paper>
          <Paper withBorder p="md">
            <SectionTitle>{t('system.section.support')}</SectionTitle>
            <DetailList
              items={[
                { label: t('system.field.serviceDeskQueue'), value: system.serviceDeskQueue ?? <None /> },
                { label: t('system.field.resolverGroup'), value: system.resolverGroup ?? <None /> },
                {
                  label: t('system.field.resolverReviewedOn'),
                  value: (
                    <Group gap="xs">
                      {system.resolverMembersReviewedOn ? (
                        formatDate(system.resolverMembersReviewedOn)
                      ) : (
                        <None label={t('common.never')} />
                      )}
                      {system.resolverReviewOverdue && <OverdueBadge label={t('system.resolverOverdue')} />}
                    </Group>
                  ),
                },
              ]}
            />
          </Paper>
          <Text size="xs" c="dimmed">
            {t('system.updated', {
              created: formatDate(system.createdAt),
              updated: formatDate(system.updatedAt),
            })}
          </Text>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
