// Property-based fuzzing of the public library API: every generated call ends in a typed
// SpearsimError with a known code or in a valid result; none crashes, hangs, or answers wrongly.
// Scale with SPEARSIM_FUZZ_SCALE (the stress tier runs this file at a larger scale).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapBatch, bootstrapCI, childKey, flagName, nativeStatus, resolveConfig, rootKey, Rng, SpearsimError } from '../../lib/index';
import { OPTION_KEYS, OPTION_SCHEMA, normaliseOption, type Config } from '../../lib/config';
import { threadsInUse } from '../../lib/internal/threads';
import { hasNative } from '../helpers/native';
import {
  COLLECT, CallCounter, CallerError, assertContract, collectedProblems, fuzz, finiteIn, isRho, junk, mostly, nonNegInt, numericVector, optionArbs, optionsOf, ordered,
  partnerVector, settle,
  naiveSpearman,
} from './harness';

const SCALE = Number(process.env.SPEARSIM_FUZZ_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
const calls = new CallCounter();


const bootstrapOptions = optionsOf({ ...optionArbs, signal: fc.constant(undefined), onProgress: fc.oneof(
    { arbitrary: fc.constant(() => {}), weight: 5 },
    { arbitrary: fc.constant(() => { throw new CallerError('progress callback throws'); }), weight: 1 },
  ),
});

function ciProblems(r: Awaited<ReturnType<typeof bootstrapCI>>, x: unknown, y: unknown): string[] {
  // a CI is always finite: when every resample is degenerate the call rejects (ERR_OUT_OF_RANGE, nBoot)
  const p: string[] = [...isRho('rho', r.rho), ...nonNegInt('dropped', r.dropped, r.nBoot - 1)];
  p.push(...isRho('ciLower', r.ciLower), ...isRho('ciUpper', r.ciUpper), ...ordered('CI', r.ciLower, r.ciUpper));
  if (r.method !== 'percentile') p.push(`method ${String(r.method)}`);
  if (!['native', 'typescript'].includes(r.provenance?.engine)) p.push('provenance.engine missing');
  const ref = naiveSpearman(x as ArrayLike<number>, y as ArrayLike<number>);
  if (!(Math.abs(ref - r.rho) <= 1e-12)) p.push(`rho ${r.rho} differs from the textbook value ${ref}`);
  return p;
}

/** A valid dataset of the package's domain: heavily tied x, any y. */
const validPair = fc.integer({ min: 3, max: 40 }).chain((n) =>
  fc.tuple(
    fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    fc.array(fc.oneof(fc.integer({ min: 0, max: 60 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: n, maxLength: n }),
  ),
);

describe('bootstrapCI', () => {
  it('ends in a typed error or a valid CI for hostile inputs', async () => {
    await fuzz(
      calls,
      runs(2000),
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: validPair, weight: 2 },
          { arbitrary: numericVector.chain((x) => fc.tuple(fc.constant(x), partnerVector(x))), weight: 3 },
        ).chain(([x, y]) => fc.tuple(fc.constant(x), fc.constant(y), bootstrapOptions)),
        async ([x, y, options]) => {
          calls.add();
          const out = await settle(() => bootstrapCI(x as number[], y as number[], options as object));
          calls.note('bootstrapCI', out);
          assertContract(out, (r) => ciProblems(r, x, y), { asyncApi: true, input: [x, y, options] });
          expect(threadsInUse()).toBe(0);
        },
      ),
    );
  });

  it.runIf(hasNative)('native and TypeScript engines agree bit for bit on corner-case data', async () => {
    const corner = fc.constantFrom(0, -0, 1, -1, 5e-324, -5e-324, 1e308, -1e308, 0.1, 2 ** 53, 3);
    await fuzz(
      calls,
      runs(300),
      fc.asyncProperty(
        fc.integer({ min: 3, max: 25 }).chain((n) =>
          fc.tuple(fc.array(corner, { minLength: n, maxLength: n }), fc.array(fc.oneof(corner, fc.integer({ min: -3, max: 3 })), { minLength: n, maxLength: n })),
        ),
        fc.constantFrom(1, 3, 256, 300),
        fc.nat(1000),
        async ([x, y], nBoot, seed) => {
          calls.add(2);
          const a = await settle(() => bootstrapCI(x, y, { nBoot, seed, native: 'require', verbose: 0 }));
          const b = await settle(() => bootstrapCI(x, y, { nBoot, seed, native: false, verbose: 0 }));
          if (a.kind === 'error' || b.kind === 'error') {
            expect(a.kind).toBe(b.kind);
            if (a.kind === 'error' && b.kind === 'error') expect((b.error as SpearsimError).code).toBe((a.error as SpearsimError).code);
            assertContract(a, () => [], { asyncApi: true });
            return;
          }
          for (const k of ['rho', 'ciLower', 'ciUpper', 'dropped'] as const) {
            if (!Object.is(a.value[k], b.value[k])) throw new Error(`${k}: native ${a.value[k]} vs typescript ${b.value[k]}`);
          }
          assertContract(a, (r) => ciProblems(r, x, y), { input: [x, y, nBoot, seed] });
        },
      ),
    );
  });

  it('a fair share of the generated calls reach a result', () => {
    expect(calls.ok('bootstrapCI')).toBeGreaterThan(runs(2000) * 0.1);
  });

  it('huge sparse arrays fail with a coded error before allocating', async () => {
    for (const x of [new Array(2 ** 32 - 1), new Array(1e9), new Array(200001)]) {
      const out = await settle(() => bootstrapCI(x as number[], [1, 2, 3]));
      assertContract(out, () => ['must not succeed']);
    }
  });
});

