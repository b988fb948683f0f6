// Thread counts chosen from a job's size (lib/internal/threads.ts threadsForWork): a small job runs
// on fewer threads than asked for, a large one on all of them, and the bits never change.
import { describe, expect, it } from 'vitest';
import { bootstrapCI, spearmanTest } from '../lib/index';
import { loadAddon } from '../lib/internal/native';
import { threadsForWork } from '../lib/internal/threads';
import { Rng, rootKey } from '../lib/rng';

function tiedData(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(rootKey(seed));
  const x = Float64Array.from({ length: n }, () => rng.bounded(5));
  return { x, y: Float64Array.from(x, (v) => Math.round(0.3 * v + 1.5 * rng.normal())) };
}

describe('thread count from the job size', () => {
  it('threadsForWork: one thread per share of work, within [1, requested]', () => {
    expect(threadsForWork(2, 10, 100)).toBe(1);
    expect(threadsForWork(2, 250, 100)).toBe(2);
    expect(threadsForWork(4, 250, 100)).toBe(2);
    expect(threadsForWork(1, 1e12, 100)).toBe(1);
  });

  it('a small BCa bootstrap takes one kernel thread, a large one two; the interval is the same on any count', async () => {
    const addon = loadAddon().addon!;
    const peakOf = async (fn: () => Promise<unknown>): Promise<number> => {
      addon.resetThreadPeak();
      await fn();
      return addon.threadBudget().peak;
    };
    const small = tiedData(50, 1);
    const opts = { method: 'bca' as const, nBoot: 1000, seed: 4, native: 'require' as const };
    const one = await bootstrapCI(small.x, small.y, { ...opts, threads: 1 });
    const two = await bootstrapCI(small.x, small.y, { ...opts, threads: 2 });
    expect(two.ciLower).toBe(one.ciLower);
    expect(two.ciUpper).toBe(one.ciUpper);
    expect(two.acceleration).toBe(one.acceleration);
    expect(await peakOf(() => bootstrapCI(small.x, small.y, { ...opts, threads: 2 }))).toBe(1);
    // n = 100 with 1e4 resamples (1e6 items): 2 threads pay on the current kernels (3.0 vs 2.3 ms)
    const large = tiedData(100, 2);
    const a = await bootstrapCI(large.x, large.y, { ...opts, nBoot: 10000, threads: 1 });
    expect(await peakOf(async () => expect((await bootstrapCI(large.x, large.y, { ...opts, nBoot: 10000, threads: 2 })).ciLower).toBe(a.ciLower))).toBe(2);
  });

  it('the permutation test: small on one thread, large on two, the same p-value', async () => {
    const addon = loadAddon().addon!;
    const { x, y } = tiedData(100, 3);
    const opts = { nPerm: 2000, seed: 4, native: 'require' as const, reuseNull: false };
    addon.resetThreadPeak();
    const small = await spearmanTest(x, y, { ...opts, threads: 2 });
    expect(addon.threadBudget().peak).toBe(1);
    expect(small.pValue).toBe((await spearmanTest(x, y, { ...opts, threads: 1 })).pValue);
    addon.resetThreadPeak();
    const big = await spearmanTest(x, y, { ...opts, nPerm: 200000, threads: 2 });
    expect(addon.threadBudget().peak).toBe(2);
    expect(big.pValue).toBe((await spearmanTest(x, y, { ...opts, nPerm: 200000, threads: 1 })).pValue);
  });
});
