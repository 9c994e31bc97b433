import { ActionIcon, Badge, Box, Button, Group, Paper, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconSearch, IconSitemap } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ListOf, UnitTreeItem } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { currentLocale } from '../../i18n/index.ts';
import classes from './UnitTree.module.css';

export const unitTreeQuery = {
  queryKey: ['org-units', 'tree'],
  queryFn: () => api.get<ListOf<UnitTreeItem>>('/org-units/tree'),
  staleTime: 60_000,
};

interface Tree {
  roots: UnitTreeItem[];
  children: Map<string, UnitTreeItem[]>;
  byId: Map<string, UnitTreeItem>;
}

function buildTree(items: UnitTreeItem[], locale: string): Tree {
  const byId = new Map(items.map((u) => [u.id, u]));
  const children = new Map<string, UnitTreeItem[]>();
  const roots: UnitTreeItem[] = [];
  for (const u of items) {
    if (u.parentId && byId.has(u.parentId)) {
      const list = children.get(u.parentId) ?? [];
      list.push(u);
      children.set(u.parentId, list);
    } else roots.push(u);
  }
  const collator = new Intl.Collator(locale);
  const byName = (a: UnitTreeItem, b: UnitTreeItem) => collator.compare(a.name, b.name);
  roots.sort(byName);
  for (const list of children.values()) list.sort(byName);
  return { roots, children, byId };
}

export function UnitTreePage() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { data, error, isPending } = useQuery(unitTreeQuery);
  const tree = useMemo(() => (data ? buildTree(data.items, locale) : null), [data, locale]);
  const [expanded, setExpanded] = useState<Set<string> | null>(null);
  const [filter, setFilter] = useState('');
  const [debounced] = useDebouncedValue(filter.trim().toLowerCase(), 200);

  // By default the top two levels are open.
  const open = useMemo(() => {
    if (expanded) return expanded;
    const s = new Set<string>();
    tree?.roots.forEach((r) => {
      s.add(r.id);
    });
    return s;
  }, [expanded, tree]);

  // While filtering: the matches and every unit above them, all open.
  const visible = useMemo(() => {
    if (!tree || !debounced) return null;
    const keep = new Set<string>();
    for (const u of tree.byId.values()) {
      if (u.name.toLowerCase().includes(debounced) || u.code.toLowerCase().includes(debounced)) {
        let cur: UnitTreeItem | undefined = u;
        while (cur && !keep.has(cur.id)) {
          keep.add(cur.id);
          cur = cur.parentId ? tree.byId.get(cur.parentId) : undefined;
        }
      }
    }
    return keep;
  }, [tree, debounced]);

  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setExpanded(next);
  };

  if (isPending) return <PageLoading />;
  return (
    <>
      <PageHeader
        title={t('units.title')}
        subtitle={tree ? t('units.count', { count: tree.byId.size }) : undefined}
        crumbs={[{ label: t('nav.people'), to: '/persons' }]}
      />
      <ErrorAlert error={error} />
      {tree && (
        <Paper withBorder p="md">
          <Group justify="space-between" mb="sm" wrap="wrap">
            <TextInput
              label={t('units.filter')}
              placeholder={t('units.filterPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={filter}
              onChange={(e) => setFilter(e.currentTarget.value)}
              w={320}
            />
            <Group gap="xs" mt="lg">
              <Button variant="default" size="xs" onClick={() => setExpanded(new Set(tree.byId.keys()))}>
                {t('units.expandAll')}
              </Button>
              <Button variant="default" size="xs" onClick={() => setExpanded(new Set())}>
                {t('units.collapseAll')}
              </Button>
            </Group>
          </Group>
          {tree.roots.length === 0 || (visible && visible.size === 0) ? (
            <EmptyState
              icon={<IconSitemap size={28} aria-hidden="true" />}
              title={visible ? t('units.noMatch') : t('units.empty')}
              description={visible ? t('units.noMatchText') : t('units.emptyText')}
            />
          ) : (
            <nav aria-label={t('units.treeLabel')}>
              <UnitList
                units={tree.roots.filter((u) => !visible || visible.has(u.id))}
                tree={tree}
                open={open}
                visible={visible}
                toggle={toggle}
                level={1}
              />
            </nav>
          )}
        </Paper>
      )}
    </>
  );
}

function UnitList(props: {
  units: UnitTreeItem[];
  tree: Tree;
  open: Set<string>;
  visible: Set<string> | null;
  toggle: (id: string) => void;
  level: number;
}) {
  const { t } = useTranslation();
  return (
    <ul className={classes.list} data-level={props.level}>
      {props.units.map((u) => {
        const kids = (props.tree.children.get(u.id) ?? []).filter(
          (c) => !props.visible || props.visible.has(c.id),
        );
        const isOpen = props.visible ? true : props.open.has(u.id);
        const listId = `unit-children-${u.id}`;
        return (
          <li key={u.id}>
            <Group gap={6} wrap="nowrap" align="flex-start" className={classes.row}>
              {kids.length > 0 ? (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  mt={3}
                  onClick={() => props.toggle(u.id)}
                  aria-expanded={isOpen}
                  aria-controls={isOpen ? listId : undefined}
                  aria-label={t(isOpen ? 'units.collapse' : 'units.expand', { name: u.name })}
                  disabled={Boolean(props.visible)}
                >
                  {isOpen ? (
                    <IconChevronDown size={16} aria-hidden="true" />
                  ) : (
                    <IconChevronRight size={16} aria-hidden="true" />
                  )}
                </ActionIcon>
              ) : (
                <Box w={22} aria-hidden="true" />
              )}
              <div className={classes.body}>
                <Link to="/units/$unitId" params={{ unitId: u.id }} search={{}} className={classes.link}>
                  {u.name}
                </Link>
                <Badge variant="light" color="gray" size="sm" radius="sm">
                  {t(`unitKind.${u.kind}`, { defaultValue: u.kind })}
                </Badge>
                {u.status !== 'active' && <StatusBadge status={u.status} size="sm" />}
                <Text size="xs" c="dimmed" className={classes.meta}>
                  {t('units.members', { count: u.memberCount })}
                  {u.headName ? ` · ${t('units.headShort', { name: u.headName })}` : ''}
                </Text>
              </div>
            </Group>
            {kids.length > 0 && isOpen && (
              <div id={listId}>
                <UnitList {...props} units={kids} level={props.level + 1} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
