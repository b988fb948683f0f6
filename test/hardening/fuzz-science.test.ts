// Property-based fuzzing of the simulation APIs: scenarios, asymptotics, real-data
// tests, nulls, calibration, expected CIs, power, the study runner, plots, planning and CSV. Every
// call ends in a typed SpearsimError or a valid result. Valid calls use small sizes; expensive
// APIs run under a wall-clock budget (remaining runs are skipped, never abandoned mid-call).
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STUDY, asymptotic, asymptoticGrid, asymptoticMinDetectableRho, asymptoticPower, calibrate, ciBootstrap, ciForestSvg, estimatePower,
  expectedSpearman, fisherCI, frequencyCounts, generateDatasets, logNormalFit, makeScenario, minDetectableRho, nullDistribution, parseShard,
  powerCurve, powerCurveSvg, runStudy, spearman, spearmanTest, spearmanToPearson, studyCase, studyScenarios, type Scenario,
} from '../../lib/index';
// helpers no longer exported from index.ts but still reached by the plots and the planner
import { niceTicks } from '../../lib/plot';
import { precisionOf, sizesForHalfWidth } from '../../lib/study/plan';
import { parseCsv } from '../../lib/csv';
import { generatorSetup } from '../../lib/generators';
import { threadsInUse } from '../../lib/internal/threads';
import {
  Budget, COLLECT, CallCounter, CallerError, assertContract, collectedProblems, finiteIn, isRho, junk, nonNegInt, numericVector, optionsOf,
  ordered, partialFiles, partnerVector, probability, settle, tempDir,
  naiveSpearman,
} from './harness';

/** An SVG whose attribute values (coordinates, sizes) are all finite; label text may say anything. */
const svgNumbersFinite = (s: unknown): string[] =>
  typeof s === 'string' && !/="[^"]*(NaN|Infinity)[^"]*"/.test(s) ? [] : ['svg has a NaN/Infinity attribute'];

const SCALE = Number(process.env.SPEARSIM_FUZZ_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
const budget = (ms: number): Budget => new Budget(ms * SCALE);
const calls = new CallCounter();

// ------------------------------------------------------------------------------------------------
// arbitraries

const caseIds = STUDY.cases.map((c) => c.id);

/** Positive counts summing to n in k groups. */
function partition(n: number, k: number): fc.Arbitrary<number[]> {
  if (k <= 1 || k > n) return fc.constant([n]);
  return fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { minLength: k - 1, maxLength: k - 1 }).map((cuts) => {
    const c = [0, ...cuts.sort((a, b) => a - b), n];
    return c.slice(1).map((v, i) => v - c[i]!);
  });
}

/** Scenario specifications: valid ones of every kind, near misses (k > n, sums off, zeros), junk. */
const scenarioSpec: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.record({ case: fc.constantFrom(...caseIds), k: fc.constantFrom(...STUDY.kValues), shape: fc.constantFrom(...STUDY.shapes) }), weight: 6 },
  { arbitrary: fc.record({ case: fc.constantFrom(...caseIds), allDistinct: fc.constant(true as const) }), weight: 1 },
  {
    arbitrary: fc.constantFrom(...caseIds).chain((id) =>
      fc.integer({ min: 2, max: 12 }).chain((k) => partition(studyCase(id).n, k).map((counts) => ({ case: id, counts }))),
    ),
    weight: 2,
  },
  {
    arbitrary: fc.integer({ min: 3, max: 150 }).chain((n) =>
      fc.tuple(fc.integer({ min: 2, max: Math.min(n, 12) }).chain((k) => partition(n, k)), fc.double({ min: 0.01, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true }), fc.option(fc.double({ min: -1, max: 1, noNaN: true }))).map(
        ([counts, yMedian, yIqr, observedRho]) => ({ n, counts, yMedian, yIqr, ...(observedRho === null ? {} : { observedRho }) }),
      ),
    ),
    weight: 3,
  },
  {
    // near misses: sums off by one, zero / negative / fractional counts, k > n, one group, case + own fields
    arbitrary: fc.oneof(
      fc.constantFrom(...caseIds).map((id) => ({ case: id, counts: [studyCase(id).n - 1, 2] })),
      fc.constant({ case: 1, counts: [0, studyCase(1).n] }),
      fc.constant({ case: 1, counts: [1.5, studyCase(1).n - 1.5] }),
      fc.constant({ n: 3, counts: [1, 1, 1, 1], yMedian: 1, yIqr: 1 }),
      fc.constant({ n: 5, counts: [5], yMedian: 1, yIqr: 1 }),
      fc.constant({ n: 5, counts: [6, -1], yMedian: 1, yIqr: 1 }),
      fc.constant({ n: 200001, allDistinct: true, yMedian: 1, yIqr: 1 }),
      fc.constant({ n: 2 ** 53, counts: [2 ** 52, 2 ** 52], yMedian: 1, yIqr: 1 }),
      fc.constant({ case: 1, k: 4, shape: 'even', n: 80 }),
      fc.constant({ case: 1, k: 3, shape: 'even' }),
      fc.constant({ case: 5, k: 4, shape: 'even' }),
      fc.constant({ case: 1, k: 4, shape: 'flat' }),
      fc.constant({ case: 1, k: 4, shape: 'even', allDistinct: true }),
      fc.constant({ n: 10, counts: [5, 5], yMedian: 0, yIqr: 1 }),
      fc.constant({ n: 10, counts: [5, 5], yMedian: 1, yIqr: -1, observedRho: 2 }),
      fc.constant({ n: 10, counts: new Array(5), yMedian: 1, yIqr: 1 }),
      fc.constant({ n: 10, allDistinct: 'yes', yMedian: 1, yIqr: 1 }),
    ),
    weight: 2,
  },
  { arbitrary: junk, weight: 1 },
);

