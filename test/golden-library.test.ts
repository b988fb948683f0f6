// The library's midranks, Spearman and type-7 percentiles against fixtures computed by scipy/numpy
// (scripts/golden/make_fixtures.py), for both engines (the native side when the addon is built).
import { describe, expect, it } from 'vitest';
import midranks from './fixtures/midranks.json';
import spearman from './fixtures/spearman.json';
import percentile7 from './fixtures/percentile7.json';
import { midranksOf, spearmanOf } from '../lib/ranks';
import { percentilePair, quantileType7Sorted } from '../lib/internal/bootstrap-engine';
import { nativeAddon as addon } from './helpers/native';

describe('midranks = scipy.stats.rankdata(method="average")', () => {
  for (const c of midranks.cases) {
    it(c.name, () => {
      expect(Array.from(midranksOf(c.values))).toEqual(c.midranks);
      if (addon) expect(Array.from(addon.midranks({ values: Float64Array.from(c.values) }))).toEqual(c.midranks);
    });
  }
});

describe('Spearman = scipy.stats.spearmanr', () => {
  for (const c of spearman.cases) {
    it(c.name, () => {
      const ts = spearmanOf(c.x, c.y);
      const native = addon ? addon.spearman({ x: Float64Array.from(c.x), y: Float64Array.from(c.y) }) : ts;
      if (c.scipy_nan) {
        // a constant side has no Spearman value: NaN, never a silent 0
        expect(ts).toBeNaN();
        expect(native).toBeNaN();
      } else {
        expect(Math.abs(ts - (c.rho as number))).toBeLessThan(1e-12);
        expect(native).toBe(ts);
      }
    });
  }
});

describe('type-7 percentiles = numpy.quantile(method="linear")', () => {
  for (const c of percentile7.cases) {
    it(c.name, () => {
      const values = Float64Array.from(c.values.map((v) => (v === null ? NaN : v)));
      const sorted = values.filter((v) => !Number.isNaN(v)).sort();
      c.q.forEach((q, i) => {
        expect(Math.abs(quantileType7Sorted(sorted, q) - c.quantiles[i]!)).toBeLessThan(1e-12);
      });
      const pair = percentilePair(values, c.q[1]!, c.q[3]!);
      expect(pair.dropped).toBe(values.length - sorted.length);
    });
  }
});
