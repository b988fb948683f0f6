// Bootstrap results as objects (the resample distribution kept, as R's boot and scipy's
// bootstrap_distribution): every registered interval method and level from one resample set
// without resampling, bit-identical to bootstrapCI with the same seed; confidenceLevel beside
// alpha; nanPolicy raise / omit / propagate.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INTERVAL_METHODS, INTERVAL_METHOD_REGISTRY, SpearsimError, bootstrap, bootstrapCI, bootstrapInterval, extendBootstrap, resolveConfig,
} from '../lib/index';

const d = (JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'realdata.json'), 'utf8')) as {
  datasets: Array<{ name: string; x: number[]; y: number[] }>;
}).datasets.find((q) => q.name === 'n=50 k=8')!;
const QUIET = { verbose: 0, seed: 7, nBoot: 3000 } as const;

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(SpearsimError);
    return (e as SpearsimError).code;
  }
}

describe('bootstrap(): the resample distribution as an object', () => {
  it('keeps every resample in order (NaN = degenerate) and tests iterate the interval registry', async () => {
    const r = await bootstrap(d.x, d.y, QUIET);
    expect(r.distribution.length).toBe(3000);
    expect(r.dropped).toBe(r.distribution.filter((v) => Number.isNaN(v)).length);
    expect(r.n).toBe(d.x.length);
    expect(INTERVAL_METHODS).toEqual(INTERVAL_METHOD_REGISTRY.map((m) => m.name));
    INTERVAL_METHOD_REGISTRY.forEach((m, i) => expect(m.code).toBe(i));
  });

  for (const engine of [{ native: true, label: 'native' }, { native: false, label: 'TypeScript' }] as const) {
    it(`${engine.label}: every method and level from one resample set equals bootstrapCI bit for bit`, async () => {
      const r = await bootstrap(d.x, d.y, { ...QUIET, native: engine.native });
      for (const method of INTERVAL_METHODS) {
        for (const alpha of [0.05, 0.1, 0.01]) {
          const reused = bootstrapInterval(r, { method, alpha });
          const fresh = await bootstrapCI(d.x, d.y, { ...QUIET, native: engine.native, method, alpha });
          const { provenance: _a, ...gotRest } = reused;
          const { provenance: _b, ...wantRest } = fresh;
          expect(gotRest, `${method} alpha ${alpha}`).toEqual(wantRest);
        }
      }
    });
  }

  it('a longer run with the same seed starts with the same resamples (blocks of resamples have their own streams)', async () => {
    for (const native of [true, false]) {
      const short = await bootstrap(d.x, d.y, { ...QUIET, nBoot: 1000, native });
      const long = await bootstrap(d.x, d.y, { ...QUIET, nBoot: 1700, native });
      expect(Array.from(long.distribution.subarray(0, 1000))).toEqual(Array.from(short.distribution));
    }
  });

  it('is synchronous and repeatable on a result (no resampling); defaults to the bootstrap level', async () => {
    const r = await bootstrap(d.x, d.y, { ...QUIET, confidenceLevel: 0.9 });
    const a = bootstrapInterval(r, { method: 'bca' });
    expect(a).not.toBeInstanceOf(Promise);
    expect(a.alpha).toBe(0.1);
    expect(a.confidenceLevel).toBe(0.9);
    expect(bootstrapInterval(r, { method: 'bca' })).toEqual(a);
    expect(bootstrapInterval(r, { method: 'bca', confidenceLevel: 0.9 })).toEqual(a);
    expect(await codeOf(() => bootstrapInterval({} as never))).toBe('ERR_INVALID_TYPE');
    expect(await codeOf(() => bootstrapInterval(r, { method: 'studentized' as never }))).toBe('ERR_OUT_OF_RANGE');
  });
});

describe('confidenceLevel beside alpha', () => {
  it('0.95 is alpha 0.05 exactly; both given must agree, else ERR_CONFLICTING_OPTIONS', async () => {
    expect(resolveConfig({ confidenceLevel: 0.95 }).alpha).toBe(0.05);
    expect(resolveConfig({ confidenceLevel: 0.99, alpha: 0.01 }).alpha).toBe(0.01);
    expect(await codeOf(() => resolveConfig({ confidenceLevel: 0.95, alpha: 0.1 }))).toBe('ERR_CONFLICTING_OPTIONS');
    expect(await codeOf(() => resolveConfig({ confidenceLevel: 1.5 }))).toBe('ERR_OUT_OF_RANGE');
    const a = await bootstrapCI(d.x, d.y, { ...QUIET, confidenceLevel: 0.95 });
    const b = await bootstrapCI(d.x, d.y, QUIET);
    expect([a.ciLower, a.ciUpper, a.confidenceLevel]).toEqual([b.ciLower, b.ciUpper, 0.95]);
  });
});