describe('bootstrapBatch', () => {
  const row = (n: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n });
  const datasets = fc.integer({ min: 1, max: 25 }).chain((n) =>
    fc.integer({ min: 1, max: 5 }).chain((reps) => fc.tuple(fc.array(row(n), { minLength: reps, maxLength: reps }), fc.array(row(n), { minLength: reps, maxLength: reps }))),
  );
  // mutations that break one thing at a time
  const mutated = fc.oneof(
    { arbitrary: datasets, weight: 6 },
    { arbitrary: fc.tuple(datasets, fc.nat(), numericVector).map(([[x, y], i, v]) => [x.map((r, j) => (j === i % x.length ? v : r)), y] as const), weight: 2 },
    { arbitrary: fc.tuple(datasets, numericVector).map(([[x, y], v]) => [x, [...y, v]] as const), weight: 1 },
    { arbitrary: fc.tuple(datasets, junk).map(([[x], j]) => [x, j] as const), weight: 1 },
    { arbitrary: fc.tuple(junk, junk), weight: 1 },
    { arbitrary: fc.constantFrom([[], []], [[[]], [[]]], [new Array(3), new Array(3)]), weight: 1 },
  );

  it('ends in a typed error or valid per-rep and averaged CIs', async () => {
    await fuzz(
      calls,
      runs(1200),
      fc.asyncProperty(mutated, bootstrapOptions, async ([x, y], options) => {
        calls.add();
        const out = await settle(() => bootstrapBatch(x as number[][], y as number[][], options as object));
        calls.note('bootstrapBatch', out);
        assertContract(
          out,
          (r) => {
            const p: string[] = [];
            const nReps = (x as unknown[]).length;
            if (r.nReps !== nReps) p.push(`nReps ${r.nReps} != ${nReps}`);
            for (const k of ['lo', 'hi', 'rhoHat', 'dropped'] as const) if (r.reps[k].length !== nReps) p.push(`reps.${k} has length ${r.reps[k].length}`);
            let without = 0;
            for (let i = 0; i < nReps; i++) {
              const lo = r.reps.lo[i]!;
              const hi = r.reps.hi[i]!;
              if (Number.isNaN(lo) || Number.isNaN(hi)) {
                without++;
                if (!(Number.isNaN(lo) && Number.isNaN(hi) && r.reps.dropped[i] === r.nBoot)) p.push(`rep ${i}: NaN endpoint with ${r.reps.dropped[i]} dropped`);
              } else p.push(...isRho(`lo[${i}]`, lo), ...isRho(`hi[${i}]`, hi), ...ordered(`rep ${i}`, lo, hi));
              const rho = r.reps.rhoHat[i]!;
              if (!Number.isNaN(rho)) p.push(...isRho(`rhoHat[${i}]`, rho));
            }
            if (r.repsWithoutInterval !== without) p.push(`repsWithoutInterval ${r.repsWithoutInterval} != ${without}`);
            if (without < nReps) p.push(...isRho('ciLower', r.ciLower), ...isRho('ciUpper', r.ciUpper), ...ordered('CI', r.ciLower, r.ciUpper));
            else if (!Number.isNaN(r.ciLower)) p.push('ciLower should be NaN when no rep has an interval');
            p.push(...finiteIn('ciLowerSd', r.ciLowerSd, 0), ...finiteIn('ciUpperSd', r.ciUpperSd, 0));
            p.push(...nonNegInt('dropped', r.dropped, nReps * r.nBoot), ...nonNegInt('chunkResamples', r.chunkResamples, 256));
            return p;
          },
          { asyncApi: true, input: [x, y, options] },
        );
        expect(threadsInUse()).toBe(0);
      }),
    );
    expect(calls.ok('bootstrapBatch')).toBeGreaterThan(runs(1200) * 0.05);
  });
});

