// My work: the tasks and warnings of the signed-in person from plans, systems and licences
// (GET /me/work), grouped by area, oldest first, and a unit head's A1/A3 gaps. The orders to approve or
// fulfil come from AccessInbox.
import { List, Stack, Text } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBeach,
  IconFileCheck,
  IconGauge,
  IconPencil,
  IconReportAnalytics,
  IconSignature,
  IconSpeakerphone,
  IconUserQuestion,
  IconUsers,
} from '@tabler/icons-react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatDateProse } from '../../lib/format.ts';

type WorkKind =
  | 'plan.write'
  | 'plan.approve'
  | 'plan.sign'
  | 'document.review'
  | 'role.gap'
  | 'pool.full'
  | 'report.due'
  | 'orderers.few'
  | 'expert.missing'
  | 'coverage.role'
  | 'coverage.orderers'
  | 'maintenance.item';
export type WorkItem = {
  kind: WorkKind;
  subject: { id: string; name: string };
  detail: string | null;
  youAreAway?: boolean;
  date: string | null;
};
type Work = { today: string; items: WorkItem[]; totals: Record<WorkKind, number> };

export const myWorkQuery = queryOptions({
  queryKey: ['me', 'work'],
  queryFn: ({ signal }) => api.get<Work>('/me/work', undefined, signal),
});

const AREAS: {
  key: 'accessCompliance' | 'plans' | 'systems' | 'licences' | 'absences';
  kinds: WorkKind[];
}[] = [
  { key: 'accessCompliance', kinds: ['orderers.few', 'expert.missing'] },
  { key: 'plans', kinds: ['plan.write', 'plan.approve', 'plan.sign'] },
  { key: 'systems', kinds: ['document.review', 'role.gap', 'maintenance.item'] },
  { key: 'licences', kinds: ['pool.full', 'report.due'] },
  { key: 'absences', kinds: ['coverage.role', 'coverage.orderers'] },
];
const ICONS: Record<WorkKind, ReactNode> = {
  'plan.write': <IconPencil size={16} aria-hidden="true" />,
  'plan.approve': <IconFileCheck size={16} aria-hidden="true" />,
  'plan.sign': <IconSignature size={16} aria-hidden="true" />,
  'document.review': <IconFileCheck size={16} aria-hidden="true" />,
  'role.gap': <IconUserQuestion size={16} aria-hidden="true" />,
  'pool.full': <IconGauge size={16} aria-hidden="true" />,
  'report.due': <IconReportAnalytics size={16} aria-hidden="true" />,
  'orderers.few': <IconUsers size={16} aria-hidden="true" />,
  'expert.missing': <IconUserQuestion size={16} aria-hidden="true" />,
  'coverage.role': <IconBeach size={16} aria-hidden="true" />,
  'coverage.orderers': <IconBeach size={16} aria-hidden="true" />,
  'maintenance.item': <IconSpeakerphone size={16} aria-hidden="true" />,
};

/** A document or report past its due date (a plan's date is when it started waiting, not a deadline). */
const isOverdue = (item: WorkItem, today: string) =>
  (item.kind === 'document.review' || item.kind === 'report.due' || item.kind === 'maintenance.item') &&
  !!item.date &&
  item.date < today;

/** The plans, systems and licences groups of the home inbox; null when there is nothing. */
export function useWorkInbox(): ReactNode | null {
  const { t } = useTranslation();
  const work = useQuery(myWorkQuery);
  if (!work.data) return null;
  const { items, totals, today } = work.data;
  const groups = AREAS.map((area) => {
    const mine = items.filter((i) => area.kinds.includes(i.kind));
    if (!mine.length) return null;
    const more = area.kinds
      .map((k) => ({ k, n: totals[k] - mine.filter((i) => i.kind === k).length }))
      .filter((m) => m.n > 0);
    return (
      <Stack gap={4} key={area.key}>
        <Text fw={600} fz="sm">
          {t(`nav.${area.key}`)}
        </Text>
        <List spacing={6} size="sm" center>
          {mine.map((item) => (
            <List.Item
              key={`${item.kind}/${item.subject.id}/${item.detail}/${item.date}`}
              icon={
                isOverdue(item, today) ? <IconAlertTriangle size={16} aria-hidden="true" /> : ICONS[item.kind]
              }
            >
              <WorkLink item={item} today={today} />
            </List.Item>
          ))}
          {more.map((m) => (
            <List.Item key={`more/${m.k}`} icon={ICONS[m.k]}>
              <MoreLink kind={m.k} count={m.n} />
            </List.Item>
          ))}
        </List>
      </Stack>
    );
  }).filter(Boolean);
  return groups.length ? <Stack gap="sm">{groups}</Stack> : null;
}