const rhoArb = fc.oneof(
  { arbitrary: fc.double({ min: -1, max: 1, noNaN: true }), weight: 6 },
  { arbitrary: fc.constantFrom(0, -0, 1, -1, 0.999, -0.999, 1e-300), weight: 2 },
  { arbitrary: fc.constantFrom(1.0000001, -2, NaN, Infinity), weight: 1 },
  { arbitrary: junk, weight: 1 },
);

/** Small simulation sizes (the junk comes from optionsOf). */
const simOptions = {
  nSims: fc.constantFrom(1, 2, 20, 51),
  nCal: fc.constantFrom(10, 12, 30),
  nPre: fc.constantFrom(100, 101, 300),
  nPerm: fc.constantFrom(0, 1, 20),
  nReps: fc.constantFrom(1, 2, 3),
  nBoot: fc.constantFrom(1, 7, 40),
  generator: fc.constantFrom('nonparametric', 'copula', 'linear', 'empirical'),
  calibrationMode: fc.constantFrom('multipoint', 'single', 'off'),
  usePermutationPvalue: fc.boolean(),
  pvalueMcOnCacheMiss: fc.boolean(),
  vectorize: fc.boolean(),
  threads: fc.constantFrom(1, 2),
  // never above 256 MB: a claimed limit beyond the machine lets huge valid sizes reach the OS (reported)
  memoryLimit: fc.constantFrom('256MB', '1.2MB', '64MB'),
  native: fc.constantFrom<unknown>(true, false),
  alpha: fc.constantFrom(0.05, 0.2, 1e-6),
  targetPower: fc.constantFrom(0.8, 0.5, 0.999),
  seed: fc.nat(1000),
  verbose: fc.constant(0),
  onProgress: fc.oneof({ arbitrary: fc.constant(() => {}), weight: 6 }, { arbitrary: fc.constant(() => { throw new CallerError('progress callback throws'); }), weight: 1 }),
};
type Sim = typeof simOptions;
const pick = <K extends keyof Sim>(...keys: K[]): Record<string, fc.Arbitrary<unknown>> => Object.fromEntries(keys.map((k) => [k, simOptions[k]]));

