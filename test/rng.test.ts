import { describe, expect, it } from 'vitest';
import vectors from './fixtures/rng-vectors.json';
import { ResampleIndexStream, Rng, childKey, rootKey } from '../lib/rng';
import { hasNative, nativeAddon } from './helpers/native';

/** The key reached from the stream's root by following its labels down the key tree. */
function keyOf(stream: { seed: number; labels: number[] }): bigint {
  return stream.labels.reduce<bigint>((k, label) => childKey(k, BigInt(label)), rootKey(BigInt(stream.seed)));
}

describe('random streams against the independent Python reference', () => {
  it('xoshiro256** reproduces the published outputs for state {1,2,3,4}', () => {
    const rng = Rng.fromState([1n, 2n, 3n, 4n]);
    expect(vectors.xoshiroState1234.map(() => rng.next64().toString())).toEqual(vectors.xoshiroState1234);
    expect(vectors.xoshiroState1234[0]).toBe('11520');
  });

  it('seed-tree keys match', () => {
    expect(rootKey(0).toString()).toBe(vectors.keys['root(0)']);
    expect(rootKey(42).toString()).toBe(vectors.keys['root(42)']);
    expect(childKey(rootKey(42), 7).toString()).toBe(vectors.keys['child(root(42),7)']);
  });

  for (const stream of vectors.streams) {
    it(`stream seed=${stream.seed} labels=[${stream.labels}]: u64, uniform, bounded`, () => {
      const key = keyOf(stream);
      expect(key.toString()).toBe(stream.key);
      let rng = new Rng(key);
      expect(stream.u64.map(() => rng.next64().toString())).toEqual(stream.u64);
      rng = new Rng(key);
      expect(stream.uniform.map(() => rng.uniform())).toEqual(stream.uniform);
      rng = new Rng(key);
      for (const [range, draws] of Object.entries(stream.bounded)) {
        expect(draws.map(() => rng.bounded(Number(range)))).toEqual(draws);
      }
      for (const [range, draws] of Object.entries(stream.resampleIndices)) {
        const indices = new ResampleIndexStream(key, Number(range));
        expect(draws.map(() => indices.next()), `resample indices, range ${range}`).toEqual(draws);
      }
    });
  }
});

describe.skipIf(!hasNative)('native and TypeScript streams agree bit for bit', () => {
  const addon = nativeAddon!;
  const keys = [rootKey(0), rootKey(42), childKey(rootKey(1), 123456789n), (1n << 64n) - 1n];
  for (const key of keys) {
    it(`key ${key}`, () => {
      const n = 2000;
      const u64 = addon.rngSample({ key, kind: 'u64', count: n }) as BigUint64Array;
      let rng = new Rng(key);
      for (let i = 0; i < n; i++) expect(rng.next64()).toBe(u64[i]);
      for (const kind of ['uniform', 'uniformOpen', 'normal'] as const) {
        const native = addon.rngSample({ key, kind, count: n }) as Float64Array;
        rng = new Rng(key);
        const ts = Float64Array.from({ length: n }, () => rng[kind]());
        expect(Buffer.from(ts.buffer).equals(Buffer.from(native.buffer))).toBe(true);
      }
      for (const range of [1, 2, 3, 73, 1000, 2 ** 31 + 1, 2 ** 32 - 1]) {
        const native = addon.rngSample({ key, kind: 'bounded', count: n, range }) as Float64Array;
        rng = new Rng(key);
        expect(Array.from({ length: n }, () => rng.bounded(range))).toEqual(Array.from(native));
      }
      // resample indices: the native streams at every SIMD level, in one fill, against the mirror
      for (const range of [1, 3, 73, 1000, 2 ** 31 + 1, 2 ** 32 - 1]) {
        const indices = new ResampleIndexStream(key, range);
        const expected = Array.from({ length: n }, () => indices.next());
        for (const level of [undefined, 'avx2', '0']) {
          if (level) process.env.SPEARSIM_SIMD = level;
          try {
            const native = addon.rngSample({ key, kind: 'resampleIndices', count: n, range }) as Float64Array;
            expect(Array.from(native), `range ${range}, SPEARSIM_SIMD=${level}`).toEqual(expected);
          } finally {
            delete process.env.SPEARSIM_SIMD;
          }
        }
      }
      const nativeShuffle = addon.rngSample({ key, kind: 'shuffle', count: 500 }) as Float64Array;
      rng = new Rng(key);
      const p = Array.from({ length: 500 }, (_, i) => i);
      rng.shuffle(p);
      expect(p).toEqual(Array.from(nativeShuffle));
      expect(addon.childKey({ key, label: 99n })).toBe(childKey(key, 99n));
    });
  }
});

describe('draw quality (statistical, tolerances in standard errors)', () => {
  it('uniform mean and variance within 4 SE', () => {
    const rng = new Rng(rootKey(9));
    const n = 200000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n));
  });

  it('bounded(range) is uniform: chi-square over 7 cells below the 99.9% quantile', () => {
    const rng = new Rng(rootKey(10));
    const counts = new Array<number>(7).fill(0);
    const n = 70000;
    for (let i = 0; i < n; i++) counts[rng.bounded(7)]!++;
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 7) ** 2 / (n / 7), 0);
    expect(chi2).toBeLessThan(22.46); // chi-square(6) 0.999 quantile
  });

  it('resample indices are uniform and the lanes independent: chi-square over 73 cells and over consecutive pairs', () => {
    const stream = new ResampleIndexStream(rootKey(13), 73);
    const n = 73 * 2000;
    const cells = new Array<number>(73).fill(0);
    // pairs of consecutive indices (adjacent lanes or words of one output) in 4 x 4 coarse cells
    const pairs = new Array<number>(16).fill(0);
    let previous = stream.next();
    for (let i = 0; i < n; i++) {
      const v = stream.next();
      cells[v]!++;
      if (v < 72 && previous < 72) pairs[4 * Math.floor(previous / 18) + Math.floor(v / 18)]!++;
      previous = v;
    }
    const chi2 = cells.reduce((acc, c) => acc + (c - n / 73) ** 2 / (n / 73), 0);
    expect(chi2).toBeLessThan(114.8); // chi-square(72) 0.999 quantile
    const pairTotal = pairs.reduce((a, b) => a + b, 0);
    const pairChi2 = pairs.reduce((acc, c) => acc + (c - pairTotal / 16) ** 2 / (pairTotal / 16), 0);
    expect(pairChi2).toBeLessThan(37.7); // chi-square(15) 0.999 quantile
  });

  it('Fisher-Yates: every position equally likely for every element (n = 4, all 24 permutations)', () => {
    const rng = new Rng(rootKey(11));
    const seen = new Map<string, number>();
    const n = 48000;
    for (let i = 0; i < n; i++) {
      const p = [0, 1, 2, 3];
      rng.shuffle(p);
      seen.set(p.join(), (seen.get(p.join()) ?? 0) + 1);
    }
    expect(seen.size).toBe(24);
    const chi2 = [...seen.values()].reduce((acc, c) => acc + (c - n / 24) ** 2 / (n / 24), 0);
    expect(chi2).toBeLessThan(49.73); // chi-square(23) 0.999 quantile
  });

  it('normal(): mean 0, variance 1 within 4 SE', () => {
    const rng = new Rng(rootKey(12));
    const n = 100000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});
