// y generators (docs/methods.md, "Generators"): native kernels and the TypeScript fallback draw the
// same datasets bit for bit, for every registered generator; rank-only y equals the midranks of
// value y (skip-y identity); streams per dataset.
import { describe, expect, test } from 'vitest';

import type { GeneratorName } from '../lib/config';
import { SpearsimError } from '../lib/errors';
import {
  type EmpiricalPoolSpec, type GeneratorSetup, generateDatasets, generatorSetup, kernelSin, logNormalFit, mixAt, resolvePool,
  spearmanToPearson,
} from '../lib/generators';
import { addonFor } from '../lib/internal/native';
import { hasNative } from './helpers/native';
import { generatorEntry, generatorNames, generatorTable } from '../lib/kernels/generators/table';
import { calibrate } from '../lib/calibration';
import { midranksOf, spearmanOf } from '../lib/ranks';
import { type Scenario, makeScenario, xTemplate } from '../lib/scenario';
import { identityKey } from '../lib/streams';

// the addon when it is built; without it the engine-independent tests run on the TypeScript fallback
const NATIVE = { native: hasNative ? ('require' as const) : false, verbose: 0 };
const FALLBACK = { native: false as const, verbose: 0 };
const GENERATORS: GeneratorName[] = generatorNames();
/** Generators whose y follows the input rho (calibration can reach a target). */
const RHO_GENERATORS = GENERATORS.filter((g) => generatorEntry(g).respondsToRho);
const KEY = identityKey(42, { task: 'generators-test' });

/** A pool for n values: 60 % fixed (with ties), fill, extra fixed and log-uniform draws. */
function poolFor(n: number): EmpiricalPoolSpec {
  const fixedCount = Math.floor(n * 0.6);
  const fixed = Array.from({ length: fixedCount }, (_, i) => 10 + Math.floor(i / 3));
  return { fixed, fillCount: n - fixedCount - 4, extraFixed: [1.5, 90], logUniformCount: 2, logUniformRange: [5, 40] };
}