/** Reads a field of a fuzzed value the way a careful caller would (hostile proxies throw). */
function field(v: unknown, key: string): unknown {
  try {
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Fuzzed simulation calls that are valid but huge are aborted after this long... */
const ABORT_MS = 2000;
/** ...and must then stop within this (the strict 100 ms bound is checked in cancel.test.ts). */
const STOP_SLACK_MS = 1500;

/** Adds an AbortSignal.timeout to an options object (valid huge sizes must stop, not run for hours). */
function withDeadline(o: unknown): unknown {
  if (o === undefined) return { signal: AbortSignal.timeout(ABORT_MS) }; // default sizes: must stop too
  if (o === null || typeof o !== 'object' || Array.isArray(o) || 'signal' in o) return o;
  return Object.assign(Object.create(Object.getPrototypeOf(o) as object | null) as object, o, { signal: AbortSignal.timeout(ABORT_MS) });
}

/** Runs one fuzzed call: counts it, records its outcome, and checks the contract. */
async function check<T>(label: string, fn: () => T | Promise<T>, validate: (v: T) => string[], input: unknown, asyncApi = true): Promise<void> {
  calls.add();
  const out = await settle(fn, ABORT_MS + STOP_SLACK_MS + 5000);
  calls.note(label, out);
  assertContract(out, validate, { asyncApi, input });
  if (out.kind === 'error' && (out.error as { code?: string }).code === 'ERR_ABORTED' && out.ms > ABORT_MS + STOP_SLACK_MS) {
    throw new Error(`${label}: took ${out.ms.toFixed(0)} ms to stop after the ${ABORT_MS} ms deadline`);
  }
  if (threadsInUse() !== 0) throw new Error(`${label}: ${threadsInUse()} threads still held after the call`);
}

function scenarioProblems(s: Scenario): string[] {
  const p: string[] = [];
  if (!Number.isInteger(s.n) || s.n < 3) p.push(`n = ${s.n}`);
  if (s.counts.reduce((a, b) => a + b, 0) !== s.n) p.push('counts do not sum to n');
  if (s.counts.some((c) => !Number.isInteger(c) || c < 1)) p.push('non-positive count');
  if (s.counts.length < 2) p.push('fewer than 2 groups');
  if (s.k !== s.counts.length) p.push(`k ${s.k} != ${s.counts.length} groups`);
  // an own study may list n ones as custom counts; the all-distinct baseline must be all ones
  if (s.allDistinct && !s.counts.every((c) => c === 1)) p.push('allDistinct with tied counts');
  p.push(...finiteIn('yMedian', s.yMedian, 0), ...finiteIn('yIqr', s.yIqr, 0));
  if (s.observedRho !== null) p.push(...isRho('observedRho', s.observedRho));
  if (typeof s.description !== 'string' || s.description === '') p.push('no description');
  return p;
}

// ------------------------------------------------------------------------------------------------

describe('scenarios and study data (sync)', () => {
  it('makeScenario / studyScenarios / frequencyCounts / studyCase', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioSpec, fc.constantFrom('make', 'grid', 'freq', 'case'), junk, async (spec, which, j) => {
        if (which === 'make') await check('makeScenario', () => makeScenario(spec as never), scenarioProblems, spec, false);
        else if (which === 'grid') {
          const filter = fc.sample(optionsOf({ cases: fc.subarray(caseIds), kValues: fc.subarray([...STUDY.kValues]), shapes: fc.subarray([...STUDY.shapes]) }), 1)[0];
          await check('studyScenarios', () => studyScenarios(filter as never), (list) => list.flatMap(scenarioProblems), filter, false);
        } else if (which === 'freq') {
          const id = field(spec, 'case');
          const n = typeof id === 'number' && caseIds.includes(id) ? studyCase(id).n : j;
          const k = field(spec, 'k') ?? j;
          const shape = field(spec, 'shape') ?? j;
          await check('frequencyCounts', () => frequencyCounts(n as number, k as number, shape as never), (c) => (c.reduce((a, b) => a + b, 0) === n ? [] : ['counts do not sum to n']), [n, k, shape], false);
        } else await check('studyCase', () => studyCase((field(spec, 'case') ?? j) as number), (c) => finiteIn('n', c.n, 3), spec, false);
      }),
      { numRuns: runs(1500) },
    );
    expect(calls.ok('makeScenario')).toBeGreaterThan(runs(1500) * 0.1);
  });
});

