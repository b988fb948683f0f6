/**
 * Calibration of the generator input (docs/methods.md, "Calibration"): the input rho_in at which
 * a generator's expected Spearman on a tie structure equals the target. One native call (or its
 * TypeScript twin) solves every probe of a structure by bisection on common random numbers; the
 * probes map a target to rho_in by interpolation (multipoint, default) or one ratio (single).
 *
 * The calibration datasets are exactly the generating process, jitter included, in both modes and
 * for every generator; their seed is derived from the calibration seed 99, the tie structure and
 * the generator; cache keys are complete and disk files are atomic, validated, and rebuilt with a
 * warning when corrupt or foreign.
 * @module
 */
import { type CallControls, type CalibrationMode, type Config, type GeneratorName, checkControls, resolveConfig } from '../config';
import { typeError } from '../errors';
import { type EmpiricalPoolSpec, generatorSetup } from '../generators';
import { addonFor } from '../internal/native';
import { type Provenance, provenance } from '../provenance';
import { type Scenario, type ScenarioSpec, resolveScenario } from '../scenario';
import { calibratedInput } from './target';
import type { CalibrationCurve } from './settings';
import { solveProbes } from './solve';
import { correlation } from '../internal/validate';

export { CALIBRATION_ALGO, type CalibrationCurve, probesOf } from './settings';
export { calibrationCacheKey, calibrationIdentity } from './keys';
export { calibrationCurve, clearCalibrationCache } from './cache';
export { type CalibratedInput, calibratedInput, mapTarget } from './target';
export { calibrationSe } from './error';

/** Options of {@link calibrate} and {@link expectedSpearman}. */
export type CalibrationOptions = Partial<
  Pick<Config, 'generator' | 'calibrationMode' | 'nCal' | 'vectorize' | 'cacheDir' | 'saveCache' | 'native' | 'threads' | 'memoryLimit' | 'verbose'>
> &
  CallControls & {
    /** Pool specification of a generator that needs one (docs/methods.md, "Generators"). */
    pool?: EmpiricalPoolSpec;
  };

/** Result of {@link calibrate}. */
export interface CalibrationResult {
  /** Requested E[Spearman] on the scenario's tie structure, in [-1, 1]. */
  target: number;
  /** Generator input that achieves the target (the target itself when calibration is off, 0 for a zero target). */
  rhoIn: number;
  /** Generator that was calibrated. */
  generator: GeneratorName;
  /** Calibration mode used (`off` returns the target unchanged). */
  calibrationMode: CalibrationMode;
  /** The calibration curve used; null when calibration is off or the target is 0. */
  curve: CalibrationCurve | null;
  /** Seed, configuration, version and engine behind the result. */
  provenance: Provenance;
}

/** The generator input that gives E[Spearman] = `target` on the scenario's tie structure. */
export async function calibrate(scenario: Scenario | ScenarioSpec, target: number, options: CalibrationOptions = {}): Promise<CalibrationResult> {
  const config = resolveConfig(options, ['pool']);
  const controls = checkControls(options);
  const setup = generatorSetup(resolveScenario(scenario), config.generator, { vectorize: config.vectorize, pool: options.pool });
  const { rhoIn, curve } = await calibratedInput(setup, target, config, controls, true);
  const used = addonFor(config) ? 'native' : 'typescript';
  return { target, rhoIn, generator: config.generator, calibrationMode: config.calibrationMode, curve, provenance: provenance(config, used) };
}

/**
 * E[Spearman] of the generator at each (uncalibrated) input, over `nCal` datasets of the
 * calibration process: the attenuation curve.
 */
export async function expectedSpearman(
  scenario: Scenario | ScenarioSpec,
  inputs: readonly number[],
  options: CalibrationOptions = {},
): Promise<number[]> {
  const config = resolveConfig(options, ['pool']);
  const controls = checkControls(options);
  if (!Array.isArray(inputs)) throw typeError('inputs', inputs, 'an array of numbers in [-1, 1]');
  inputs.forEach((r: unknown, i) => {
    correlation(`inputs[${i}]`, r);
  });
  const setup = generatorSetup(resolveScenario(scenario), config.generator, { vectorize: config.vectorize, pool: options.pool });
  return (await solveProbes(setup, config.nCal, [], inputs, config, controls)).curve;
}
