/**
 * y generators, the domain side: the log-normal fit of y, empirical pools, the setup of a
 * scenario's generator and `generateDatasets`. The generators themselves are registered in
 * lib/kernels/generators/registry.ts (one file each, twins of native/generators/); both engines
 * produce the same datasets bit for bit. docs/methods.md, "Generators".
 *
 * Dataset r of a task is drawn from `Rng(repStreamKey(baseKey, r, STREAM_DATA))` alone, so data
 * never depend on n_boot, thread count, engine or call pattern. Per dataset: x = Fisher-Yates
 * shuffle of the template, then the generator's draws.
 * @module
 */
import type { Config, GeneratorName } from './config';
import { SpearsimError, describeValue, rangeError, typeError } from './errors';
import type { NativeGeneratorSpec } from './internal/addon-generators';
import { warn } from './internal/log';
import { callSync, addonFor } from './internal/native';
import { type GeneratorSpec, type ResolvedPool, Generator, MIN_SIGMA, mixAt, newDatasetParts, rankOnlyError } from './kernels/generators';
import { generatorEntry, generatorTable } from './kernels/generators/table';
import { logNormalFit } from './lognormal';
import { log } from './mathfn';
import { Rng } from './rng';
import { type Scenario, type TieStructure, xTemplate } from './scenario';
import { STREAM_DATA, repStreamKey } from './streams';
import { correlation } from './internal/validate';

export {
  type DatasetParts, type Mix, type ResolvedPool, Generator, MIN_SIGMA, RHO_CLIP, ZERO_RHO, clipGeneratorInput, kernelSin, mixAt, newDatasetParts,
  spearmanToPearson,
} from './kernels/generators';

/** Native generator codes (each entry's code in the generator registry). */
export const GENERATOR_CODES: Readonly<Record<GeneratorName, number>> = Object.fromEntries(generatorTable().map((e) => [e.name, e.code])) as Record<GeneratorName, number>;

export { logNormalFit };

/** User-supplied empirical pool specification (docs/methods.md, "Generators"); the sizes must add up to n. */
export interface EmpiricalPoolSpec {
  /** Values present once in every dataset. */
  fixed?: readonly number[];
  /** Values drawn with replacement from `fillSource` (default `fixed`). */
  fillCount?: number;
  /** Values the `fillCount` draws come from (default `fixed`). */
  fillSource?: readonly number[];
  /** Always present (known outliers). */
  extraFixed?: readonly number[];
  /** Values exp(U(ln lo, ln hi)). */
  logUniformCount?: number;
  /** Range [lo, hi] of the log-uniform values, 0 < lo <= hi. */
  logUniformRange?: readonly [number, number];
}

function finiteList(option: string, value: unknown): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw typeError(option, value, 'a list of finite numbers');
  return value.map((v: unknown, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw rangeError(`${option}[${i}]`, v, 'a finite number');
    return v === 0 ? 0 : v; // no -0: sorting must not depend on the sign of zero
  });
}

function count(option: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw rangeError(option, value, 'an integer >= 0');
  return value;
}

