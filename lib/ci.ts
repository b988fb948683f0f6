/**
 * The expected bootstrap CI of a scenario (docs/methods.md, "Bootstrap confidence intervals"): the percentile bootstrap CI of Spearman's
 * rho averaged over nReps datasets simulated at a target rho (by default the case's observed
 * rho), with the generator input calibrated once.
 *
 * Streams (docs/methods.md, "Departures from the reference"): the scenario's identity key is derived from the seed and
 * {task 'ci', n, counts, allDistinct, generator}; rep r's dataset comes from its data stream and
 * its resamples from its bootstrap stream, so results are bit-identical for any thread count,
 * chunk size, engine, and for the batch and per-rep paths, and the datasets do not depend on nBoot.
 * @module
 */
import { type CallControls, type CalibrationMode, type Config, type GeneratorName, checkControls, resolveConfig } from './config';
import { rangeError } from './errors';
import { type CalibrationCurve, calibratedInput, calibrationSe } from './calibration';
import {
  type EmpiricalPoolSpec, type GeneratorSetup, type Mix, Generator, generatorFor, generatorSetup, mixAt, nativeGeneratorSpec, newDatasetParts,
  valuesFor,
} from './generators';
import { type BootstrapSource, runBootstrap, summariseReps } from './internal/bootstrap-engine';
import { oneOf } from './internal/options';
import { repIntervals } from './interval-methods/per-rep';
import { INTERVAL_METHODS, type IntervalMethod, intervalMethodOf } from './interval-methods/registry';
import { type Provenance, provenance } from './provenance';
import { Rng } from './rng';
import { type Scenario, type ScenarioSpec, resolveScenario, structureIdentity } from './scenario';
import { STREAM_DATA, identityKey, repStreamKey } from './streams';
import { correlation } from './internal/validate';

/** Options of {@link expectedCI}: any configuration key, the target and the empirical pool. */
export type CiOptions = Partial<Config> &
  CallControls & {
    /** Target Spearman rho (default: the scenario's observed rho). */
    rho?: number;
    /** Pool specification of the empirical generator (docs/methods.md, "Generators"). */
    pool?: EmpiricalPoolSpec;
    /** Interval method of each dataset (INTERVAL_METHODS; default `percentile`, the engines' own path). */
    intervalMethod?: IntervalMethod;
  };

/** Wall-clock seconds per stage. */
export interface CiTimings {
  /** Calibration (building or reading the calibration curve). */
  calibration: number;
  /** Data generation and bootstrap (one native job). */
  bootstrap: number;
}

/** The expected CI of a scenario (JSON-ready). */
export interface CiResult {
  /** Mean over reps of the lower / upper percentile endpoints. */
  ciLower: number;
  /** Mean over reps of the upper percentile endpoint. */
  ciUpper: number;
  /** Sample SD over reps of the endpoints (0 when nReps = 1). */
  ciLowerSd: number;
  /** Sample SD over reps of the upper endpoint (0 when nReps = 1). */
  ciUpperSd: number;
  /** Sample SD over reps of the width (upper - lower; 0 when nReps = 1). */
  ciWidthSd: number;
  /** Mean of each dataset's own Spearman rho. */
  meanRhoHat: number;
  /**
   * Monte Carlo SE of ciLower: over reps (SD / sqrt(reps)) and from the calibration,
   * sqrt(SD^2 / reps + calibrationSe^2) (docs/methods.md, "Precision and run time").
   */
  ciLowerSe: number;
  /** Monte Carlo SE of ciUpper, as ciLowerSe. */
  ciUpperSe: number;
  /** Monte Carlo SE of meanRhoHat (SD over reps / sqrt(reps)). */
  meanRhoHatSe: number;
  /** SE of the realised rho at the calibrated input (0 when calibration is off); part of the endpoint SEs. */
  calibrationSe: number;
  /** Simulated datasets (reps) whose bootstrap CIs are averaged. */
  nReps: number;
  /** Bootstrap resamples per dataset. */
  nBoot: number;
  /** Two-sided level: the interval covers 1 - alpha. */
  alpha: number;
  /** Interval method of each dataset. */
  intervalMethod: IntervalMethod;
  /** Reps where the method was undefined and the percentile interval stood in (BCa). */
  intervalFallbacks: number;
  /** Target rho and the calibrated generator input used. */
  rho: number;
  /** Calibrated generator input used to simulate the target rho. */
  rhoIn: number;
  /** Generator actually used (empirical without a pool falls back to nonparametric). */
  generator: GeneratorName;
  /** Calibration mode used. */
  calibrationMode: CalibrationMode;
  /** Calibration datasets per curve. */
  nCal: number;
  /** Degenerate resamples dropped over all reps (docs/methods.md, "Bootstrap confidence intervals"). */
  dropped: number;
  /** Reps without any valid resample (excluded from the endpoint means). */
  repsWithoutInterval: number;
  /** Resamples per boot-index buffer fill chosen from memoryLimit (results never depend on it). */
  chunkResamples: number;
  /** The scenario's description, e.g. "Case 3 (B-Al, outliers excluded), N=73, k=4, even". */
  scenario: string;
  /** The calibration used (null when off or the target is 0). */
  calibration: CalibrationCurve | null;
  /** Wall-clock seconds per stage. */
  timings: CiTimings;
  /** Seed, configuration, version and engine behind the result. */
  provenance: Provenance;
}