describe('asymptotics (closed form)', () => {
  it('asymptoticPower / asymptoticMinDetectableRho / fisherCI / asymptotic / asymptoticGrid', async () => {
    const nArb = fc.oneof(fc.integer({ min: 3, max: 500 }), fc.constantFrom(3, 4, 200000, 2, 1e9, 2.5, -5, NaN), junk);
    const formula = optionsOf({ alpha: fc.constantFrom(0.05, 1e-12, 0.999999), mode: fc.constantFrom('none', 'fhp'), targetPower: fc.constantFrom(0.8, 1e-9, 0.999999), counts: fc.constant(undefined) });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('power', 'mdr', 'fisher', 'scenario', 'grid'), nArb, rhoArb, formula, scenarioSpec, async (which, n, rho, options, spec) => {
        const o = options as Record<string, unknown> | undefined;
        const counts = typeof n === 'number' && Number.isInteger(n) && n >= 4 && n <= 500 ? fc.sample(partition(n, Math.min(n, 5)), 1)[0] : undefined;
        const opts = o && typeof o === 'object' && counts ? { ...o, counts } : o;
        if (which === 'power') await check('asymptoticPower', () => asymptoticPower(n as number, rho as number, opts as never), (v) => probability('power', v), [n, rho, opts], false);
        else if (which === 'mdr') {
          const dir = rho === -0 || (typeof rho === 'number' && rho < 0) ? 'negative' : typeof rho === 'number' ? 'positive' : rho;
          await check('asymptoticMinDetectableRho', () => asymptoticMinDetectableRho(n as number, dir as never, opts as never), (v) => finiteIn('mdr', v, -0.6, 0.6), [n, dir, opts], false);
        } else if (which === 'fisher') {
          await check('fisherCI', () => fisherCI(n as number, rho as number, opts as never), (ci) => [...isRho('lo', ci[0]), ...isRho('hi', ci[1]), ...ordered('CI', ci[0], ci[1])], [n, rho, opts], false);
        } else if (which === 'scenario') {
          const ao = fc.sample(optionsOf({ alpha: fc.constantFrom(0.05, 0.2), targetPower: fc.constant(0.8), tieCorrection: fc.constantFrom('none', 'fhp', 'both'), directionMode: fc.constantFrom('needed', 'both'), direction: fc.constantFrom('positive', 'negative'), observedRho: rhoArb, rhos: fc.array(rhoArb, { maxLength: 3 }), verbose: fc.constant(0) }), 1)[0];
          await check('asymptotic', () => asymptotic(spec as never, ao as never), (r) => r.results.flatMap((x) => [
            ...Object.values(x.minDetectableRho).flatMap((v) => finiteIn('mdr', v, -0.6, 0.6)),
            ...Object.values(x.power).flatMap((m) => Object.values(m).flatMap((v) => probability('power', v))),
            ...(x.ci ? Object.values(x.ci).flatMap((c) => ordered('ci', c[0], c[1])) : []),
          ]), [spec, ao], false);
        } else {
          const go = fc.sample(optionsOf({ cases: fc.subarray(caseIds, { minLength: 1, maxLength: 1 }), kValues: fc.constantFrom([4], [10]), shapes: fc.constantFrom(['even']), tieCorrection: fc.constantFrom('none', 'both'), verbose: fc.constant(0) }), 1)[0];
          await check('asymptoticGrid', () => asymptoticGrid(go as never), (r) => r.rows.flatMap((x) => Object.values(x.minDetectableRho).flatMap((v) => finiteIn('mdr', v, -0.6, 0.6))), go, false);
        }
      }),
      { numRuns: runs(1500) },
    );
    expect(calls.ok('asymptoticPower')).toBeGreaterThan(0);
  });
});

describe('real data', () => {
  const naive = naiveSpearman;
  const testOptions = optionsOf({
    ...pick('nPerm', 'nPre', 'seed', 'native', 'threads', 'verbose', 'onProgress'),
    alternative: fc.constantFrom('two-sided', 'greater', 'less'),
    method: fc.constantFrom('permutation', 't', 'asymptotic'),
    reuseNull: fc.boolean(),
  });

  it('spearman / spearmanTest', async () => {
    const b = budget(1500);
    await fc.assert(
      fc.asyncProperty(numericVector.chain((x) => fc.tuple(fc.constant(x), partnerVector(x))), testOptions, fc.boolean(), async ([x, y], options, sync) => {
        if (!b.take()) return;
        if (sync) await check('spearman', () => spearman(x as number[], y as number[]), (r) => [...isRho('rho', r), ...(Math.abs(r - naive(x as number[], y as number[])) <= 1e-12 ? [] : ['differs from textbook'])], [x, y], false);
        else {
          await check('spearmanTest', () => spearmanTest(x as number[], y as number[], withDeadline(options) as never), (r) => [
            ...isRho('rho', r.rho), ...probability('pValue', r.pValue), ...finiteIn('statistic', r.statistic),
            ...(Math.abs(r.rho - naive(x as number[], y as number[])) <= 1e-12 ? [] : ['rho differs from textbook']),
          ], [x, y, options]);
        }
      }),
      { numRuns: runs(1500) },
    );
    expect(calls.ok('spearmanTest')).toBeGreaterThan(0);
  });
});

