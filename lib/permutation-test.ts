/**
 * The Monte Carlo permutation test of one real dataset (docs/methods.md, "Real data"): nPerm
 * uniform permutations of y against x, counted on the native kernel (native/permutation_test.hpp)
 * or on its TypeScript twin here, which gives the same count to the bit.
 *
 * The permutations are split into blocks of TEST_BLOCK, block j drawn from
 * Rng(childKey(testKey, j)) starting from y in data order, so the count depends on the key only:
 * not on the engine, the thread count or the order in which blocks run.
 * @internal
 * @module
 */
import type { CallControls, Config } from './config';
import { throwIfAborted } from './errors';
import { addonFor, runJob } from './internal/native';
import { TEST_BLOCK } from './kernels/constants';
import { threadsForWork } from './internal/threads';
import { Yielder } from './internal/yielder';
import { PVALUE_TOLERANCE, PermutationLayout } from './pvalues';
import { ranksFromOrder, rhoFromExact, stableOrder } from './ranks';
import type { Alternative } from './realdata';
import { Rng, childKey } from './rng';

/**
 * Random draws per kernel thread: up to about 2e5 draws a second thread costs its start and
 * hand-off and saves little (n = 100, 3000 permutations: 0.46 ms on 1 thread, 0.42 ms on 2); at
 * 3.75e5 it pays (n = 50, 1e4: 0.79 vs 0.50 ms). Measured by `node bench/run.js --only jobsize`.
 */
const DRAWS_PER_THREAD = 150_000;
/** Draws of the TypeScript twin between looks at the clock. */
const DRAWS_PER_CHECK = 1 << 16;

/** Both sides of a dataset ranked, with rho and x's tie structure. */
export interface RankedPair {
  rho: number;
  /** Doubled centred ranks of x and y, in data order. */
  rx: Float64Array;
  ry: Float64Array;
  tiesX: number;
  tiesY: number;
  /** x and y group sizes in ascending order of the values. */
  xCounts: number[];
  yCounts: number[];
}

function runLengths(v: Float64Array, order: Uint32Array): number[] {
  const lengths: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (i === 0 || v[order[i]!] !== v[order[i - 1]!]) lengths.push(1);
    else lengths[lengths.length - 1]!++;
  }
  return lengths;
}

/**
 * Ranks x and y (two sorts) and derives rho and x's group sizes from them, letting the event loop
 * turn after each sort (one sort of 200 000 values takes tens of milliseconds).
 */
export async function rankedPair(x: Float64Array, y: Float64Array, signal: AbortSignal | undefined): Promise<RankedPair> {
  const n = x.length;
  const yielder = new Yielder(signal);
  const xOrder = stableOrder(x);
  if (yielder.due()) await yielder.pause();
  const yOrder = stableOrder(y);
  if (yielder.due()) await yielder.pause();
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  const tiesX = ranksFromOrder(x, xOrder, rx);
  const tiesY = ranksFromOrder(y, yOrder, ry);
  let sxy4 = 0;
  for (let i = 0; i < n; i++) sxy4 += rx[i]! * ry[i]!;
  return { rho: rhoFromExact(sxy4, n, tiesX, tiesY), rx, ry, tiesX, tiesY, xCounts: runLengths(x, xOrder), yCounts: runLengths(y, yOrder) };
}

const largestOf = (counts: readonly number[]): number => counts.reduce((a, b) => Math.max(a, b), 0);

/**
 * What the Monte Carlo test permutes. Permuting y against x and x against y give sxy4 the same
 * distribution, and a draw fills every position but those of the held side's largest group, so
 * the side whose largest group is larger is held (x on a tie).
 */
export function permutationTestInput(pair: RankedPair, testKey: bigint, nPerm: number, thresholds: CountThresholds): PermutationTestInput {
  const holdX = largestOf(pair.xCounts) >= largestOf(pair.yCounts);
  return { counts: holdX ? pair.xCounts : pair.yCounts, yRanks: holdX ? pair.ry : pair.rx, testKey, nPerm, thresholds };
}

/** A permutation counts when its sxy4 is <= lower or >= upper. */
export interface CountThresholds {
  lower: number;
  upper: number;
}

/**
 * The integer sxy4 thresholds equivalent to comparing each permutation's rho with rho-hat under the
 * p-value tolerance (|rho| >= |rho-hat| - 1e-12 two-sided, rho >= rho-hat - 1e-12 greater,
 * rho <= rho-hat + 1e-12 less). rho = rhoFromExact(sxy4, ...) is non-decreasing in sxy4, so each
 * comparison holds on a run of integers whose end a binary search finds; a threshold beyond every
 * reachable sxy4 counts nothing.
 */
