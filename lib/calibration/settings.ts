/**
 * Calibration settings and the curve it produces: the algorithm version, bisection settings,
 * probes of each mode (docs/methods.md, "Calibration").
 * @module
 */
import type { CalibrationMode } from '../config';
import type { BisectionSettings } from '../kernels/calibration';
import { STUDY } from '../study/data';

/** Version of the calibration algorithm; part of every key, bumped when results change. */
export const CALIBRATION_ALGO = 1;

/** Bisection settings of every calibration. */
export const SETTINGS: BisectionSettings = {
  maxIter: STUDY.calibration.maxIter,
  tolerance: STUDY.calibration.tolerance,
  hiCap: STUDY.calibration.hiCap,
};

/** Probes of a calibration mode. */
export function probesOf(mode: Exclude<CalibrationMode, 'off'>): readonly number[] {
  return mode === 'single' ? [STUDY.calibration.singleProbe] : STUDY.calibration.multipointProbes;
}

/** A solved calibration of one tie structure and generator. */
export interface CalibrationCurve {
  /** Calibration mode the curve was solved for (`multipoint` or `single`). */
  mode: Exclude<CalibrationMode, 'off'>;
  /** Number of calibration datasets behind the curve. */
  nCal: number;
  /** Probe targets, ascending. */
  probes: number[];
  /** Generator input per probe; null = unreachable (the structure's ceiling is below the probe). */
  rhoIn: Array<number | null>;
  /** E[rho_hat] at each rhoIn (over the calibration datasets). */
  achieved: Array<number | null>;
  /** Evaluations of E[rho_hat] it took (0 when read from a cache). */
  evaluations: number;
  /** Where it came from in this call. */
  source: 'computed' | 'memory' | 'disk';
}

