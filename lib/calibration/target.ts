/**
 * Mapping a target E[Spearman] to the generator input through a calibration curve
 * (docs/methods.md, "Calibration").
 * @module
 */
import type { CallControls, Config } from '../config';
import type { GeneratorSetup } from '../generators';
import { ZERO_RHO, clipGeneratorInput } from '../kernels/generators';
import { type CurveConfig, calibrationCurve } from './cache';
import type { CalibrationCurve } from './settings';
import { correlation } from '../internal/validate';

/**
 * rho_in for a target. Multipoint: piecewise-linear in |t| over the reachable probes
 * (extending the end segments; one probe = its ratio; none = t itself); single: t times the 0.30
 * ratio (1 if unreachable). |t| < 1e-12 gives 0, and cal(-t) = -cal(t) exactly.
 */
export function mapTarget(curve: CalibrationCurve, target: number): number {
  const t = Math.abs(target);
  if (t < ZERO_RHO) return 0;
  const sign = target < 0 ? -1 : 1;
  const points = curve.probes
    .map((probe, i) => ({ probe, rhoIn: curve.rhoIn[i] ?? null }))
    .filter((p): p is { probe: number; rhoIn: number } => p.rhoIn !== null)
    .sort((p, q) => p.probe - q.probe);
  if (curve.mode === 'single') {
    const ratio = points.length > 0 ? points[0]!.rhoIn / points[0]!.probe : 1;
    return clipGeneratorInput(sign * (t * ratio));
  }
  let a: number;
  if (points.length === 0) {
    a = t;
  } else if (points.length === 1) {
    a = (t * points[0]!.rhoIn) / points[0]!.probe;
  } else {
    // segment containing t, or the first / last segment extended
    let j = 0;
    while (j < points.length - 2 && t > points[j + 1]!.probe) j++;
    const p0 = points[j]!;
    const p1 = points[j + 1]!;
    a = p0.rhoIn + ((t - p0.probe) * (p1.rhoIn - p0.rhoIn)) / (p1.probe - p0.probe);
  }
  return clipGeneratorInput(sign * a);
}

/** A generator input for a target. */
export interface CalibratedInput {
  /** Generator input to simulate with. */
  rhoIn: number;
  /** The curve used; null when calibration is off or the target is 0. */
  curve: CalibrationCurve | null;
}

/**
 * The generator input at which `setup` gives E[rho_hat] = target on its tie structure (the target
 * itself with calibrationMode 'off'). Builds or reuses the structure's calibration.
 */
export async function calibratedInput(
  setup: GeneratorSetup,
  target: number,
  config: CurveConfig & Pick<Config, 'calibrationMode'>,
  controls: CallControls = {},
): Promise<CalibratedInput> {
  correlation('rho', target);
  if (config.calibrationMode === 'off') return { rhoIn: target, curve: null };
  if (Math.abs(target) < ZERO_RHO) return { rhoIn: 0, curve: null };
  const curve = await calibrationCurve(setup, config.calibrationMode, config, controls);
  return { rhoIn: mapTarget(curve, target), curve };
}