describe('regressions found by the fuzz', () => {
  it('sparse dataset rows are a typed error (was TypeError in flatten)', async () => {
    for (const [x, y] of [[[[, , ,], [, , ,]], [[, , ,], [, , ,]]], [new Array(3), new Array(3)]] as const) {
      assertContract(await settle(() => bootstrapBatch(x as unknown as number[][], y as unknown as number[][])), () => ['must not succeed']);
    }
  });
  it('an element without a primitive value is a typed error (was TypeError from String(v))', async () => {
    assertContract(await settle(() => bootstrapCI([Object.create(null), 1, 2], [1, 2, 3])), () => ['must not succeed']);
    assertContract(await settle(() => bootstrapCI([1, 2, 3], [1, Symbol('s') as unknown as number, 3])), () => ['must not succeed']);
  });
  it('all-degenerate resamples reject instead of returning a NaN interval', async () => {
    // n = 3 and nBoot = 1: seed 3 draws a degenerate resample
    assertContract(await settle(() => bootstrapCI([0, 0, 1], [1, 2, 3], { nBoot: 1, seed: 3, verbose: 0 })), (r) => ciProblems(r, [0, 0, 1], [1, 2, 3]));
  });
});

describe('resolveConfig', () => {
  /** Valid values of an option (strings as flags and the environment give them too). */
  const validValue = (key: keyof Config): fc.Arbitrary<unknown> => {
    const spec = OPTION_SCHEMA[key];
    switch (spec.kind) {
      case 'integer':
        return fc.oneof(fc.integer({ min: spec.min, max: Math.min(spec.max, 2 ** 31) }), fc.constantFrom(spec.min, spec.max, `${spec.min}`, ` ${spec.max} `));
      case 'number':
        return fc.oneof(fc.double({ min: spec.min, max: spec.max, noNaN: true, minExcluded: spec.exclusive, maxExcluded: spec.exclusive }), fc.constant(`${(spec.min + spec.max) / 2}`));
      case 'boolean':
        return fc.constantFrom(true, false, 'true', 'FALSE', 'yes', 'off', '1');
      case 'native':
        return fc.constantFrom(true, false, 'true', 'require', '0');
      case 'enum':
        return fc.constantFrom(...spec.choices);
      case 'optionalEnum':
        return fc.constantFrom(undefined, ...spec.choices);
      case 'enumList':
        return fc.oneof(fc.subarray([...spec.choices], { minLength: 1 }), fc.constant(spec.choices.join(',')), fc.constant(`${spec.choices[0]},,`));
      case 'integerList':
        return fc.oneof(fc.array(fc.integer({ min: spec.min, max: spec.max }), { minLength: 1, maxLength: 5 }), fc.constant(`${spec.min},${spec.max}`));
      case 'bytes':
        return fc.oneof(fc.integer({ min: spec.min, max: 2 ** 40 }), fc.constantFrom('512MB', '2GiB', '1.5 g', '1024k', '1e3MB'));
      case 'string':
        return fc.string({ minLength: 1, maxLength: 10 });
      case 'countLists':
        return fc.oneof(fc.array(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 6 }), { maxLength: 3 }), fc.constant('20,20,20,20;10,30,30,10'));
      default:
        return fc.anything(); // a kind added after this test: still fuzzed
    }
  };
  /** Values just outside an option's range or of a near-miss type. */
  const boundaryValue = (key: keyof Config): fc.Arbitrary<unknown> => {
    const spec = OPTION_SCHEMA[key];
    switch (spec.kind) {
      case 'integer':
      case 'integerList':
        return fc.constantFrom(spec.min - 1, spec.max + 1, 1.5, '1e3', '0x10', '', [spec.min, spec.max + 1].join(','), `${spec.min}-${spec.max}`, ' , ');
      case 'number':
        return fc.constantFrom(spec.min - 1e-9, spec.max + 1e-9, ...(spec.exclusive ? [spec.min, spec.max] : []), '', '1/2');
      case 'bytes':
        return fc.constantFrom(spec.min - 1, spec.max + 1, '99999999999999999999TB', '-1MB', 'MB', '1.5.3k', '2^20');
      case 'countLists':
        return fc.constantFrom([[1]], [[0, 5]], [[-1, 3]], '1,2;3', ';;', '1e400,1', [[1.5, 2]], [5]);
      default:
        return fc.constantFrom('', 'x', ',', 'maybe', 0, 2);
    }
  };
  const input = optionsOf(Object.fromEntries(OPTION_KEYS.map((k) => [k, validValue(k)])));
  const oneBoundary = fc.constantFrom(...OPTION_KEYS).chain((k) => fc.tuple(fc.constant(k), boundaryValue(k))).map(([k, v]) => ({ [k]: v }));
  const envArb = fc.dictionary(
    fc.constantFrom(...OPTION_KEYS.map((k) => OPTION_SCHEMA[k].env).filter((e): e is string => e !== undefined)),
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('1', '0', 'true', '512MB', '-1', 'NaN', '')),
    { maxKeys: 2 },
  );
  const envOrNone = fc.oneof({ arbitrary: fc.constant({}), weight: 2 }, { arbitrary: envArb, weight: 1 });

  it('returns a configuration in which every option is valid, or a typed error', async () => {
    await fuzz(
      calls,
      runs(2500),
      fc.asyncProperty(fc.oneof({ arbitrary: input, weight: 3 }, { arbitrary: oneBoundary, weight: 1 }), envOrNone, async (options, env) => {
        calls.add();
        const out = await settle(() => resolveConfig(options as object, [], env));
        calls.note('resolveConfig', out);
        assertContract(out, (config) => {
          const p: string[] = [];
          for (const key of OPTION_KEYS) {
            try {
              const again = normaliseOption(key, config[key]);
              if (JSON.stringify(again) !== JSON.stringify(config[key])) p.push(`${key} not normalised: ${String(config[key])}`);
            } catch (e) {
              p.push(`${key} = ${String(config[key])} invalid: ${(e as Error).message}`);
            }
          }
          return p;
        }, { input: [options, env] });
      }),
    );
  });
});