/** Validates an empirical pool specification for datasets of size n. */
export function resolvePool(spec: EmpiricalPoolSpec, n: number): ResolvedPool {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw typeError('pool', spec, 'an object');
  const fixed = finiteList('pool.fixed', spec.fixed);
  const extraFixed = finiteList('pool.extraFixed', spec.extraFixed);
  const fillCount = count('pool.fillCount', spec.fillCount);
  const fillSource = spec.fillSource === undefined ? fixed : finiteList('pool.fillSource', spec.fillSource);
  const logUniformCount = count('pool.logUniformCount', spec.logUniformCount);
  if (fillCount > 0 && fillSource.length === 0) throw rangeError('pool.fillSource', spec.fillSource, 'a non-empty list when fillCount > 0');
  let logLo = 0;
  let logSpan = 0;
  if (logUniformCount > 0) {
    const range = spec.logUniformRange;
    if (!Array.isArray(range) || range.length !== 2 || !(range[0] > 0) || !(range[1] >= range[0]) || !Number.isFinite(range[1])) {
      throw rangeError('pool.logUniformRange', range, 'finite [lo, hi] with 0 < lo <= hi');
    }
    logLo = log(range[0]);
    logSpan = log(range[1]) - logLo;
  }
  const total = fixed.length + fillCount + extraFixed.length + logUniformCount;
  if (total !== n) {
    throw new SpearsimError(
      'ERR_OUT_OF_RANGE',
      `pool must specify exactly n=${n} values (|fixed| + fillCount + |extraFixed| + logUniformCount); it specifies ${total}`,
      { option: 'pool', value: total, expected: `${n} values` },
    );
  }
  const possible = new Set([...fixed, ...extraFixed, ...(fillCount > 0 ? fillSource : [])]);
  if (possible.size < 2 && !(logUniformCount > 0 && logSpan > 0)) {
    throw rangeError('pool', describeValue([...possible]), 'a specification that can produce at least two distinct y values');
  }
  return {
    fixed: Float64Array.from([...fixed, ...extraFixed]),
    fillSource: Float64Array.from(fillSource),
    fillCount,
    logUniformCount,
    logLo,
    logSpan,
  };
}

/** Everything that defines a generator except its input rho. */
export interface GeneratorSetup extends GeneratorSpec {
  /** Which generator. */
  readonly kind: GeneratorName;
  /** The tie structure the template comes from (stream and cache identities). */
  readonly structure: TieStructure;
}

/** Whether the generator mixes a noise permutation (and so has a row-moments variant). */
export function usesNoisePermutation(kind: GeneratorName): boolean {
  return generatorEntry(kind).rowMomentsVariant;
}

/**
 * The generator of a scenario. `vectorize` (Config) selects the batch form (population noise
 * constants, rank-only y) or the per-dataset form (row moments, values); `empirical` always uses values.
 */
export function generatorSetup(
  scenario: Scenario,
  kind: GeneratorName,
  options: { vectorize: boolean; pool?: EmpiricalPoolSpec },
): GeneratorSetup {
  const entry = generatorEntry(kind);
  if (entry.needsPool && options.pool === undefined) {
    throw new SpearsimError('ERR_UNSUPPORTED', `the ${kind} generator needs a pool specification (option pool)`, { option: 'pool' });
  }
  const { mu, sigma } = logNormalFit(scenario.yMedian, scenario.yIqr);
  return {
    kind,
    structure: { n: scenario.n, counts: scenario.counts, allDistinct: scenario.allDistinct },
    xTemplate: xTemplate(scenario),
    rowMoments: !options.vectorize && usesNoisePermutation(kind),
    mu,
    sigma,
    pool: entry.needsPool ? resolvePool(options.pool as EmpiricalPoolSpec, scenario.n) : null,
  };
}

/**
 * The generator a call runs: one that needs a pool falls back to nonparametric, with a warning,
 * when the call gives none. The one place that decides it.
 */
export function generatorFor(kind: GeneratorName, pool: EmpiricalPoolSpec | undefined, verbose: number): GeneratorName {
  if (!generatorEntry(kind).needsPool || pool !== undefined) return kind;
  warn(verbose, `the ${kind} generator needs a pool specification (option pool); using nonparametric`, 'SPEARSIM_NO_POOL');
  return 'nonparametric';
}

/** Whether a generator outputs y values: always when it needs them (pool ties), else when not vectorised. */
export function valuesFor(kind: GeneratorName, vectorize: boolean): boolean {
  return generatorEntry(kind).needsValues || !vectorize;
}

/** The generator as the addon reads it. */
export function nativeGeneratorSpec(setup: GeneratorSetup): NativeGeneratorSpec {
  const spec: NativeGeneratorSpec = {
    kind: generatorEntry(setup.kind).code,
    xTemplate: setup.xTemplate,
    rowMoments: setup.rowMoments,
    mu: setup.mu,
    sigma: setup.sigma,
  };
  if (setup.pool) spec.pool = setup.pool;
  return spec;
}

