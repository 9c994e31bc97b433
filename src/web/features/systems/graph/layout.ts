// Automatic layout of a dependency graph with ELK ('layered'), in a web worker when the browser has
// them so a large organisation does not freeze the page; the bundled ELK on the main thread otherwise.
// ELK's layered layout grows much faster than the graph: at 800 systems with 5,000 connections it had
// not finished after minutes. Large graphs get `layeredGrid` instead, linear in the size of the graph.
import type { ELK, ElkNode } from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';

export interface LayoutInput {
  /** `group` (the governance object) keeps a group's systems together within a layer. */
  nodes: { id: string; width: number; height: number; group?: string; name?: string }[];
  /** Only dependencies (not data flows) decide the layers when `type` is given. */
  edges: { id: string; from: string; to: string; type?: string }[];
}

/** From this many systems or connections on, `layoutGraph` uses `layeredGrid`, not ELK. */
export const GRID_FROM = { nodes: 150, edges: 600 };
export type Positions = Map<string, { x: number; y: number }>;

let workerElk: Promise<ELK | null> | null = null;
let mainElk: Promise<ELK> | null = null;

function getWorkerElk(): Promise<ELK | null> {
  workerElk ??= (async () => {
    if (typeof Worker === 'undefined') return null;
    try {
      const { default: ElkApi } = await import('elkjs/lib/elk-api.js');
      return new ElkApi({ workerFactory: () => new Worker(elkWorkerUrl) });
    } catch {
      return null;
    }
  })();
  return workerElk;
}

function getMainElk(): Promise<ELK> {
  mainElk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ElkBundled }) => new ElkBundled());
  return mainElk;
}

export async function layoutGraph(
  input: LayoutInput,
  opts: { direction?: 'RIGHT' | 'DOWN'; compact?: boolean } = {},
): Promise<Positions> {
  if (input.nodes.length >= GRID_FROM.nodes || input.edges.length >= GRID_FROM.edges)
    return layeredGrid(input);
  const ids = new Set(input.nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': opts.direction ?? 'RIGHT',
      // Room between layers for the edge labels.
      'elk.layered.spacing.nodeNodeBetweenLayers': opts.compact ? '80' : '130',
      'elk.spacing.nodeNode': opts.compact ? '16' : '30',
      'elk.spacing.componentComponent': '40',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    },
    children: input.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: input.edges
      .filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
      .map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  };
  let result: ElkNode;
  const inWorker = await getWorkerElk();
  try {
    if (!inWorker) throw new Error('no worker');
    result = await inWorker.layout(graph);
  } catch {
    workerElk = Promise.resolve(null);
    result = await (await getMainElk()).layout(graph);
  }
  const out: Positions = new Map();
  for (const c of result.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}

/**
 * A fast layered layout for large graphs. Layers follow the dependencies as ELK's do (a system left of
 * what it depends on; cycles broken where a depth-first walk meets them); within a layer systems are
 * ordered by group and name, then by the mean position of the systems depending on them in earlier
 * layers (one sweep, which removes many crossings). A tall layer wraps into several columns so the map
 * stays about as wide as it is high. Linear in the number of systems and connections (plus the sorts).
 */
export function layeredGrid(input: LayoutInput, gap = { x: 40, layer: 120, y: 14 }): Positions {
  const ids = new Set(input.nodes.map((n) => n.id));
  const deps = input.edges.filter(
    (e) =>
      (e.type === undefined || e.type === 'dependency') &&
      e.from !== e.to &&
      ids.has(e.from) &&
      ids.has(e.to),
  );
  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, v: string) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const e of deps) {
    add(out, e.from, e.to);
    add(into, e.to, e.from);
  }
  // Depth-first order without the edges that close a cycle, then longest-path layers.
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  const back = new Set<string>();
  for (const start of input.nodes) {
    if (state.has(start.id)) continue;
    const stack: [string, number][] = [[start.id, 0]];
    state.set(start.id, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = out.get(top[0]) ?? [];
      if (top[1] < next.length) {
        const n = next[top[1]++];
        if (state.get(n) === 1) back.add(`${top[0]}\u0000${n}`);
        else if (!state.has(n)) {
          state.set(n, 1);
          stack.push([n, 0]);
        }
      } else {
        state.set(top[0], 2);
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  const layer = new Map<string, number>();
  for (const id of order.reverse()) {
    let l = 0;
    for (const p of into.get(id) ?? [])
      if (!back.has(`${p}\u0000${id}`)) l = Math.max(l, (layer.get(p) ?? 0) + 1);
    layer.set(id, l);
  }
  const layers: LayoutInput['nodes'][] = [];
  for (const n of input.nodes) {
    const l = layer.get(n.id) ?? 0;
    const list = layers[l] ?? [];
    list.push(n);
    layers[l] = list;
  }
  const key = (n: LayoutInput['nodes'][number]) => `${n.group ?? ''}\u0000${n.name ?? n.id}`;
  const rank = new Map<string, number>();
  layers.forEach((l, i) => {
    l.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    if (i > 0) {
      const mean = (id: string) => {
        const ps = (into.get(id) ?? []).filter((p) => rank.has(p) && layer.get(p)! < i);
        return ps.length ? ps.reduce((s, p) => s + rank.get(p)!, 0) / ps.length : Number.POSITIVE_INFINITY;
      };
      const m = new Map(l.map((n) => [n.id, mean(n.id)]));
      l.sort((a, b) => m.get(a.id)! - m.get(b.id)! || 0);
    }
    for (const [k, n] of l.entries()) rank.set(n.id, k / Math.max(1, l.length - 1));
  });
  const rows = Math.max(8, Math.ceil(Math.sqrt(input.nodes.length * 0.8)));
  const positions: Positions = new Map();
  let x = 0;
  for (const l of layers) {
    if (!l?.length) continue;
    const width = Math.max(...l.map((n) => n.width));
    const columns = Math.ceil(l.length / rows);
    l.forEach((n, k) => {
      const column = Math.floor(k / rows);
      const row = k % rows;
      positions.set(n.id, { x: x + column * (width + gap.x), y: row * (n.height + gap.y) });
    });
    x += columns * (width + gap.x) - gap.x + gap.layer;
  }
  return positions;
}
