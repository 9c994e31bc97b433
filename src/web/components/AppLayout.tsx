import {
  AppShell,
  Avatar,
  Box,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  SegmentedControl,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAppWindow,
  IconCertificate,
  IconChevronDown,
  IconClipboardList,
  IconHome,
  IconKey,
  IconLogout,
  IconReportAnalytics,
  IconSettings,
  IconShieldLock,
  IconUser,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../api/client.ts';
import { useCan, useMe } from '../api/session.ts';
import type { Ability } from '../api/types.ts';
import { useChangeLanguage } from '../i18n/useChangeLanguage.ts';
import { AnchorLink } from './AnchorLink.tsx';
import classes from './AppLayout.module.css';

interface NavItem {
  label: string;
  to: string;
  icon?: ReactNode;
  ability?: Ability;
  children?: NavItem[];
}

const icon = (I: typeof IconHome) => <I size={18} stroke={1.6} aria-hidden="true" />;

/** The signed-in frame: skip link, header, left navigation and the main landmark. */
export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const can = useCan();
  // Changing a saved order (/access/order?edit=…) belongs with the orders, not with "New order".
  const pathname = useRouterState({
    select: (s) =>
      s.location.pathname === '/access/order' && (s.location.search as { edit?: string }).edit
        ? '/access/orders'
        : s.location.pathname,
  });

  const nav: NavItem[] = [
    { label: t('nav.home'), to: '/', icon: icon(IconHome) },
    {
      label: t('nav.systems'),
      to: '/systems',
      icon: icon(IconAppWindow),
      children: [
        { label: t('nav.catalogue'), to: '/systems' },
        { label: t('nav.managers'), to: '/systems/managers' },
        { label: t('nav.graph'), to: '/systems/graph' },
        { label: t('nav.maintenance'), to: '/maintenance' },
        { label: t('nav.changeLog'), to: '/change-log', ability: 'changelog.read' },
      ],
    },
    {
      label: t('nav.access'),
      to: '/access',
      icon: icon(IconShieldLock),
      children: [
        { label: t('nav.accessOverview'), to: '/access' },
        { label: t('nav.accessOrder'), to: '/access/order' },
        { label: t('nav.accessOrders'), to: '/access/orders' },
        { label: t('nav.accessGrants'), to: '/access/grants' },
        { label: t('nav.accessCompliance'), to: '/access/compliance' },
      ],
    },
    { label: t('nav.licences'), to: '/licences', icon: icon(IconCertificate) },
    { label: t('nav.plans'), to: '/plans', icon: icon(IconClipboardList) },
    {
      label: t('nav.people'),
      to: '/persons',
      icon: icon(IconUsersGroup),
      children: [
        { label: t('nav.persons'), to: '/persons', ability: 'person.read' },
        { label: t('nav.units'), to: '/units', ability: 'org.read' },
        { label: t('nav.import'), to: '/admin/import', ability: 'person.import' },
        { label: t('nav.absences'), to: '/absences', ability: 'absence.read' },
      ],
    },
    {
      label: t('nav.reports'),
      to: '/reports',
      icon: icon(IconReportAnalytics),
      children: [
        { label: t('nav.roleGaps'), to: '/reports/role-gaps' },
        { label: t('nav.overdueDocuments'), to: '/reports/overdue-documents' },
        { label: t('nav.lineage'), to: '/reports/lineage' },
        { label: t('nav.coverageGaps'), to: '/reports/coverage', ability: 'coverage.read' },
      ],
    },
    {
      label: t('nav.admin'),
      to: '/admin',
      icon: icon(IconSettings),
      children: [
        { label: t('nav.accounts'), to: '/admin/accounts', ability: 'account.manage' },
        { label: t('nav.audit'), to: '/admin/audit', ability: 'audit.read' },
        { label: t('nav.outbox'), to: '/admin/outbox', ability: 'outbox.read' },
      ],
    },
  ];

  const isActive = (to: string) =>
    to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);

  return (
    <>
      <a href="#main" className={classes.skip}>
        {t('layout.skipToContent')}
      </a>
      <AppShell
        header={{ height: 52 }}
        navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="lg"
      >
        <AppShell.Header className={classes.header}>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('layout.toggleNavigation')}
                color="white"
              />
              <AnchorLink to="/" className={classes.brand} underline="never">
                Steward
              </AnchorLink>
            </Group>
            <Group gap="md" wrap="nowrap">
              <LanguageSwitch />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('layout.mainNavigation')}>
          <ScrollArea type="auto" offsetScrollbars>
            {nav.map((item) => {
              const children = item.children?.filter((c) => !c.ability || can(c.ability));
              // A group none of whose pages the person may use is left out (Admin for most people),
              // rather than leading to a page that says there is nothing there for them.
              if (children?.length === 0) return null;
              if (children && children.length > 0) {
                const anyActive = isActive(item.to) || children.some((c) => isActive(c.to));
                // The most specific child that matches (/systems/graph, not also /systems).
                const activeTo = children
                  .filter((c) => isActive(c.to))
                  .sort((a, b) => b.to.length - a.to.length)[0]?.to;
                return (
                  <NavGroup key={item.to} label={item.label} icon={item.icon} active={anyActive}>
                    {children.map((c) => (
                      <NavLink
                        key={c.to}
                        component={Link}
                        to={c.to}
                        label={c.label}
                        activeOptions={{ exact: true, includeSearch: false }}
                        active={c.to === activeTo}
                        aria-current={c.to === activeTo ? 'page' : undefined}
                        onClick={close}
                        classNames={{ root: classes.navLink }}
                      />
                    ))}
                  </NavGroup>
                );
              }
              return (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  leftSection={item.icon}
                  active={isActive(item.to)}
                  aria-current={isActive(item.to) ? 'page' : undefined}
                  onClick={close}
                  classNames={{ root: classes.navLink }}
                />
              );
            })}
          </ScrollArea>
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1} className={classes.main}>
          <Box maw={1280}>
            <Outlet />
          </Box>
        </AppShell.Main>
      </AppShell>
    </>
  );
}