function setupOf(s: Scenario, kind: GeneratorName, vectorize: boolean): GeneratorSetup {
  return generatorSetup(s, kind, { vectorize, pool: generatorEntry(kind).needsPool ? poolFor(s.n) : undefined });
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const STRUCTURES: Scenario[] = [
  makeScenario({ case: 3, k: 4, shape: 'even' }),
  makeScenario({ case: 2, k: 10, shape: 'heavy_center' }),
  makeScenario({ case: 1, allDistinct: true }),
  makeScenario({ n: 40, counts: [1, 38, 1], yMedian: 2, yIqr: 0, label: 'extreme' }),
];

describe('shared pieces', () => {
  test('log-normal fit reproduces the reference (mu, sigma) of docs/methods.md, "Generators"', () => {
    const ref: Array<[number, number, number, number]> = [
      [15.4, 19.3, 2.734368, 0.721295],
      [42542, 51408, 10.658247, 0.700718],
      [14.3, 13.9, 2.66026, 0.587255],
      [42485, 47830, 10.656906, 0.66205],
    ];
    for (const [median, iqr, mu, sigma] of ref) {
      const fit = logNormalFit(median, iqr);
      expect(fit.mu).toBeCloseTo(mu, 6);
      expect(fit.sigma).toBeCloseTo(sigma, 6);
    }
    expect(logNormalFit(2, 0).sigma).toBe(0.01);
  });

  test('kernelSin matches Math.sin to 1 ulp; Spearman -> Pearson is clipped', () => {
    for (let i = -1000; i <= 1000; i++) {
      const x = (i / 1000) * (Math.PI / 6);
      expect(Math.abs(kernelSin(x) - Math.sin(x))).toBeLessThanOrEqual(Number.EPSILON * Math.abs(Math.sin(x)));
    }
    expect(spearmanToPearson(1)).toBe(0.999);
    expect(spearmanToPearson(-1)).toBe(-0.999);
    expect(spearmanToPearson(0.3)).toBeCloseTo(2 * Math.sin(Math.PI * 0.05), 15);
    expect(mixAt('nonparametric', 1)).toEqual({ a: 0.999, b: Math.sqrt(1 - 0.999 * 0.999) });
    expect(mixAt('linear', 1e-13)).toEqual({ a: 0, b: 1 });
  });
});

describe.skipIf(!hasNative)('generator registry', () => {
  test('the native table lists the registered generators: names, codes and needs', () => {
    const native = addonFor(NATIVE)!.generatorTable();
    expect(native).toEqual(generatorTable().map((e) => ({ name: e.name, code: e.code, needsPool: e.needsPool, needsValues: e.needsValues })));
    generatorTable().forEach((e, i) => expect(e.code).toBe(i));
  });
});

describe.skipIf(!hasNative)('native and TypeScript draw identical datasets', () => {
  for (const s of STRUCTURES) {
    for (const kind of GENERATORS) {
      test(`${kind}, ${s.description}`, () => {
        for (const vectorize of [true, false]) {
          const setup = setupOf(s, kind, vectorize);
          const modes = generatorEntry(kind).needsValues ? [true] : [false, true];
          for (const values of modes) {
            for (const rho of [0, -0.13, 0.4, 1]) {
              const request = { rho, values, baseKey: KEY, count: 6, repOffset: 3 };
              const nat = generateDatasets(setup, request, NATIVE);
              const ts = generateDatasets(setup, request, FALLBACK);
              expect(nat.engine).toBe('native');
              expect(ts.engine).toBe('typescript');
              expect(sameBits(nat.x, ts.x)).toBe(true);
              expect(sameBits(nat.y, ts.y)).toBe(true);
            }
          }
        }
      });
    }
  }
});

describe('datasets', () => {
  test('rank-only y equals the midranks of value y (same stream, same x)', () => {
    for (const s of STRUCTURES) {
      for (const kind of GENERATORS.filter((g) => !generatorEntry(g).needsValues)) {
        const setup = setupOf(s, kind, true);
        for (const rho of [0, 0.3, -0.7, 0.999]) {
          const ranks = generateDatasets(setup, { rho, values: false, baseKey: KEY, count: 50 }, NATIVE);
          const values = generateDatasets(setup, { rho, values: true, baseKey: KEY, count: 50 }, NATIVE);
          expect(sameBits(ranks.x, values.x)).toBe(true);
          const n = s.n;
          for (let r = 0; r < 50; r++) {
            const yr = ranks.y.subarray(r * n, r * n + n);
            expect(sameBits(midranksOf(values.y.subarray(r * n, r * n + n)), yr)).toBe(true);
          }
        }
      }
    }
  });

  test('each dataset owns its stream: a batch equals single calls at its offsets', () => {
    const s = STRUCTURES[0]!;
    const setup = setupOf(s, 'nonparametric', true);
    const batch = generateDatasets(setup, { rho: 0.2, values: false, baseKey: KEY, count: 5 }, NATIVE);
    for (let r = 0; r < 5; r++) {
      const one = generateDatasets(setup, { rho: 0.2, values: false, baseKey: KEY, count: 1, repOffset: r }, NATIVE);
      expect(sameBits(one.y, batch.y.subarray(r * s.n, (r + 1) * s.n))).toBe(true);
    }
    expect(sameBits(batch.y.subarray(0, s.n), batch.y.subarray(s.n, 2 * s.n))).toBe(false);
  });

  test('x is a shuffle of the template; y values have the generator\'s form', () => {
    const s = STRUCTURES[0]!;
    const template = Array.from(xTemplate(s));
    for (const kind of GENERATORS) {
      const out = generateDatasets(setupOf(s, kind, false), { rho: 0.5, values: true, baseKey: KEY, count: 3 }, NATIVE);
      for (let r = 0; r < 3; r++) {
        const x = Array.from(out.x.subarray(r * s.n, (r + 1) * s.n));
        const y = Array.from(out.y.subarray(r * s.n, (r + 1) * s.n));
        expect([...x].sort((a, b) => a - b)).toEqual(template);
        expect(y.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
        if (generatorEntry(kind).needsPool) {
          // every fixed and extra-fixed value is present
          const pool = resolvePool(poolFor(s.n), s.n);
          for (const v of pool.fixed) expect(y).toContain(v);
        }
        if (generatorEntry(kind).respondsToRho) expect(spearmanOf(x, y)).toBeGreaterThan(0);
      }
    }
  });

  test('statistical sanity: rho = 0 gives independent y (mean Spearman within 4 SE of 0)', () => {
    const s = STRUCTURES[0]!;
    for (const kind of GENERATORS) {
      const setup = setupOf(s, kind, true);
      const m = 2000;
      const out = generateDatasets(setup, { rho: 0, values: generatorEntry(kind).needsValues, baseKey: KEY, count: m }, NATIVE);
      let sum = 0;
      for (let r = 0; r < m; r++) sum += spearmanOf(out.x.subarray(r * s.n, (r + 1) * s.n), out.y.subarray(r * s.n, (r + 1) * s.n));
      // SE of a mean of m Spearman values under independence ~ 1/sqrt((n - 1) m)
      expect(Math.abs(sum / m)).toBeLessThan(4 / Math.sqrt((s.n - 1) * m));
    }
  });
});

describe('calibrated generators', () => {
  // Realised mean Spearman over 20 000 fresh datasets (another stream than the calibration's)
  // at the calibrated input for target 0.30. Tolerance: 3 SE, where SE combines the simulation
  // (sample SD / sqrt(20 000), ~0.0008) and the calibration itself (k / sqrt(nCal), k <= 0.122 per
  // docs/methods.md, "Precision and run time", ~0.0012 at nCal = 10 000). Single mode = the 0.30 probe of the multipoint curve.
  const target = 0.3;
  const datasets = 20000;
  const nCal = 10000;
  for (const s of STRUCTURES.slice(0, 3)) {
    test(`realised mean rho within 3 SE of ${target}, every generator, ${s.description}`, async () => {
      for (const generator of RHO_GENERATORS) {
        const pool = generatorEntry(generator).needsPool ? poolFor(s.n) : undefined;
        const { rhoIn } = await calibrate(s, target, { generator, nCal, calibrationMode: 'single', pool, verbose: 0 });
        const setup = setupOf(s, generator, true);
        const fresh = identityKey(42, { task: 'realised-mean-test', generator });
        const out = generateDatasets(setup, { rho: rhoIn, values: generatorEntry(generator).needsValues, baseKey: fresh, count: datasets }, NATIVE);
        let sum = 0;
        let squares = 0;
        for (let r = 0; r < datasets; r++) {
          const rho = spearmanOf(out.x.subarray(r * s.n, (r + 1) * s.n), out.y.subarray(r * s.n, (r + 1) * s.n));
          sum += rho;
          squares += rho * rho;
        }
        const mean = sum / datasets;
        const sd = Math.sqrt((squares - datasets * mean * mean) / (datasets - 1));
        const se = Math.sqrt((sd * sd) / datasets + 0.122 ** 2 / nCal);
        expect(Math.abs(mean - target), `${generator}: mean ${mean}, SE ${se}`).toBeLessThan(3 * se);
      }
    });
  }
});

describe('errors', () => {
  const s = STRUCTURES[0]!;
  test('rank-only empirical, missing or wrong-sized pools', () => {
    const setup = setupOf(s, 'empirical', true);
    for (const config of [NATIVE, FALLBACK]) {
      expect(() => generateDatasets(setup, { rho: 0.1, values: false, baseKey: KEY, count: 1 }, config)).toThrow(
        expect.objectContaining({ code: 'ERR_UNSUPPORTED' }),
      );
    }
    expect(() => generatorSetup(s, 'empirical', { vectorize: true })).toThrow(SpearsimError);
    expect(() => resolvePool({ fixed: [1, 2, 3] }, s.n)).toThrow('pool must specify exactly n=73 values');
    expect(() => resolvePool({ fixed: new Array<number>(73).fill(4) }, s.n)).toThrow(/two distinct/);
    expect(() => resolvePool({ fixed: [1, 2], logUniformCount: 71, logUniformRange: [0, 3] }, s.n)).toThrow(/logUniformRange/);
  });

  test.skipIf(!hasNative)('the native layer validates again', () => {
    const addon = addonFor(NATIVE)!;
    const base = { mixA: 0.1, mixB: 1, values: false, baseKey: KEY, repOffset: 0, count: 1 };
    const generator = { kind: 0, xTemplate: new Float64Array([3, 2, 1]), rowMoments: false, mu: 0, sigma: 1 };
    expect(() => addon.generateDatasets({ ...base, generator })).toThrow(/sorted ascending \(native check\)/);
    expect(() => addon.generateDatasets({ ...base, generator: { ...generator, xTemplate: new Float64Array([1, 2, 3]), kind: 7 } })).toThrow(
      new RegExp(`kind must be an integer in \\[0, ${GENERATORS.length - 1}\\]`),
    );
    expect(() => addon.generateDatasets({ ...base, generator: { ...generator, xTemplate: new Float64Array([1, 2, 3]), sigma: 0.001 } })).toThrow(
      /sigma >= 0.01/,
    );
  });
});