function WorkLink({ item, today }: { item: WorkItem; today: string }) {
  const { t, i18n } = useTranslation();
  const vars = {
    name: item.subject.name,
    detail: item.detail ?? '',
    // A sentence: the date as running text writes it ("from 11 Jan 2027"), like the page's "Today is …".
    date: item.date ? formatDateProse(item.date, currentLocale(i18n.language)) : '',
  };
  const overdue = isOverdue(item, today);
  switch (item.kind) {
    case 'plan.write':
    case 'plan.approve':
    case 'plan.sign':
      return (
        <AnchorLink to="/plans/$planId" params={{ planId: item.subject.id }} fz="sm">
          {t(`home.work.${item.kind}`, vars)}
        </AnchorLink>
      );
    case 'document.review':
      return (
        <AnchorLink to="/systems/$systemId" params={{ systemId: item.subject.id }} search={{}} fz="sm">
          {t(overdue ? 'home.work.document.overdue' : 'home.work.document.due', {
            ...vars,
            detail: t(`document.kind.${item.detail}`, { defaultValue: item.detail ?? '' }),
          })}
        </AnchorLink>
      );
    case 'role.gap':
      return (
        <AnchorLink to="/governance-objects/$objectId" params={{ objectId: item.subject.id }} fz="sm">
          {t(item.date && item.date <= today ? 'home.work.roleGap.now' : 'home.work.roleGap.from', {
            ...vars,
            detail: t(`governance.roleInText.${item.detail}`, { defaultValue: item.detail ?? '' }),
          })}
        </AnchorLink>
      );
    case 'pool.full':
      return (
        <AnchorLink to="/licences/pools/$poolId" params={{ poolId: item.subject.id }} fz="sm">
          {t('home.work.poolFull', vars)}
        </AnchorLink>
      );
    case 'orderers.few':
    case 'expert.missing':
      return (
        <AnchorLink to="/access/compliance" fz="sm">
          {item.kind === 'orderers.few'
            ? t('home.work.orderersFew', { name: item.subject.name, count: Number(item.detail) })
            : t('home.work.expertMissing', { name: item.subject.name })}
        </AnchorLink>
      );
    case 'maintenance.item':
      return (
        <AnchorLink
          to="/systems/$systemId"
          params={{ systemId: item.subject.id }}
          search={{ tab: 'maintenance' }}
          fz="sm"
        >
          {t('home.work.maintenanceItem', {
            ...vars,
            detail: t(`maintenance.item.${item.detail}`, { defaultValue: item.detail ?? '' }),
          })}
        </AnchorLink>
      );
    case 'coverage.role':
    case 'coverage.orderers':
      return (
        <AnchorLink to="/absences" search={{ tab: 'gaps' }} fz="sm">
          {item.kind === 'coverage.role'
            ? t(item.youAreAway ? 'home.work.coverageRoleAway' : 'home.work.coverageRole', {
                ...vars,
                detail: t(`governance.roleInText.${item.detail}`, { defaultValue: item.detail ?? '' }),
              })
            : t(item.youAreAway ? 'home.work.coverageOrderersAway' : 'home.work.coverageOrderers', vars)}
        </AnchorLink>
      );
    case 'report.due':
      return (
        <AnchorLink to="/licences/units/$unitId" params={{ unitId: item.subject.id }} fz="sm">
          {t(overdue ? 'home.work.report.overdue' : 'home.work.report.due', vars)}
        </AnchorLink>
      );
  }
}

/** Where "and n more" leads: the page that lists every item of the kind. */
const ALL_OF_KIND = {
  'plan.write': '/plans',
  'plan.approve': '/plans',
  'plan.sign': '/plans',
  'document.review': '/reports/overdue-documents',
  'role.gap': '/reports/role-gaps',
  'pool.full': '/licences',
  'report.due': '/licences',
  'orderers.few': '/access/compliance',
  'expert.missing': '/access/compliance',
  'coverage.role': '/absences',
  'coverage.orderers': '/absences',
  'maintenance.item': '/maintenance',
} as const satisfies Record<WorkKind, string>;

function MoreLink({ kind, count }: { kind: WorkKind; count: number }) {
  const { t } = useTranslation();
  return (
    <AnchorLink to={ALL_OF_KIND[kind]} fz="sm">
      {t('home.work.more', { count })}
    </AnchorLink>
  );
}