describe('simulation APIs (small sizes, time-budgeted)', () => {
  it('nullDistribution', async () => {
    const b = budget(1000);
    const structure = fc.oneof(
      scenarioSpec.map((s) => {
        try {
          return makeScenario(s as never);
        } catch {
          return s;
        }
      }),
      fc.record({ n: fc.oneof(fc.integer({ min: 0, max: 60 }), junk), counts: fc.oneof(fc.array(fc.integer({ min: -1, max: 20 }), { maxLength: 6 }), junk), allDistinct: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(structure, optionsOf(pick('nPre', 'native', 'threads', 'memoryLimit', 'verbose', 'onProgress')), async (s, options) => {
        if (!b.take()) return;
        await check('nullDistribution', () => nullDistribution(s as never, withDeadline(options) as never), (r) => {
          const p = nonNegInt('length', r.sortedAbs.length - r.nPre, 0);
          for (let i = 0; i < r.sortedAbs.length; i++) {
            const v = r.sortedAbs[i]!;
            if (!(v >= 0 && v <= 1) || (i > 0 && v < r.sortedAbs[i - 1]!)) {
              p.push(`sortedAbs[${i}] = ${v} not ascending in [0, 1]`);
              break;
            }
          }
          return p;
        }, [s, options]);
      }),
      { numRuns: runs(600) },
    );
  });

  it('calibrate / expectedSpearman', async () => {
    const b = budget(1200);
    const options = optionsOf(pick('generator', 'calibrationMode', 'nCal', 'vectorize', 'native', 'threads', 'memoryLimit', 'verbose', 'onProgress'));
    await fc.assert(
      fc.asyncProperty(scenarioSpec, rhoArb, fc.array(rhoArb, { maxLength: 4 }), options, fc.boolean(), async (spec, target, inputs, o, which) => {
        if (!b.take()) return;
        if (which) await check('calibrate', () => calibrate(spec as never, target as number, withDeadline(o) as never), (r) => (Number.isNaN(r.rhoIn) ? [] : isRho('rhoIn', r.rhoIn)), [spec, target, o]);
        else await check('expectedSpearman', () => expectedSpearman(spec as never, inputs as number[], withDeadline(o) as never), (r) => (r.length === inputs.length ? r.flatMap((v, i) => isRho(`curve[${i}]`, v)) : ['wrong length']), [spec, inputs, o]);
      }),
      { numRuns: runs(600) },
    );
  });

  it('ciBootstrap', async () => {
    const b = budget(1200);
    const options = optionsOf({ ...pick('generator', 'calibrationMode', 'nCal', 'nReps', 'nBoot', 'vectorize', 'native', 'threads', 'memoryLimit', 'alpha', 'seed', 'verbose', 'onProgress'), rho: rhoArb, batchBootstrap: fc.boolean(), chunkResamples: fc.constantFrom(0, 1, 256) });
    await fc.assert(
      fc.asyncProperty(scenarioSpec, options, async (spec, o) => {
        if (!b.take()) return;
        await check('ciBootstrap', () => ciBootstrap(spec as never, withDeadline(o) as never), (r) => {
          const p = [...nonNegInt('repsWithoutInterval', r.repsWithoutInterval, r.nReps), ...nonNegInt('dropped', r.dropped, r.nReps * r.nBoot)];
          if (r.repsWithoutInterval < r.nReps) p.push(...isRho('ciLower', r.ciLower), ...isRho('ciUpper', r.ciUpper), ...ordered('CI', r.ciLower, r.ciUpper), ...finiteIn('ciLowerSd', r.ciLowerSd, 0));
          else if (!Number.isNaN(r.ciLower)) p.push('no rep has an interval but ciLower is a number');
          return p;
        }, [spec, o]);
      }),
      { numRuns: runs(600) },
    );
  });

  it('estimatePower / powerCurve / minDetectableRho', async () => {
    const b = budget(2000);
    const options = optionsOf({ ...pick('generator', 'nSims', 'nPre', 'nPerm', 'nCal', 'calibrationMode', 'usePermutationPvalue', 'pvalueMcOnCacheMiss', 'vectorize', 'native', 'threads', 'memoryLimit', 'alpha', 'targetPower', 'seed', 'verbose', 'onProgress'), direction: fc.constantFrom('positive', 'negative') });
    await fc.assert(
      fc.asyncProperty(scenarioSpec, options, rhoArb, fc.array(rhoArb, { maxLength: 3 }), fc.constantFrom('estimate', 'curve', 'mdr'), async (spec, o, rho, rhos, which) => {
        if (!b.take()) return;
        const oo = o && typeof o === 'object' ? o : {};
        if (which === 'estimate') {
          await check('estimatePower', () => estimatePower(spec as never, withDeadline({ ...oo, rho }) as never), (r) => [...probability('power', r.power), ...finiteIn('se', r.se, 0, 0.5), ...isRho('realisedMeanRho', r.realisedMeanRho)], [spec, o, rho]);
        } else if (which === 'curve') {
          await check('powerCurve', () => powerCurve(spec as never, rhos as number[], withDeadline(o) as never), (r) => r.rows.flatMap((x) => probability('power', x.power)), [spec, rhos, o]);
        } else {
          await check('minDetectableRho', () => minDetectableRho(spec as never, withDeadline(o) as never), (r) => finiteIn('mdr', Math.abs(r.minDetectableRho), 0.25, 0.42), [spec, o]);
        }
      }),
      { numRuns: runs(600) },
    );
  });

  it('runStudy: typed error or a result, and never a partial file', async () => {
    const b = budget(1500);
    const dir = tempDir('study-fuzz');
    const options = optionsOf({
      ...pick('nSims', 'nReps', 'nBoot', 'nCal', 'nPre', 'threads', 'native', 'memoryLimit', 'seed', 'verbose'),
      cases: fc.constantFrom([1], [2], '3', [9]),
      kValues: fc.constantFrom([4], [10], '4,5'),
      shapes: fc.constantFrom(['even'], 'heavy_tail'),
      generators: fc.constantFrom(['nonparametric'], 'linear', ['copula']),
      stages: fc.constantFrom(['asymptotic'], ['power'], ['ci'], 'asymptotic,ci'),
      baselines: fc.boolean(),
      customCounts: fc.constantFrom([], [[40, 40]], '20,60', [[1, 1]]),
      shard: fc.constantFrom(undefined, '1/2', '2/2', '3/2', '0/1'),
      resume: fc.boolean(),
    });
    try {
      await fc.assert(
        fc.asyncProperty(options, fc.nat(), async (o, i) => {
          // undefined options = the full default study (hours): not a fuzz case; non-objects are
          // covered by the child-process regression below (they used to start the full study)
          if (o === null || typeof o !== 'object' || Array.isArray(o) || !b.take()) return;
          const outputDir = path.join(dir, `run-${i % 5}`);
          const merged = o && typeof o === 'object' && !Array.isArray(o) ? { nSims: 20, nReps: 2, nBoot: 20, nCal: 10, nPre: 100, cases: [1], kValues: [4], shapes: ['even'], generators: ['nonparametric'], verbose: 0, ...o, outputDir } : o;
          await check('runStudy', () => runStudy(withDeadline(merged) as never), (r) => (r && typeof r === 'object' ? [] : ['not an object']), merged);
          const partial = partialFiles(dir, []);
          if (partial.length > 0) throw new Error(`partial files after runStudy: ${partial.join(', ')}`);
        }),
        { numRuns: runs(200) },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generators, plots, planning, CSV (sync)', () => {
  it('generateDatasets / logNormalFit / spearmanToPearson', async () => {
    const request = optionsOf({ rho: rhoArb, values: fc.boolean(), baseKey: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), count: fc.integer({ min: 0, max: 5 }), repOffset: fc.nat() });
    await fc.assert(
      fc.asyncProperty(scenarioSpec, fc.constantFrom('nonparametric', 'copula', 'linear', 'empirical'), fc.boolean(), request, optionsOf(pick('native', 'verbose')), junk, fc.boolean(), async (spec, kind, vectorize, req, o, j, asUser) => {
        // as a user would call it (a scenario where a setup is expected), or with a real setup
        let setup: unknown = spec;
        if (!asUser) {
          try {
            setup = generatorSetup(makeScenario(spec as never), kind as never, { vectorize });
          } catch {
            setup = spec;
          }
        }
        await check('generateDatasets', () => generateDatasets(setup as never, req as never, o as never), (r) => {
          for (const v of r.x) if (!Number.isFinite(v)) return ['non-finite x'];
          for (const v of r.y) if (!Number.isFinite(v)) return ['non-finite y'];
          return [];
        }, [asUser, spec, kind, req, o], false);
        const rho = (req as { rho?: unknown } | undefined)?.rho;
        await check('logNormalFit', () => logNormalFit(rho as number, j as number), (r) => [...finiteIn('mu', r.mu), ...finiteIn('sigma', r.sigma, 0)], [rho, j], false);
        await check('spearmanToPearson', () => spearmanToPearson(rho as number), (r) => isRho('r', r), rho, false);
      }),
      { numRuns: runs(500) },
    );
  });

  it('niceTicks / powerCurveSvg / ciForestSvg / precisionOf / sizesForHalfWidth / parseShard', async () => {
    const num = fc.oneof(fc.double(), fc.integer({ min: -5, max: 100 }), junk);
    await fc.assert(
      fc.asyncProperty(num, num, num, fc.boolean(), fc.array(fc.record({ group: fc.oneof(fc.string(), junk), label: fc.oneof(fc.string(), junk), method: fc.string(), lower: num, upper: num, center: num, lo: num, hi: num, mid: num }), { maxLength: 4 }), fc.oneof(fc.string(), junk), async (a, b2, c, outer, rows, text) => {
        await check('niceTicks', () => niceTicks(a as number, b2 as number, c as number, outer), (t) => (t.length <= 1000 && t.every(Number.isFinite) ? [] : [`ticks ${t.length}`]), [a, b2, c], false);
        await check('powerCurveSvg', () => powerCurveSvg({ points: rows.map((r) => ({ rho: r.lo, power: r.hi, se: r.mid })), targetPower: a, minDetectableRho: b2, title: text } as never), svgNumbersFinite, [rows, a, b2], false);
        await check('ciForestSvg', () => ciForestSvg(rows as never, { title: text as string }), svgNumbersFinite, rows, false);
        await check('precisionOf', () => precisionOf({ nSims: a, nCal: b2, nReps: c, nBoot: a, nPre: b2 } as never), (p) => Object.values(p).flatMap((v) => finiteIn('precision', v, 0)), [a, b2, c], false);
        await check('sizesForHalfWidth', () => sizesForHalfWidth(a as number), (s) => Object.values(s).flatMap((v) => nonNegInt('size', v)), a, false);
        await check('parseShard', () => parseShard(text as string), (s) => (s === null || (Number.isInteger(s.index) && s.index >= 1 && s.index <= s.count) ? [] : [`shard ${JSON.stringify(s)}`]), text, false);
      }),
      { numRuns: runs(400) },
    );
  });

  it('parseCsv', async () => {
    const cell = fc.oneof(fc.integer().map(String), fc.double().map(String), fc.constantFrom('', 'NA', '"1,2"', '"', '""', 'x', ' 3 ', '\r'), fc.string({ maxLength: 5 }));
    const text = fc.oneof(
      fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 8 }).map((rows) => rows.map((r) => r.join(',')).join('\n')),
      fc.string({ maxLength: 200 }),
      fc.constantFrom('', '\n\n', '\uFEFFa,b\n1,2', 'a\tb\n1\t2', '"unterminated', 'a,b\r\n1,2\r\n'),
      junk,
    );
    await fc.assert(
      fc.asyncProperty(text, optionsOf({ delimiter: fc.constantFrom(',', '\t', ';'), source: fc.string() }), async (t, o) => {
        await check('parseCsv', () => parseCsv(t as string, o as never), (r) => (r && typeof r === 'object' ? [] : ['not a table']), [t, o], false);
      }),
      { numRuns: runs(800) },
    );
  });
});

// Anything an API writes relative to the working directory (e.g. runStudy's default ./results)
// lands in a temp dir, never in the repository.
const cwd = process.cwd();
const workDir = tempDir('science-cwd');
beforeAll(() => process.chdir(workDir));

afterAll(() => {
  process.chdir(cwd);
  fs.rmSync(workDir, { recursive: true, force: true });
  // eslint-disable-next-line no-console
  console.log(`fuzz-science: ${calls.count} generated calls\n${calls.summary()}`);
  if (COLLECT) console.log(JSON.stringify(collectedProblems(), null, 2)); // eslint-disable-line no-console
});
