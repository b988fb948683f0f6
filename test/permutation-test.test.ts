// The Monte Carlo permutation test of real data (lib/permutation-test.ts, native/permutation_test.hpp):
// its count is the direct definition's (every permutation's rho compared with rho-hat under the
// tolerance, block streams), the same bits on the native kernel at any thread count and on the
// TypeScript twin; calls reject at once when already aborted and soon when aborted mid-run; the
// TypeScript twin keeps the event loop turning.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Alternative, SpearsimError, spearmanTest } from '../lib/index';
import { TEST_BLOCK } from '../lib/kernels/constants';
import { countThresholds, permutationTestCount, permutationTestCountFallback } from '../lib/permutation-test';
import { PVALUE_TOLERANCE, PermutationLayout } from '../lib/pvalues';
import { doubledCentredRanks, rhoFromExact, spearmanOf } from '../lib/ranks';
import { Rng, childKey, rootKey } from '../lib/rng';
import { abortLatency, worstLoopGap } from './helpers/loop-probe';

const ALTERNATIVES: Alternative[] = ['two-sided', 'greater', 'less'];

/** Tie-heavy data: x from k levels, y = x + noise rounded to few levels. */
function tiedData(n: number, k: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(rootKey(seed));
  const x = Float64Array.from({ length: n }, () => rng.bounded(k));
  const y = Float64Array.from(x, (v) => Math.round(0.3 * v + 1.5 * rng.normal()));
  return { x, y };
}

function countsOf(x: Float64Array): number[] {
  const sorted = [...x].sort((a, b) => a - b);
  return [...new Set(sorted)].map((v) => sorted.filter((u) => u === v).length);
}

function inputOf(x: Float64Array, y: Float64Array, alternative: Alternative, nPerm: number, key: bigint) {
  const n = x.length;
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  const tiesX = doubledCentredRanks(x, rx);
  const tiesY = doubledCentredRanks(y, ry);
  const rho = spearmanOf(x, y);
  return { rho, tiesX, tiesY, input: { counts: countsOf(x), yRanks: ry, testKey: key, nPerm, thresholds: countThresholds(alternative, rho, n, tiesX, tiesY) } };
}

/** The definition: block j from Rng(childKey(key, j)) and y in data order, rho compared directly. */
function directCount(x: Float64Array, y: Float64Array, alternative: Alternative, nPerm: number, key: bigint): number {
  const { rho, tiesX, tiesY, input } = inputOf(x, y, alternative, nPerm, key);
  const extreme = (r: number): boolean =>
    alternative === 'greater' ? r >= rho - PVALUE_TOLERANCE : alternative === 'less' ? r <= rho + PVALUE_TOLERANCE : Math.abs(r) >= Math.abs(rho) - PVALUE_TOLERANCE;
  const layout = new PermutationLayout(input.counts);
  let count = 0;
  for (let j = 0; j * TEST_BLOCK < nPerm; j++) {
    const rng = new Rng(childKey(key, j));
    const perm = Int32Array.from(input.yRanks);
    for (let b = j * TEST_BLOCK; b < Math.min(nPerm, (j + 1) * TEST_BLOCK); b++) {
      if (extreme(rhoFromExact(layout.draw(rng, perm), x.length, tiesX, tiesY))) count++;
    }
  }
  return count;
}