describe('nanPolicy (as scipy): raise, omit, propagate', () => {
  const x = [...d.x.slice(0, 20), NaN, ...d.x.slice(20, 30)];
  const y = [...d.y.slice(0, 20), 1, ...d.y.slice(20, 29), NaN];
  const cleanX = [...d.x.slice(0, 20), ...d.x.slice(20, 29)];
  const cleanY = [...d.y.slice(0, 20), ...d.y.slice(20, 29)];

  it('raise (default): ERR_NAN_INPUT naming the element and the policies', async () => {
    const err = (await bootstrapCI(x, y, QUIET).catch((e: unknown) => e)) as SpearsimError;
    expect(err.code).toBe('ERR_NAN_INPUT');
    expect(err.option).toBe('x[20]');
    expect(err.message).toMatch(/nanPolicy 'omit'/);
    expect(await codeOf(bootstrapCI(x, y, { ...QUIET, nanPolicy: 'drop' as never }))).toBe('ERR_OUT_OF_RANGE');
    expect(await codeOf(bootstrapCI([1, 2, Infinity], [1, 2, 3], { ...QUIET, nanPolicy: 'omit' }))).toBe('ERR_OUT_OF_RANGE');
  });

  it('omit: the incomplete pairs are dropped and counted; the result is that of the complete pairs', async () => {
    const got = await bootstrapCI(x, y, { ...QUIET, nanPolicy: 'omit', method: 'bca' });
    const want = await bootstrapCI(cleanX, cleanY, { ...QUIET, method: 'bca' });
    expect(got.nanOmitted).toBe(2);
    expect(want.nanOmitted).toBe(0);
    expect([got.rho, got.ciLower, got.ciUpper]).toEqual([want.rho, want.ciLower, want.ciUpper]);
    const r = await bootstrap(x, y, { ...QUIET, nanPolicy: 'omit' });
    expect([r.n, r.nanOmitted]).toEqual([29, 2]);
    expect(await codeOf(bootstrapCI([1, NaN, 2, NaN], [1, 2, 3, 4], { ...QUIET, nanPolicy: 'omit' }))).toBe('ERR_OUT_OF_RANGE');
  });

  it('propagate: NaN rho and endpoints, nothing computed; data without NaN are unaffected', async () => {
    const got = await bootstrapCI(x, y, { ...QUIET, nanPolicy: 'propagate' });
    expect([got.rho, got.ciLower, got.ciUpper].every(Number.isNaN)).toBe(true);
    const r = await bootstrap(x, y, { ...QUIET, nanPolicy: 'propagate' });
    expect(Number.isNaN(r.rho)).toBe(true);
    expect(Number.isNaN(bootstrapInterval(r, { method: 'bca' }).ciLower)).toBe(true);
    const clean = await bootstrapCI(cleanX, cleanY, { ...QUIET, nanPolicy: 'propagate' });
    expect(clean.ciLower).toBe((await bootstrapCI(cleanX, cleanY, QUIET)).ciLower);
  });
});