/**
 * Datasets generated from rep r's data stream under `baseKey`, for the bootstrap engine: native
 * jobs generate them inside the kernel (memory O(threads x n)), the fallback with the TypeScript
 * mirror of the same generator.
 */
export function generatedSource(setup: GeneratorSetup, mix: Mix, values: boolean, baseKey: bigint): BootstrapSource {
  let fallback: { gen: Generator; parts: ReturnType<typeof newDatasetParts> } | undefined;
  const pool = setup.pool;
  return {
    n: setup.structure.n,
    inputBytes: setup.xTemplate.byteLength + (pool ? pool.fixed.byteLength + pool.fillSource.byteLength : 0),
    fill(streamRep, x, y) {
      fallback ??= { gen: new Generator(setup), parts: newDatasetParts(setup.structure.n) };
      fallback.gen.generate(new Rng(repStreamKey(baseKey, streamRep, STREAM_DATA)), mix, values, fallback.parts, x, y);
    },
    startNative(addon, spec, token, onProgress) {
      return addon.bootstrapGenerated(
        { ...spec, generator: nativeGeneratorSpec(setup), mixA: mix.a, mixB: mix.b, values },
        token,
        onProgress,
      );
    },
  };
}

function targetOf(scenario: Scenario, rho: unknown): number {
  const target = rho ?? scenario.observedRho;
  if (target === null) throw rangeError('rho', rho, `a number in [-1, 1] (${scenario.description} has no observed rho)`);
  return correlation('rho', target);
}

/**
 * Expected bootstrap CI of Spearman's rho for a scenario at a target rho: calibrate the generator
 * input once, simulate nReps datasets, bootstrap each with nBoot resamples, take each dataset's
 * interval by `intervalMethod` (default percentile; any registered method, BCa with each
 * dataset's jackknife), and average the endpoints. Supports progress, AbortSignal and the memory
 * cap.
 */
export async function expectedCI(scenarioInput: Scenario | ScenarioSpec, options: CiOptions = {}): Promise<CiResult> {
  const config = resolveConfig(options, ['rho', 'pool', 'intervalMethod']);
  const controls = checkControls(options);
  const intervalMethod = oneOf('intervalMethod', options.intervalMethod, INTERVAL_METHODS, 'percentile');
  const scenario = resolveScenario(scenarioInput);
  const rho = targetOf(scenario, options.rho);
  const generator = generatorFor(config.generator, options.pool, config.verbose);
  const setup = generatorSetup(scenario, generator, { vectorize: config.vectorize, pool: options.pool });

  const calibrationStart = performance.now();
  const { rhoIn, curve } = await calibratedInput(setup, rho, config, { signal: controls.signal }, true);
  const calibrationSeconds = (performance.now() - calibrationStart) / 1000;

  const bootstrapStart = performance.now();
  const baseKey = identityKey(config.seed, { task: 'ci', ...structureIdentity(scenario), generator });
  const source = generatedSource(setup, mixAt(generator, rhoIn), valuesFor(generator, config.vectorize), baseKey);
  const keepRhos = intervalMethodOf(intervalMethod).needs.distribution;
  const run = await runBootstrap(source, { nReps: config.nReps, nBoot: config.nBoot, alpha: config.alpha, baseKey, keepRhos }, config, controls);
  // the percentile keeps the engines' endpoints untouched; other methods are recomputed per rep
  const perRep =
    intervalMethod === 'percentile'
      ? { reps: run.reps, fallbacks: 0 }
      : await repIntervals(run.reps, intervalMethod, config.alpha, config.nBoot, source, controls.signal);
  const bootstrapSeconds = (performance.now() - bootstrapStart) / 1000;

  const summary = summariseReps(perRep.reps);
  const calibrationPart = calibrationSe(scenario.n, rho, config);
  return {
    ciLower: summary.ciLower,
    ciUpper: summary.ciUpper,
    ciLowerSd: summary.ciLowerSd,
    ciUpperSd: summary.ciUpperSd,
    ciWidthSd: summary.ciWidthSd,
    meanRhoHat: summary.meanRhoHat,
    ciLowerSe: Math.hypot(summary.ciLowerSe, calibrationPart),
    ciUpperSe: Math.hypot(summary.ciUpperSe, calibrationPart),
    meanRhoHatSe: summary.meanRhoHatSe,
    calibrationSe: calibrationPart,
    nReps: config.nReps,
    nBoot: config.nBoot,
    alpha: config.alpha,
    intervalMethod,
    intervalFallbacks: perRep.fallbacks,
    rho,
    rhoIn,
    generator,
    calibrationMode: config.calibrationMode,
    nCal: config.nCal,
    dropped: summary.dropped,
    repsWithoutInterval: summary.repsWithoutInterval,
    chunkResamples: run.chunkResamples,
    scenario: scenario.description,
    calibration: curve,
    timings: { calibration: calibrationSeconds, bootstrap: bootstrapSeconds },
    provenance: provenance({ ...config, generator }, run.engine),
  };
}

/**
 * The expected bootstrap CI of a scenario under its former name.
 * @deprecated Use {@link expectedCI}; `ciBootstrap` is kept for one minor version.
 */
export const ciBootstrap = expectedCI;