describe('rng keys and small exports', () => {
  const keyish = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.nat(), junk);

  it('rootKey / childKey / Rng: coded errors or 64-bit keys', async () => {
    await fuzz(
      calls,
      runs(1000),
      fc.asyncProperty(keyish, keyish, fc.constantFrom('rootKey', 'childKey', 'Rng'), async (a, b, which) => {
        calls.add();
        const out = await settle(() =>
          which === 'rootKey' ? rootKey(a as bigint) : which === 'childKey' ? childKey(a as bigint, b as bigint) : new Rng(a as bigint).uniform(),
        );
        calls.note(which, out);
        assertContract(out, (v) =>
          which === 'Rng' ? finiteIn('uniform', v, 0, 1) : typeof v === 'bigint' && v >= 0n && v < 2n ** 64n ? [] : [`key ${String(v)} out of [0, 2^64)`],
          { input: [which, a, b] },
        );
      }),
    );
  });

  it('flagName and nativeStatus', async () => {
    await fuzz(
      calls,
      runs(200),
      fc.asyncProperty(fc.oneof(fc.string(), junk), async (name) => {
        calls.add();
        const out = await settle(() => flagName(name as string));
        assertContract(out, (v) => (typeof v === 'string' ? [] : ['not a string']), { input: name });
      }),
    );
    expect(nativeStatus().available).toBe(hasNative);
  });
});

afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`fuzz-api: ${calls.count} generated calls\n${calls.summary()}`);
  if (COLLECT) console.log(JSON.stringify(collectedProblems(), null, 2)); // eslint-disable-line no-console
});
