import '@xyflow/react/dist/style.css';
import {
  Box,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import {
  Background,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
} from '@xyflow/react';
import { memo, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Graph, GraphEdge, GraphNode } from '../../../api/types.ts';
import { AnchorLink } from '../../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { LIFECYCLE_LOOK } from '../SystemBadges.tsx';
import { layoutGraph, type Positions } from './layout.ts';

/** Above this many systems nodes are drawn small (short name and lifecycle only). */
const COMPACT_FROM = 120;
/** Above this many systems only those with a dependency or integration are drawn at first. */
const ISOLATED_HIDDEN_FROM = 300;
const TABLE_STEP = 200;

type SystemNodeData = {
  id: string;
  name: string;
  shortName: string;
  lifecycle: string;
  lifecycleLabel: string;
  compact: boolean;
  focus: boolean;
  outside: boolean;
};
type SystemFlowNode = Node<SystemNodeData, 'system'>;

const SIZE = { compact: { width: 132, height: 42 }, full: { width: 200, height: 58 } };

const SystemNode = memo(function SystemNode({ data }: NodeProps<SystemFlowNode>) {
  const look = LIFECYCLE_LOOK[data.lifecycle] ?? LIFECYCLE_LOOK.retired;
  const Icon = look?.icon;
  const size = data.compact ? SIZE.compact : SIZE.full;
  return (
    <Box
      style={{
        width: size.width,
        height: size.height,
        background: data.outside ? '#ffffff' : look?.fill,
        border: `${data.focus ? 3 : 1.5}px ${data.outside ? 'dashed' : 'solid'} ${look?.border}`,
        opacity: data.outside ? 0.75 : 1,
        borderRadius: 6,
        padding: data.compact ? '3px 6px' : '6px 8px',
        overflow: 'hidden',
        cursor: 'pointer',
      }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} style={{ visibility: 'hidden' }} />
      <AnchorLink
        to="/systems/$systemId"
        params={{ systemId: data.id }}
        search={{}}
        fz={data.compact ? 11 : 13}
        fw={600}
        c="dark.9"
        underline="hover"
        display="block"
        title={data.name}
        style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', lineHeight: 1.3 }}
      >
        {data.compact ? data.shortName : data.name}
      </AnchorLink>
      <Group gap={3} wrap="nowrap" style={{ color: look?.border }}>
        {Icon && <Icon size={data.compact ? 10 : 12} aria-hidden="true" />}
        <Text span fz={data.compact ? 10 : 11} fw={500} style={{ whiteSpace: 'nowrap' }}>
          {data.compact ? data.lifecycleLabel : `${data.shortName} · ${data.lifecycleLabel}`}
        </Text>
      </Group>
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={false}
        style={{ visibility: 'hidden' }}
      />
    </Box>
  );
});

const nodeTypes = { system: SystemNode };

/** A dependency and data-flow map laid out by ELK, with a table of the same edges for screen readers. */
export function DependencyGraph(props: {
  graph: Graph;
  focusId?: string;
  height?: number | string;
  loading?: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toggleId = useId();
  const [view, setView] = useState<'graph' | 'table'>('graph');
  const large = props.graph.nodes.length > ISOLATED_HIDDEN_FROM;
  const [showIsolated, setShowIsolated] = useState(!large);
  // On a large map the data flows (thousands at 800 systems) hide the dependencies: off at first.
  const [showFlows, setShowFlows] = useState(!large);
  useEffect(() => {
    setShowIsolated(props.graph.nodes.length <= ISOLATED_HIDDEN_FROM);
    setShowFlows(props.graph.nodes.length <= ISOLATED_HIDDEN_FROM);
  }, [props.graph]);
  const drawnEdges = useMemo(
    () => (showFlows ? props.graph.edges : props.graph.edges.filter((e) => e.type !== 'integration')),
    [props.graph, showFlows],
  );

  const byId = useMemo(() => new Map(props.graph.nodes.map((n) => [n.id, n])), [props.graph]);
  const visibleNodes = useMemo(() => {
    if (showIsolated) return props.graph.nodes;
    const linked = new Set<string>();
    for (const e of drawnEdges) {
      linked.add(e.from);
      linked.add(e.to);
    }
    if (props.focusId) linked.add(props.focusId);
    return props.graph.nodes.filter((n) => linked.has(n.id));
  }, [props.graph, props.focusId, showIsolated, drawnEdges]);
  const compact = visibleNodes.length > COMPACT_FROM;
  const hiddenCount = props.graph.nodes.length - visibleNodes.length;

  const [positions, setPositions] = useState<Positions | null>(null);
  const [layoutError, setLayoutError] = useState<unknown>(null);
  useEffect(() => {
    if (view !== 'graph') return;
    let cancelled = false;
    setPositions(null);
    setLayoutError(null);
    const size = compact ? SIZE.compact : SIZE.full;
    layoutGraph(
      {
        nodes: visibleNodes.map((n) => ({ id: n.id, ...size, group: n.governanceObjectId, name: n.name })),
        edges: drawnEdges,
      },
      { compact },
    )
      .then((p) => !cancelled && setPositions(p))
      .catch((err) => !cancelled && setLayoutError(err));
    return () => {
      cancelled = true;
    };
  }, [visibleNodes, drawnEdges, compact, view]);

  const kindLabel = useCallback(
    (e: GraphEdge) =>
      e.type === 'integration'
        ? t('graph.edge.integration', { status: t(`integration.status.${e.kind}`, { defaultValue: e.kind }) })
        : t(`graph.kind.${e.kind}`, { defaultValue: e.kind }),
    [t],
  );

  const { nodes, edges } = useMemo(() => {
    if (!positions) return { nodes: [] as SystemFlowNode[], edges: [] as Edge[] };
    const nodes: SystemFlowNode[] = visibleNodes.map((n) => ({
      id: n.id,
      type: 'system',
      position: positions.get(n.id) ?? { x: 0, y: 0 },
      ariaLabel: `${n.name}, ${t(`systems.lifecycle.${n.lifecycle}`, { defaultValue: n.lifecycle })}${
        n.outside ? `, ${t('graph.outsideAria')}` : ''
      }`,
      data: {
        id: n.id,
        name: n.name,
        shortName: n.shortName,
        lifecycle: n.lifecycle,
        lifecycleLabel: t(`systems.lifecycle.${n.lifecycle}`, { defaultValue: n.lifecycle }),
        compact,
        focus: n.id === props.focusId,
        outside: n.outside,
      },
    }));
    const shown = new Set(visibleNodes.map((n) => n.id));
    const edges: Edge[] = drawnEdges
      .filter((e) => shown.has(e.from) && shown.has(e.to))
      .map((e) => {
        const integration = e.type === 'integration';
        const color = integration ? '#1c5fc9' : '#5c636a';
        return {
          id: e.id,
          source: e.from,
          target: e.to,
          // Labels only on small maps: on a large one they cover each other (the table has the kinds).
          label: compact ? undefined : kindLabel(e),
          labelStyle: { fontSize: 11, fill: '#343a40' },
          labelBgStyle: { fill: '#ffffff', fillOpacity: 0.9 },
          style: { stroke: color, strokeWidth: 1.3, strokeDasharray: integration ? '5 4' : undefined },
          markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
        };
      });
    return { nodes, edges };
  }, [positions, visibleNodes, drawnEdges, props.focusId, compact, t, kindLabel]);

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap">
          <Text size="sm" fw={500} id={toggleId}>
            {t('graph.view')}
          </Text>
          <SegmentedControl
            size="xs"
            aria-labelledby={toggleId}
            value={view}
            onChange={(v) => setView(v === 'table' ? 'table' : 'graph')}
            data={[
              { value: 'graph', label: t('graph.showGraph') },
              { value: 'table', label: t('graph.showTable') },
            ]}
          />
          {large && (
            <Switch
              size="sm"
              label={t('graph.showIsolated')}
              checked={showIsolated}
              onChange={(e) => setShowIsolated(e.currentTarget.checked)}
            />
          )}
          {large && (
            <Switch
              size="sm"
              label={t('graph.showFlows')}
              checked={showFlows}
              onChange={(e) => setShowFlows(e.currentTarget.checked)}
            />
          )}
        </Group>
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('graph.counts', { nodes: visibleNodes.length, edges: drawnEdges.length })}
          {hiddenCount > 0 ? ` · ${t('graph.hidden', { count: hiddenCount })}` : ''}
        </Text>
      </Group>
      {view === 'graph' ? (
        <>
          <Legend outside={props.graph.nodes.some((n) => n.outside)} />
          <Paper withBorder pos="relative" h={props.height ?? 560} mih={420} style={{ overflow: 'hidden' }}>
            <ErrorAlert error={layoutError} />
            {props.graph.nodes.length === 0 && !props.loading ? (
              <EmptyState title={t('graph.empty')} description={t('graph.emptyText')} />
            ) : !positions || props.loading ? (
              <Center h="100%" aria-busy="true">
                <Stack align="center" gap="xs">
                  <Loader size="sm" aria-hidden="true" />
                  <Text size="sm" c="dimmed" role="status">
                    {props.loading
                      ? t('common.loading')
                      : t('graph.layingOut', { count: visibleNodes.length })}
                  </Text>
                </Stack>
              </Center>
            ) : (
              <ReactFlow
                nodes={nodes}
                edges={edges}
                nodeTypes={nodeTypes}
                fitView
                fitViewOptions={{ padding: 0.1 }}
                minZoom={0.05}
                maxZoom={2}
                nodesDraggable={false}
                nodesConnectable={false}
                nodesFocusable={false}
                edgesFocusable={false}
                elementsSelectable={false}
                onlyRenderVisibleElements={compact}
                onNodeClick={(_, node) =>
                  void navigate({ to: '/systems/$systemId', params: { systemId: node.id }, search: {} })
                }
                proOptions={{ hideAttribution: true }}
                ariaLabelConfig={{
                  'controls.ariaLabel': t('graph.controls'),
                  'controls.zoomIn.ariaLabel': t('graph.zoomIn'),
                  'controls.zoomOut.ariaLabel': t('graph.zoomOut'),
                  'controls.fitView.ariaLabel': t('graph.fit'),
                  'controls.interactive.ariaLabel': t('graph.interactive'),
                }}
              >
                <Background gap={24} color="#e9ecef" />
                <Controls showInteractive={false} />
              </ReactFlow>
            )}
          </Paper>
        </>
      ) : (
        <EdgeTable graph={props.graph} byId={byId} kindLabel={kindLabel} />
      )}
    </Stack>
  );
}