describe('extendBootstrap(): more resamples without drawing the first ones again', () => {
  const sameBits = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

  for (const engine of [{ native: true, label: 'native' }, { native: false, label: 'TypeScript' }] as const) {
    it(`${engine.label}: equals bootstrap() of the larger nBoot bit for bit, from a partial block, a whole block, by one resample, on 1 or 2 threads`, async () => {
      const opts = { ...QUIET, native: engine.native };
      for (const [from, to, threads] of [[1000, 3000, 2], [512, 700, 1], [1000, 1001, 2], [3, 2000, 2]] as const) {
        const previous = await bootstrap(d.x, d.y, { ...opts, nBoot: from, threads: 2 });
        const longer = await bootstrap(d.x, d.y, { ...opts, nBoot: to });
        const extended = await extendBootstrap(previous, { nBoot: to, threads, native: engine.native, verbose: 0 });
        expect(sameBits(extended.distribution, longer.distribution), `${from} -> ${to}`).toBe(true);
        expect([extended.nBoot, extended.dropped, extended.rho, extended.provenance.seed]).toEqual([longer.nBoot, longer.dropped, longer.rho, longer.provenance.seed]);
        expect(extended.provenance.config).toEqual({ ...longer.provenance.config, threads });
        expect(sameBits(previous.distribution, extended.distribution.subarray(0, from))).toBe(true);
      }
    });
  }

  it('its intervals are those of bootstrapCI with the larger nBoot; native and TypeScript extensions agree', async () => {
    const previous = await bootstrap(d.x, d.y, QUIET);
    const extended = await extendBootstrap(previous, { nBoot: 5000 });
    for (const method of INTERVAL_METHODS) {
      const direct = await bootstrapCI(d.x, d.y, { ...QUIET, nBoot: 5000, method });
      const fromExtension = bootstrapInterval(extended, { method });
      expect([fromExtension.ciLower, fromExtension.ciUpper, fromExtension.nBoot], method).toEqual([direct.ciLower, direct.ciUpper, direct.nBoot]);
    }
    const viaFallback = await extendBootstrap(await bootstrap(d.x, d.y, { ...QUIET, native: false }), { nBoot: 5000, native: false });
    expect(sameBits(viaFallback.distribution, extended.distribution)).toBe(true);
  });

  it('nanPolicy results carry over: omit keeps its pairs, propagate stays NaN', async () => {
    const xs = [...d.x, NaN];
    const ys = [...d.y, 1];
    const omitted = await extendBootstrap(await bootstrap(xs, ys, { ...QUIET, nanPolicy: 'omit' }), { nBoot: 4000 });
    expect(sameBits(omitted.distribution, (await bootstrap(d.x, d.y, { ...QUIET, nBoot: 4000 })).distribution)).toBe(true);
    expect(omitted.nanOmitted).toBe(1);
    const propagated = await extendBootstrap(await bootstrap(xs, ys, { ...QUIET, nanPolicy: 'propagate' }), { nBoot: 4000 });
    expect(propagated.distribution.length).toBe(4000);
    expect(propagated.dropped).toBe(4000);
    expect(Number.isNaN(propagated.rho)).toBe(true);
  });

  it('refuses a smaller nBoot, a new seed or level, unknown options, an altered or foreign result', async () => {
    const previous = await bootstrap(d.x, d.y, QUIET);
    expect(await codeOf(extendBootstrap(previous, { nBoot: 3000 }))).toBe('ERR_OUT_OF_RANGE');
    expect(await codeOf(extendBootstrap(previous, { nBoot: 2.5e3 + 0.5 }))).toBe('ERR_OUT_OF_RANGE');
    expect(await codeOf(extendBootstrap(previous, { nBoot: 4000, seed: 8 } as never))).toBe('ERR_CONFLICTING_OPTIONS');
    expect(await codeOf(extendBootstrap(previous, { nBoot: 4000, alpha: 0.1 } as never))).toBe('ERR_CONFLICTING_OPTIONS');
    expect(await codeOf(extendBootstrap(previous, { nBoot: 4000, nBot: 1 } as never))).toBe('ERR_UNKNOWN_OPTION');
    expect(await codeOf(extendBootstrap(previous, {} as never))).toBe('ERR_INVALID_TYPE');
    expect(await codeOf(extendBootstrap({ ...previous, distribution: new Float64Array(3) }, { nBoot: 4000 }))).toBe('ERR_INVALID_TYPE');
    expect(await codeOf(extendBootstrap(null as never, { nBoot: 4000 }))).toBe('ERR_INVALID_TYPE');
    // 3000 = 11 whole blocks + 184: the partial block is drawn again and must match
    const altered = { ...previous, distribution: Float64Array.from(previous.distribution) };
    altered.distribution[2900] = 0.123;
    const error = await extendBootstrap(altered, { nBoot: 4000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_INVALID_TYPE', option: 'previous' });
    expect((error as Error).message).toMatch(/resample 2900 differs/);
    const foreign = { ...previous, data: { x: Float64Array.from(d.x), y: Float64Array.from(d.y).reverse() } };
    expect(await codeOf(extendBootstrap(foreign, { nBoot: 4000 }))).toBe('ERR_INVALID_TYPE');
  });
});