export function countThresholds(alternative: Alternative, rhoHat: number, n: number, tiesX: number, tiesY: number): CountThresholds {
  const rhoOf = (s: number): number => rhoFromExact(s, n, tiesX, tiesY);
  const n3 = n * n * n - n;
  // |sxy4| <= sqrt(sxx12 syy12) / 3 (Cauchy-Schwarz), so rho is clipped to +-1 at +-reach
  const reach = Math.ceil(Math.sqrt((n3 - tiesX) * (n3 - tiesY)) / 3) + 1;
  const firstAtLeast = (t: number): number => {
    let lo = -reach;
    let hi = reach;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (rhoOf(mid) >= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const lastAtMost = (t: number): number => {
    let lo = -reach;
    let hi = reach;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (rhoOf(mid) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  if (alternative === 'greater') return { lower: -reach - 1, upper: firstAtLeast(rhoHat - PVALUE_TOLERANCE) };
  if (alternative === 'less') return { lower: lastAtMost(rhoHat + PVALUE_TOLERANCE), upper: reach + 1 };
  const threshold = Math.abs(rhoHat) - PVALUE_TOLERANCE;
  return { lower: lastAtMost(-threshold), upper: firstAtLeast(threshold) };
}

/** What is permuted: one side's tie structure and the other side's doubled centred ranks. */
export interface PermutationTestInput {
  /** Group sizes of the held side in ascending order (x's, or y's: see permutationTestInput). */
  counts: readonly number[];
  /** Doubled centred ranks of the permuted side, in data order. */
  yRanks: Float64Array;
  testKey: bigint;
  nPerm: number;
  thresholds: CountThresholds;
}

/** TypeScript twin of native permutationTestCount; yields to the event loop every ~15 ms. */
export async function permutationTestCountFallback(input: PermutationTestInput, controls: CallControls): Promise<number> {
  const { nPerm, testKey } = input;
  const { lower, upper } = input.thresholds;
  const layout = new PermutationLayout(input.counts);
  const start = Int32Array.from(input.yRanks);
  const y = new Int32Array(layout.n);
  const yielder = new Yielder(controls.signal);
  const checkEvery = Math.max(1, Math.floor(DRAWS_PER_CHECK / Math.max(1, layout.n - layout.fixedBelow)));
  let untilCheck = checkEvery;
  let count = 0;
  const blocks = Math.ceil(nPerm / TEST_BLOCK);
  for (let j = 0; j < blocks; j++) {
    const rng = new Rng(childKey(testKey, j));
    y.set(start);
    const from = j * TEST_BLOCK;
    const to = Math.min(nPerm, from + TEST_BLOCK);
    for (let b = from; b < to; b++) {
      const s = layout.draw(rng, y);
      if (s <= lower || s >= upper) count++;
      if (--untilCheck === 0) {
        untilCheck = checkEvery;
        if (yielder.due()) {
          controls.onProgress?.(b + 1, nPerm);
          await yielder.pause();
        }
      }
    }
  }
  throwIfAborted(controls.signal);
  controls.onProgress?.(nPerm, nPerm);
  return count;
}

/**
 * Permutations at or beyond the thresholds among input.nPerm, on the addon when config allows it;
 * the thread count follows the work (the count does not).
 */
export async function permutationTestCount(
  input: PermutationTestInput,
  config: Pick<Config, 'native' | 'verbose' | 'threads'>,
  controls: CallControls,
): Promise<{ count: number; engine: 'native' | 'typescript' }> {
  throwIfAborted(controls.signal);
  const addon = addonFor(config);
  if (!addon) return { count: await permutationTestCountFallback(input, controls), engine: 'typescript' };
  const draws = input.nPerm * (input.yRanks.length - largestOf(input.counts));
  const threads = Math.min(threadsForWork(config.threads, draws, DRAWS_PER_THREAD), Math.ceil(input.nPerm / TEST_BLOCK));
  const count = await runJob(addon, threads, controls, (token, onProgress) =>
    addon.permutationTest(
      {
        counts: Uint32Array.from(input.counts),
        yRanks: input.yRanks,
        testKey: input.testKey,
        nPerm: input.nPerm,
        lower: input.thresholds.lower,
        upper: input.thresholds.upper,
        threads,
      },
      token,
      onProgress,
    ),
  );
  return { count, engine: 'native' };
}
