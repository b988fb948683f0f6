// The O(n log n) jackknife of Spearman's rho (lib/jackknife.ts, native/jackknife.hpp) against the
// direct O(n^2) sums (test/helpers/jackknife-oracle.ts) bit for bit on random tie-heavy data, on
// both engines; BCa calls reject at once when already aborted and soon when aborted mid-run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpearsimError, bootstrapCI } from '../lib/index';
import { jackknifeFallback, jackknifeRhos } from '../lib/jackknife';
import { Rng, rootKey } from '../lib/rng';
import { naiveJackknifeRhos } from './helpers/jackknife-oracle';
import { abortLatency, worstLoopGap } from './helpers/loop-probe';

function tiedData(n: number, kx: number, ky: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(rootKey(seed));
  const x = Float64Array.from({ length: n }, () => rng.bounded(kx));
  const y = Float64Array.from(x, (v) => (ky > 0 ? Math.min(ky - 1, Math.floor(rng.bounded(ky) * 0.6 + v * 0.4)) : v + rng.normal()));
  return { x, y };
}

const sameBits = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('jackknife', () => {
  it('equals the O(n^2) oracle bit for bit on random tie-heavy data, on both engines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 120 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 1e6 }),
        async (n, kx, ky, seed) => {
          const { x, y } = tiedData(n, kx, ky, seed);
          const want = naiveJackknifeRhos(x, y);
          expect(sameBits(await jackknifeFallback(x, y), want)).toBe(true);
          expect(sameBits(await jackknifeRhos(x, y, { native: 'require', verbose: 0 }, {}), want)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('equals the oracle at n = 3000 with values that are not small integers', async () => {
    const rng = new Rng(rootKey(4));
    const x = Float64Array.from({ length: 3000 }, () => Math.round(rng.normal() * 3) / 7);
    const y = Float64Array.from(x, (v) => Math.round((v + rng.normal()) * 4) / 3);
    const want = naiveJackknifeRhos(x, y);
    expect(sameBits(await jackknifeFallback(x, y), want)).toBe(true);
    expect(sameBits(await jackknifeRhos(x, y, { native: 'require', verbose: 0 }, {}), want)).toBe(true);
  });
});

const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: SpearsimError) => e.code);

describe('BCa cancellation', () => {
  it('rejects at once when the signal is already aborted', async () => {
    const { x, y } = tiedData(500, 5, 7, 1);
    for (const native of ['require', false] as const) {
      expect(await codeOf(bootstrapCI(x, y, { method: 'bca', signal: AbortSignal.abort(), native }))).toBe('ERR_ABORTED');
      expect(await codeOf(jackknifeRhos(x, y, { native, verbose: 0 }, { signal: AbortSignal.abort() }))).toBe('ERR_ABORTED');
    }
  });

  for (const native of ['require', false] as const) {
    it(`rejects soon after an abort mid-run (${native === false ? 'TypeScript' : 'native'}, n = 200 000)`, async () => {
      const { x, y } = tiedData(200000, 6, 9, 2);
      const got = await abortLatency((signal) => bootstrapCI(x, y, { method: 'bca', nBoot: 100000, signal, native, threads: 1 }), 300);
      expect(got.code).toBe('ERR_ABORTED');
      expect(got.ms).toBeLessThan(1000); // generous: the point is "not after the run"
    });
  }

  it('the TypeScript jackknife keeps the event loop turning (n = 200 000)', async () => {
    const { x, y } = tiedData(200000, 50, 0, 3);
    const gap = await worstLoopGap(() => jackknifeFallback(x, y));
    // a run that never yielded would block for all of it; a loaded machine stretches every step,
    // so the bound is relative (the sorts are the longest steps: ~40 ms each on a quiet machine)
    expect(gap.worst, `worst gap ${gap.worst} ms of ${gap.elapsed} ms`).toBeLessThan(Math.max(100, gap.elapsed / 2));
  });
});
