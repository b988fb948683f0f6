/**
 * One calibration job on either engine: the probes solved and F evaluated on the calibration
 * datasets of a generator setup, by the native kernel (native/calibration.hpp) or its TypeScript
 * twin (lib/kernels/calibration.ts), with the same bits.
 * @module
 */
import type { CallControls, Config } from '../config';
import { SpearsimError } from '../errors';
import { type GeneratorSetup, nativeGeneratorSpec } from '../generators';
import { addonFor, runJob } from '../internal/native';
import { CalibrationSet } from '../kernels/calibration';
import { signalSetBytes } from '../kernels/signal-set';
import { identityKey } from '../streams';
import { STUDY } from '../study/data';
import { calibrationIdentity } from './keys';
import { SETTINGS } from './settings';

/** The options a calibration job reads. */
export type CalibrationConfig = Pick<Config, 'native' | 'verbose' | 'threads' | 'memoryLimit'>;

function checkMemory(setup: GeneratorSetup, nCal: number, config: CalibrationConfig): void {
  const need = signalSetBytes(setup.structure.n, nCal, config.threads);
  if (need > config.memoryLimit) {
    throw new SpearsimError(
      'ERR_MEMORY_LIMIT',
      `memoryLimit ${config.memoryLimit} bytes cannot hold ${nCal} calibration datasets of n=${setup.structure.n}: ` +
        `${need} bytes are needed; raise memoryLimit or lower nCal`,
      { option: 'memoryLimit', value: config.memoryLimit, expected: `at least ${need} bytes` },
    );
  }
}

/** What one calibration job computes. */
export interface SolvedProbes {
  rhoIn: Array<number | null>;
  achieved: Array<number | null>;
  curve: number[];
  evaluations: number;
}

/** Solves `probes` and evaluates F at `rhos` on the calibration datasets of `setup`. */
export async function solveProbes(
  setup: GeneratorSetup,
  nCal: number,
  probes: readonly number[],
  rhos: readonly number[],
  config: CalibrationConfig,
  controls: CallControls,
): Promise<SolvedProbes> {
  checkMemory(setup, nCal, config);
  const calKey = identityKey(STUDY.calibration.seed, calibrationIdentity(setup, nCal));
  const addon = addonFor(config);
  if (addon) {
    const out = await runJob(addon, config.threads, { signal: controls.signal }, (token) =>
      addon.calibrate(
        {
          generator: nativeGeneratorSpec(setup),
          calKey,
          nCal,
          probes: Float64Array.from(probes),
          rhos: Float64Array.from(rhos),
          ...SETTINGS,
          memoryLimit: config.memoryLimit,
          threads: config.threads,
        },
        token,
        null,
      ),
    );
    const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
    return {
      rhoIn: Array.from(out.rhoIn, orNull),
      achieved: Array.from(out.achieved, orNull),
      curve: Array.from(out.curve),
      evaluations: out.evaluations,
    };
  }
  const set = await CalibrationSet.create(setup, calKey, nCal, controls.signal);
  const rhoIn: Array<number | null> = [];
  const achieved: Array<number | null> = [];
  for (const p of probes) {
    const solution = await set.solve(p, SETTINGS);
    rhoIn.push(solution ? solution.rhoIn : null);
    achieved.push(solution ? solution.achieved : null);
  }
  const curve: number[] = [];
  for (const r of rhos) curve.push(await set.meanSpearman(r));
  return { rhoIn, achieved, curve, evaluations: set.evaluationCount };
}

