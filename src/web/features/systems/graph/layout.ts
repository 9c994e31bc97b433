// Automatic layout of a dependency graph with ELK ('layered'), in a web worker when the browser has
// them so a large organisation does not freeze the page; the bundled ELK on the main thread otherwise.
import type { ELK, ElkNode } from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';

export interface LayoutInput {
  nodes: { id: string; width: number; height: number }[];
  edges: { id: string; from: string; to: string }[];
}
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