/**
 * A group of the navigation: a button (reachable with Tab, opened with Enter or Space) that says whether
 * it is open; it opens by itself when one of its pages is shown.
 */
function NavGroup({
  label,
  icon,
  active,
  children,
}: {
  label: string;
  icon: ReactNode;
  active: boolean;
  children: ReactNode;
}) {
  const [opened, setOpened] = useState(active);
  useEffect(() => {
    if (active) setOpened(true);
  }, [active]);
  return (
    <NavLink
      component="button"
      type="button"
      label={label}
      leftSection={icon}
      opened={opened}
      onChange={setOpened}
      aria-expanded={opened}
      childrenOffset={30}
      classNames={{ root: classes.navLink }}
    >
      {children}
    </NavLink>
  );
}

export function LanguageSwitch({ tone = 'dark' }: { tone?: 'dark' | 'light' }) {
  const { t, i18n } = useTranslation();
  const change = useChangeLanguage();
  const value = i18n.resolvedLanguage?.startsWith('sv') ? 'sv' : 'en';
  return (
    <Group gap={6} wrap="nowrap">
      <VisuallyHidden id="language-switch-label">{t('layout.language')}</VisuallyHidden>
      <SegmentedControl
        size="xs"
        value={value}
        onChange={(v) => void change(v === 'sv' ? 'sv' : 'en')}
        aria-labelledby="language-switch-label"
        className={tone === 'dark' ? classes.langDark : undefined}
        data={[
          { value: 'sv', label: <span lang="sv">Svenska</span> },
          { value: 'en', label: <span lang="en">English</span> },
        ]}
      />
    </Group>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      await navigate({ to: '/login', search: { redirect: undefined } });
    }
  };
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <UnstyledButton
          className={classes.userButton}
          aria-label={t('layout.accountMenu', { name: me.displayName })}
        >
          <Group gap={8} wrap="nowrap">
            <Avatar size={26} radius="xl" color="indigo" variant="white" aria-hidden="true">
              {initials(me.displayName)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" c="white">
              {me.displayName}
            </Text>
            <IconChevronDown size={14} aria-hidden="true" color="white" />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.username}</Menu.Label>
        <Menu.Item component={Link} to="/account" leftSection={<IconKey size={16} aria-hidden="true" />}>
          {t('nav.account')}
        </Menu.Item>
        <Menu.Item
          onClick={() =>
            void navigate({ to: '/persons/$personId', params: { personId: me.personId }, search: {} })
          }
          leftSection={<IconUser size={16} aria-hidden="true" />}
        >
          {t('nav.myPerson')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item onClick={() => void signOut()} leftSection={<IconLogout size={16} aria-hidden="true" />}>
          {t('layout.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase())
    .join('');
}