function Legend(props: { outside: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap="md" wrap="wrap" fz="xs" aria-label={t('graph.legend')} role="group">
      {Object.entries(LIFECYCLE_LOOK).map(([key, look]) => (
        <Group key={key} gap={4} wrap="nowrap">
          <Box
            w={14}
            h={14}
            style={{ background: look.fill, border: `2px solid ${look.border}`, borderRadius: 3 }}
          />
          <Text span fz="xs">
            {t(`systems.lifecycle.${key}`)}
          </Text>
        </Group>
      ))}
      {props.outside && (
        <Group gap={4} wrap="nowrap">
          <Box
            w={14}
            h={14}
            style={{ background: '#ffffff', border: '2px dashed #868e96', borderRadius: 3 }}
          />
          <Text span fz="xs">
            {t('graph.legendOutside')}
          </Text>
        </Group>
      )}
      <Text span fz="xs" c="dimmed">
        {t('graph.legendArrows')}
      </Text>
    </Group>
  );
}

interface EdgeRow {
  edge: GraphEdge;
  from: GraphNode | undefined;
  to: GraphNode | undefined;
}

function EdgeTable(props: {
  graph: Graph;
  byId: Map<string, GraphNode>;
  kindLabel: (e: GraphEdge) => string;
}) {
  const { t } = useTranslation();
  const [limit, setLimit] = useState(TABLE_STEP);
  const collator = useMemo(() => new Intl.Collator(), []);
  const rows: EdgeRow[] = useMemo(
    () =>
      props.graph.edges
        .map((edge) => ({ edge, from: props.byId.get(edge.from), to: props.byId.get(edge.to) }))
        .sort(
          (a, b) =>
            collator.compare(a.from?.name ?? '', b.from?.name ?? '') ||
            collator.compare(a.to?.name ?? '', b.to?.name ?? ''),
        ),
    [props.graph.edges, props.byId, collator],
  );
  const link = (n: GraphNode | undefined, id: string) =>
    n ? (
      <AnchorLink to="/systems/$systemId" params={{ systemId: n.id }} search={{}} fz="sm">
        {n.name}
      </AnchorLink>
    ) : (
      id
    );
  const columns: Column<EdgeRow>[] = [
    { key: 'from', header: t('graph.col.from'), render: (r) => link(r.from, r.edge.from) },
    { key: 'kind', header: t('graph.col.kind'), render: (r) => props.kindLabel(r.edge) },
    { key: 'to', header: t('graph.col.to'), render: (r) => link(r.to, r.edge.to) },
  ];
  return (
    <DataTable
      caption={t('graph.tableCaption')}
      columns={columns}
      rows={rows.slice(0, limit)}
      rowKey={(r) => r.edge.id}
      empty={<EmptyState title={t('graph.noEdges')} description={t('graph.emptyText')} />}
      footer={
        rows.length > limit && (
          <Group justify="center" mt="sm">
            <Button variant="default" size="xs" onClick={() => setLimit((l) => l + TABLE_STEP)}>
              {t('graph.moreRows', { shown: limit, total: rows.length })}
            </Button>
          </Group>
        )
      }
    />
  );
}