/** Datasets of a generator at one input rho. */
export interface GeneratedDatasets {
  /** count x n, dataset r at [r*n, r*n + n). */
  x: Float64Array;
  /** count x n y values (y midranks when `values` is false), same layout as x. */
  y: Float64Array;
  /** Which engine generated them. */
  engine: 'native' | 'typescript';
}

/** Most values (datasets x n) one generateDatasets call returns in memory. */
export const MAX_GENERATED_VALUES = 2 ** 27;

/** The shape of a GeneratorSetup (generateDatasets is public: a hand-made or junk setup is an error, not a TypeError). */
function checkSetupShape(setup: GeneratorSetup): void {
  const s = setup as unknown as Record<string, unknown> | null;
  const ok =
    s !== null && typeof s === 'object' && typeof s.kind === 'string' && s.kind in GENERATOR_CODES && s.structure !== null && typeof s.structure === 'object' &&
    s.xTemplate instanceof Float64Array && typeof s.rowMoments === 'boolean' && typeof s.mu === 'number' && typeof s.sigma === 'number' &&
    (!generatorEntry(s.kind).needsPool || (s.pool !== null && typeof s.pool === 'object'));
  if (!ok) throw typeError('setup', setup, 'a generator setup from generatorSetup(scenario, generator, options)');
}

/**
 * Datasets repOffset .. repOffset + count - 1 of a generator at input `rho` (uncalibrated), each
 * from its own data stream under `baseKey`: the same bits on either engine.
 */
export function generateDatasets(
  setup: GeneratorSetup,
  request: { rho: number; values: boolean; baseKey: bigint; count: number; repOffset?: number },
  config: Pick<Config, 'native' | 'verbose'>,
): GeneratedDatasets {
  checkSetupShape(setup);
  if (request === null || typeof request !== 'object') throw typeError('request', request, 'an object { rho, values, baseKey, count, repOffset? }');
  if (config === null || typeof config !== 'object') throw typeError('config', config, 'an object { native, verbose }');
  const { rho, values, baseKey, count: datasets } = request;
  const repOffset = request.repOffset ?? 0;
  correlation('rho', rho);
  if (typeof datasets !== 'number' || !Number.isInteger(datasets) || datasets < 1) throw rangeError('count', datasets, 'an integer >= 1');
  // x and y of every dataset are returned at once (two typed arrays of count * n doubles)
  const maxDatasets = Math.floor(MAX_GENERATED_VALUES / setup.xTemplate.length);
  if (datasets > maxDatasets) throw rangeError('count', datasets, `an integer in [1, ${maxDatasets}] (count * n <= ${MAX_GENERATED_VALUES})`);
  if (typeof values !== 'boolean') throw typeError('values', values, 'a boolean');
  if (typeof baseKey !== 'bigint' || baseKey < 0n || baseKey >= 2n ** 64n) throw rangeError('baseKey', baseKey, 'a BigInt in [0, 2^64)');
  if (typeof repOffset !== 'number' || !Number.isSafeInteger(repOffset) || repOffset < 0) throw rangeError('repOffset', repOffset, 'an integer >= 0');
  if (!values && generatorEntry(setup.kind).needsValues) throw rankOnlyError(generatorEntry(setup.kind));
  const mix = mixAt(setup.kind, rho);
  const addon = addonFor(config);
  if (addon) {
    const out = callSync(() =>
      addon.generateDatasets({ generator: nativeGeneratorSpec(setup), mixA: mix.a, mixB: mix.b, values, baseKey, repOffset, count: datasets }),
    );
    return { ...out, engine: 'native' };
  }
  const gen = new Generator(setup);
  const n = gen.n;
  const x = new Float64Array(datasets * n);
  const y = new Float64Array(datasets * n);
  const parts = newDatasetParts(n);
  for (let r = 0; r < datasets; r++) {
    const rng = new Rng(repStreamKey(baseKey, repOffset + r, STREAM_DATA));
    gen.generate(rng, mix, values, parts, x.subarray(r * n, r * n + n), y.subarray(r * n, r * n + n));
  }
  return { x, y, engine: 'typescript' };
}
