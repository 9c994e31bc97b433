// Latency statistics and a fixed-concurrency runner shared by the benchmarks.
import { performance } from 'node:perf_hooks';

export type LatencySummary = {
  requests: number;
  concurrency: number;
  wallSeconds: number;
  throughputPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
};

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Runs `total` calls of `fn(i)` with exactly `concurrency` callers in flight (each caller takes the
 * next index when its previous call finishes) and returns the latency of every call.
 */
export async function runConcurrent(
  total: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies = new Array<number>(total);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const t0 = performance.now();
      await fn(i);
      latencies[i] = performance.now() - t0;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { latencies, wallMs: performance.now() - start };
}

export function summarise(run: { latencies: number[]; wallMs: number }, concurrency: number): LatencySummary {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    requests: sorted.length,
    concurrency,
    wallSeconds: round(run.wallMs / 1000, 3),
    throughputPerSecond: round(sorted.length / (run.wallMs / 1000), 1),
    meanMs: round(mean),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1]),
  };
}