describe('Monte Carlo permutation count', () => {
  it('the sxy4 thresholds select exactly the permutations whose rho passes the tolerance test', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 60 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (n, k, seed) => {
        const { x, y } = tiedData(n, k, seed);
        if (new Set(x).size < 2 || new Set(y).size < 2) return;
        const rx = new Float64Array(n);
        const ry = new Float64Array(n);
        const tiesX = doubledCentredRanks(x, rx);
        const tiesY = doubledCentredRanks(y, ry);
        const rho = spearmanOf(x, y);
        const reach = Math.ceil(Math.sqrt((n ** 3 - n - tiesX) * (n ** 3 - n - tiesY)) / 3) + 1;
        for (const alternative of ALTERNATIVES) {
          const t = countThresholds(alternative, rho, n, tiesX, tiesY);
          const passes = (s: number): boolean => {
            const r = rhoFromExact(s, n, tiesX, tiesY);
            return alternative === 'greater' ? r >= rho - 1e-12 : alternative === 'less' ? r <= rho + 1e-12 : Math.abs(r) >= Math.abs(rho) - 1e-12;
          };
          const wrong: number[] = [];
          for (let s = -reach; s <= reach; s += Math.max(1, Math.floor(reach / 3000))) {
            if ((s <= t.lower || s >= t.upper) !== passes(s)) wrong.push(s);
          }
          // around the thresholds every integer is checked (|sxy4| < reach for every permutation)
          for (const edge of [t.lower, t.upper]) {
            for (let s = Math.max(edge - 3, 1 - reach); s <= Math.min(edge + 3, reach - 1); s++) {
              if ((s <= t.lower || s >= t.upper) !== passes(s)) wrong.push(s);
            }
          }
          expect(wrong, `n=${n} ${alternative}`).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('equals the direct definition, bit for bit on the native kernel at 1, 2 and 3 threads and on the TypeScript twin', async () => {
    for (const [n, k, nPerm] of [[30, 3, 5000], [200, 5, 3000], [7, 2, 1500]] as const) {
      const { x, y } = tiedData(n, k, n);
      for (const alternative of ALTERNATIVES) {
        const key = rootKey(n + 17);
        const want = directCount(x, y, alternative, nPerm, key);
        const { input } = inputOf(x, y, alternative, nPerm, key);
        expect(await permutationTestCountFallback(input, {})).toBe(want);
        for (const threads of [1, 2, 3]) {
          const got = await permutationTestCount(input, { native: 'require', verbose: 0, threads }, {});
          expect(got, `n=${n} ${alternative} threads=${threads}`).toEqual({ count: want, engine: 'native' });
        }
      }
    }
  });

  it('spearmanTest gives the same p-value on both engines and any thread count, and names the engine', async () => {
    const { x, y } = tiedData(300, 4, 5);
    for (const alternative of ALTERNATIVES) {
      const ts = await spearmanTest(x, y, { nPerm: 20000, alternative, native: false, seed: 3 });
      expect(ts.permutation?.kind).toBe('monte-carlo');
      expect(ts.provenance.engine).toBe('typescript');
      for (const threads of [1, 2]) {
        const nat = await spearmanTest(x, y, { nPerm: 20000, alternative, native: 'require', threads, seed: 3 });
        expect(nat.provenance.engine).toBe('native');
        expect(nat.pValue).toBe(ts.pValue);
      }
    }
  });
});

const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: SpearsimError) => e.code);

describe('spearmanTest cancellation', () => {
  const { x, y } = tiedData(2000, 4, 9);
  it('rejects at once when the signal is already aborted, whatever the method', async () => {
    const signal = AbortSignal.abort();
    for (const native of ['require', false] as const) {
      expect(await codeOf(spearmanTest(x, y, { nPerm: 1e6, signal, native }))).toBe('ERR_ABORTED');
      expect(await codeOf(spearmanTest(x, y, { method: 't', signal, native }))).toBe('ERR_ABORTED');
      expect(await codeOf(spearmanTest(x, y, { method: 'asymptotic', signal, native }))).toBe('ERR_ABORTED');
      expect(await codeOf(spearmanTest([1, 2, 3, 4], [2, 1, 4, 3], { signal, native }))).toBe('ERR_ABORTED'); // exact
    }
  });

  for (const native of ['require', false] as const) {
    it(`rejects soon after an abort mid-run (${native === false ? 'TypeScript' : 'native'}, n = 200 000)`, async () => {
      const big = tiedData(200000, 5, 1);
      const got = await abortLatency((signal) => spearmanTest(big.x, big.y, { nPerm: 1e7, signal, native }), 300);
      expect(got.code).toBe('ERR_ABORTED');
      expect(got.ms).toBeLessThan(1000); // generous: the point is "not after the run", which would take minutes
    });
  }

  it('keeps the event loop turning on the TypeScript twin (n = 200 000)', async () => {
    const big = tiedData(200000, 5, 2);
    const controller = new AbortController();
    const gap = await worstLoopGap(async () => {
      const promise = spearmanTest(big.x, big.y, { nPerm: 1e7, signal: controller.signal, native: false });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      controller.abort();
      await codeOf(promise);
    });
    // the twin yields every ~15 ms; the longest steps are the two sorts of the setup (~40 ms each
    // on a quiet machine, several times that on a loaded one); a twin that never yielded would
    // block for the whole 1.5 s
    expect(gap.worst, `worst gap ${gap.worst} ms of ${gap.elapsed} ms`).toBeLessThan(Math.max(250, gap.elapsed / 3));
  });
});
