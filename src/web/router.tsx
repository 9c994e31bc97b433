import { QueryCache, QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { ApiError } from './api/client.ts';
import { sessionQuery } from './api/session.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { tableColumnsQuery } from './components/tableColumns.ts';
import { AbsencesPage, type AbsencesSearch, parseAbsencesSearch } from './features/absences/AbsencesPage.tsx';
import { AccessHomePage } from './features/access/AccessHomePage.tsx';
import { CompliancePage } from './features/access/CompliancePage.tsx';
import { type GrantSearch, GrantsPage, parseGrantSearch } from './features/access/GrantsPage.tsx';
import { OrderFormPage, type OrderFormSearch } from './features/access/OrderFormPage.tsx';
import {
  OrderListPage,
  type OrderListSearch,
  parseOrderListSearch,
} from './features/access/OrderListPage.tsx';
import { OrderPage } from './features/access/OrderPage.tsx';
import { AccountPage } from './features/account/AccountPage.tsx';
import { AccountsPage } from './features/admin/AccountsPage.tsx';
import { AdminPage } from './features/admin/AdminPage.tsx';
import { OutboxPage } from './features/admin/OutboxPage.tsx';
import { AuditPage, type AuditSearch, parseAuditSearch } from './features/audit/AuditPage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { GovernanceObjectPage } from './features/governance/GovernanceObjectPage.tsx';
import { HomePage } from './features/home/HomePage.tsx';
import { ImportPage } from './features/imports/ImportPage.tsx';
import {
  PersonListPage,
  type PersonListSearch,
  parsePersonListSearch,
} from './features/persons/PersonListPage.tsx';
import { PersonPage } from './features/persons/PersonPage.tsx';
import { NotFoundPage, StandaloneNotFoundPage } from './features/placeholder/NotFoundPage.tsx';
import { ChecklistPage } from './features/plans/ChecklistPage.tsx';
import { ChecklistTemplatePage } from './features/plans/ChecklistTemplatePage.tsx';
import { PlanPage, type PlanSearch, parsePlanSearch } from './features/plans/PlanPage.tsx';
import {
  PlansDashboardPage,
  type PlansSearch,
  parsePlansSearch,
} from './features/plans/PlansDashboardPage.tsx';
import { LineagePage, type LineageSearch, parseLineageSearch } from './features/reports/LineagePage.tsx';
import { OverdueDocumentsPage } from './features/reports/OverdueDocumentsPage.tsx';
import { ReportsPage } from './features/reports/ReportsPage.tsx';
import { parseRoleGapSearch, type RoleGapSearch, RoleGapsPage } from './features/reports/RoleGapsPage.tsx';
import { PoolPage } from './features/software/PoolPage.tsx';
import { SoftwarePage } from './features/software/SoftwarePage.tsx';
import { UnitLicencesPage } from './features/software/UnitLicencesPage.tsx';
import {
  ChangeLogPage,
  type ChangeLogSearch,
  parseChangeLogSearch,
} from './features/systems/ChangeLogPage.tsx';
import { GraphPage, type GraphSearch, parseGraphSearch } from './features/systems/graph/GraphPage.tsx';
import { MaintenanceCalendarPage } from './features/systems/MaintenanceCalendarPage.tsx';
import { ManagersPage } from './features/systems/ManagersPage.tsx';
import {
  parseSystemListSearch,
  SystemListPage,
  type SystemListSearch,
} from './features/systems/SystemListPage.tsx';
import { SystemPage } from './features/systems/SystemPage.tsx';
import { UnitPage } from './features/units/UnitPage.tsx';
import { UnitTreePage } from './features/units/UnitTreePage.tsx';
import i18n from './i18n/index.ts';

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error) => {
      // The session ended (idle timeout, signed out elsewhere): back to sign-in, then back here.
      if (error instanceof ApiError && error.status === 401 && router.state.location.pathname !== '/login') {
        queryClient.setQueryData(sessionQuery.queryKey, null);
        void router.navigate({ to: '/login', search: { redirect: router.state.location.href } });
      }
    },
  }),
  defaultOptions: {
    queries: {
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
  },
});

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A redirect target inside this app only (never another site). */
function safeRedirect(v: unknown): string | undefined {
  const s = str(v);
  return s?.startsWith('/') && !s.startsWith('//') && !s.startsWith('/login') ? s : undefined;
}

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Outlet,
  notFoundComponent: StandaloneNotFoundPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => ({
    redirect: safeRedirect(s.redirect),
  }),
  beforeLoad: async ({ context, search }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (session) throw redirect({ href: search.redirect ?? '/' });
  },
  component: LoginPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: '/login', search: { redirect: location.href } });
    // Started now, so a table's remembered columns are there when it first shows.
    void context.queryClient.prefetchQuery(tableColumnsQuery);
    const locale = session.account.locale;
    if (locale && !i18n.resolvedLanguage?.startsWith(locale)) await i18n.changeLanguage(locale);
    return { session };
  },
  component: AppLayout,
  notFoundComponent: NotFoundPage,
});

const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: HomePage });
/** Any other address: "not found" inside the app's frame, with its menu and language switch. */
const unknownRoute = createRoute({ getParentRoute: () => appRoute, path: '$', component: NotFoundPage });

const unitsRoute = createRoute({ getParentRoute: () => appRoute, path: '/units', component: UnitTreePage });
const unitRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/units/$unitId',
  validateSearch: (s: Record<string, unknown>): { tab?: string } => ({ tab: str(s.tab) }),
  component: UnitPage,
});

