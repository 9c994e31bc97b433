// The large-graph layout: every system placed once, none overlapping, and a system left of what it
// depends on (as ELK's layered layout draws it), also when dependencies form a cycle.
import { describe, expect, it } from 'vitest';
import { GRID_FROM, type LayoutInput, layeredGrid, layoutGraph } from './layout.ts';

const size = { width: 132, height: 42 };
function chainWithCycle(n: number): LayoutInput {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, ...size, group: `g${i % 7}` }));
  const edges = [];
  // s(i) depends on s(floor(i/2)): a tree of dependencies; plus a cycle s1 → s2 → s3 → s1 and data flows.
  for (let i = 1; i < n; i++)
    edges.push({ id: `d${i}`, from: `s${i}`, to: `s${Math.floor(i / 2)}`, type: 'dependency' });
  edges.push({ id: 'c1', from: 's2', to: 's3', type: 'dependency' });
  edges.push({ id: 'c2', from: 's3', to: 's1', type: 'dependency' });
  for (let i = 0; i < n; i++)
    edges.push({ id: `f${i}`, from: `s${i}`, to: `s${(i * 7) % n}`, type: 'integration' });
  return { nodes, edges };
}

describe('layeredGrid', () => {
  it('places every system without overlaps, dependents left of what they depend on', () => {
    const input = chainWithCycle(800);
    const p = layeredGrid(input);
    expect(p.size).toBe(800);
    const cells = new Set([...p.values()].map((q) => `${q.x},${q.y}`));
    expect(cells.size).toBe(800);
    // A grid: distinct cells, and neighbouring columns and rows at least a system apart.
    const apart = (v: number[], d: number) =>
      [...new Set(v)].sort((a, b) => a - b).every((x, i, all) => i === 0 || x - all[i - 1] >= d);
    expect(
      apart(
        [...p.values()].map((q) => q.x),
        size.width,
      ),
    ).toBe(true);
    expect(
      apart(
        [...p.values()].map((q) => q.y),
        size.height,
      ),
    ).toBe(true);
    // Every tree dependency (not a cycle edge) points right.
    for (let i = 4; i < 800; i++) expect(p.get(`s${i}`)!.x).toBeLessThan(p.get(`s${Math.floor(i / 2)}`)!.x);
  });

  it('is what layoutGraph uses for a large organisation (ELK took minutes at 800 systems)', async () => {
    const input = chainWithCycle(GRID_FROM.nodes);
    expect(await layoutGraph(input, { compact: true })).toEqual(layeredGrid(input));
  });
});