export const personsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/persons',
  validateSearch: (s: Record<string, unknown>): PersonListSearch => parsePersonListSearch(s),
  component: PersonListPage,
});
const personRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/persons/$personId',
  validateSearch: (s: Record<string, unknown>): { tab?: string } => ({ tab: str(s.tab) }),
  component: PersonPage,
});

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: AccountPage,
});

const adminRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin', component: AdminPage });
export const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/audit',
  validateSearch: (s: Record<string, unknown>): AuditSearch => parseAuditSearch(s),
  component: AuditPage,
});
const importRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/import',
  component: ImportPage,
});
export const accountsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/accounts',
  validateSearch: (s: Record<string, unknown>): { q?: string } => ({ q: str(s.q) }),
  component: AccountsPage,
});
const outboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/outbox',
  component: OutboxPage,
});

export const systemsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/systems',
  validateSearch: (s: Record<string, unknown>): SystemListSearch => parseSystemListSearch(s),
  component: SystemListPage,
});
const managersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/systems/managers',
  component: ManagersPage,
});
const graphRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/systems/graph',
  validateSearch: (s: Record<string, unknown>): GraphSearch => parseGraphSearch(s),
  component: GraphPage,
});
const systemRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/systems/$systemId',
  validateSearch: (s: Record<string, unknown>): { tab?: string } => ({ tab: str(s.tab) }),
  component: SystemPage,
});
const governanceObjectRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/governance-objects/$objectId',
  component: GovernanceObjectPage,
});
const maintenanceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/maintenance',
  component: MaintenanceCalendarPage,
});
const changeLogRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/change-log',
  validateSearch: (s: Record<string, unknown>): ChangeLogSearch => parseChangeLogSearch(s),
  component: ChangeLogPage,
});
const absencesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/absences',
  validateSearch: (s: Record<string, unknown>): AbsencesSearch => parseAbsencesSearch(s),
  component: AbsencesPage,
});
const reportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports',
  component: ReportsPage,
});
const roleGapsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports/role-gaps',
  validateSearch: (s: Record<string, unknown>): RoleGapSearch => parseRoleGapSearch(s),
  component: RoleGapsPage,
});
const overdueDocumentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports/overdue-documents',
  component: OverdueDocumentsPage,
});
/** The coverage-gap report lives on the absences page; Reports lists it with the other reports. */
const coverageReportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports/coverage',
  beforeLoad: () => {
    throw redirect({ to: '/absences', search: { tab: 'gaps' } });
  },
});
const lineageRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports/lineage',
  validateSearch: (s: Record<string, unknown>): LineageSearch => parseLineageSearch(s),
  component: LineagePage,
});
// ---- management plans (issue 6) ----
const plansRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/plans',
  validateSearch: (s: Record<string, unknown>): PlansSearch => parsePlansSearch(s),
  component: PlansDashboardPage,
});
const checklistTemplateRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/plans/checklist-template',
  component: ChecklistTemplatePage,
});
const planRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/plans/$planId',
  validateSearch: (s: Record<string, unknown>): PlanSearch => parsePlanSearch(s),
  component: PlanPage,
});
const checklistRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/systems/$systemId/checklist',
  component: ChecklistPage,
});

const softwareRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/licences',
  validateSearch: (s: Record<string, unknown>): { tab?: string } => ({ tab: str(s.tab) }),
  component: SoftwarePage,
});
const poolRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/licences/pools/$poolId',
  component: PoolPage,
});
const unitLicencesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/licences/units/$unitId',
  component: UnitLicencesPage,
});
// ---- access rights (issue 4) ----
const accessRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/access',
  component: AccessHomePage,
});
const accessOrderRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/access/order',
  validateSearch: (s: Record<string, unknown>): OrderFormSearch => ({
    personId: str(s.personId),
    unitIds: str(s.unitIds),
    systemId: str(s.systemId),
    edit: str(s.edit),
  }),
  component: OrderFormPage,
});
const accessOrdersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/access/orders',
  validateSearch: (s: Record<string, unknown>): OrderListSearch => parseOrderListSearch(s),
  component: OrderListPage,
});
const accessOrderPageRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/access/orders/$orderId',
  component: OrderPage,
});
const accessGrantsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/access/grants',
  validateSearch: (s: Record<string, unknown>): GrantSearch => parseGrantSearch(s),
  component: GrantsPage,
});
const accessComplianceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/access/compliance',
  component: CompliancePage,
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    homeRoute,
    unitsRoute,
    unitRoute,
    personsRoute,
    personRoute,
    accountRoute,
    adminRoute,
    auditRoute,
    importRoute,
    accountsRoute,
    outboxRoute,
    systemsRoute,
    managersRoute,
    graphRoute,
    systemRoute,
    governanceObjectRoute,
    reportsRoute,
    roleGapsRoute,
    absencesRoute,
    maintenanceRoute,
    changeLogRoute,
    overdueDocumentsRoute,
    lineageRoute,
    coverageReportRoute,
    accessRoute,
    accessOrderRoute,
    accessOrdersRoute,
    accessOrderPageRoute,
    accessGrantsRoute,
    accessComplianceRoute,
    softwareRoute,
    unitLicencesRoute,
    poolRoute,
    plansRoute,
    checklistTemplateRoute,
    planRoute,
    checklistRoute,
    unknownRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: 'intent',
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
