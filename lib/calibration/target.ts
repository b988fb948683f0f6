/**
 * Mapping a target E[Spearman] to the generator input through a calibration curve
 * (docs/methods.md, "Calibration").
 * @module
 */
import type { CallControls, Config } from '../config';
import type { GeneratorSetup } from '../generators';
import { type SpearsimError, rangeError } from '../errors';
import { RHO_CLIP, ZERO_RHO, clipGeneratorInput } from '../kernels/generators';
import { type CurveConfig, calibrationCurve } from './cache';
import type { CalibrationCurve } from './settings';
import { correlation } from '../internal/validate';

/**
 * rho_in for a target. Multipoint: piecewise-linear in |t| over the reachable probes
 * (extending the end segments; one probe = its ratio; none = t itself); single: t times the 0.30
 * ratio (1 if unreachable). |t| < 1e-12 gives 0, and cal(-t) = -cal(t) exactly. Clipped to the
 * generator's input range (see {@link unclippedInput}).
 */
export function mapTarget(curve: CalibrationCurve, target: number): number {
  return clipGeneratorInput(unclippedInput(curve, target));
}

/** The generator input mapTarget interpolates, before the clip to +-RHO_CLIP. */
function unclippedInput(curve: CalibrationCurve, target: number): number {
  const t = Math.abs(target);
  if (t < ZERO_RHO) return 0;
  const sign = target < 0 ? -1 : 1;
  const points = curve.probes
    .map((probe, i) => ({ probe, rhoIn: curve.rhoIn[i] ?? null }))
    .filter((p): p is { probe: number; rhoIn: number } => p.rhoIn !== null)
    .sort((p, q) => p.probe - q.probe);
  if (curve.mode === 'single') {
    const ratio = points.length > 0 ? points[0]!.rhoIn / points[0]!.probe : 1;
    return sign * (t * ratio);
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
  return sign * a;
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
 *
 * A target the user gave (`userTarget`) must be one the generator reaches: one that needs an input
 * beyond +-RHO_CLIP (e.g. rho = 1) is refused rather than simulated at the clipped input and
 * reported as met. A power search's own probes are clipped instead (its bracket handles them).
 */
export async function calibratedInput(
  setup: GeneratorSetup,
  target: number,
  config: CurveConfig & Pick<Config, 'calibrationMode' | 'generator'>,
  controls: CallControls = {},
  userTarget = false,
): Promise<CalibratedInput> {
  correlation('rho', target);
  if (config.calibrationMode === 'off') {
    if (userTarget && Math.abs(target) > RHO_CLIP) throw unreachableTarget(target, null, config.generator);
    return { rhoIn: target, curve: null };
  }
  if (Math.abs(target) < ZERO_RHO) return { rhoIn: 0, curve: null };
  const curve = await calibrationCurve(setup, config.calibrationMode, config, controls);
  const input = unclippedInput(curve, target);
  if (userTarget && Math.abs(input) > RHO_CLIP) throw unreachableTarget(target, curve, config.generator);
  return { rhoIn: clipGeneratorInput(input), curve };
}

function unreachableTarget(target: number, curve: CalibrationCurve | null, generator: string): SpearsimError {
  // the largest |target| whose input stays within the clip, by the same interpolation
  let reach = RHO_CLIP;
  if (curve) {
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 50; i++) {
      const mid = (lo + hi) / 2;
      if (Math.abs(unclippedInput(curve, mid)) <= RHO_CLIP) lo = mid;
      else hi = mid;
    }
    reach = lo;
  }
  return rangeError(
    'rho',
    target,
    `a target the ${generator} generator can reach on this tie structure: |rho| up to about ${reach.toFixed(3)} (its input is capped at ${RHO_CLIP})`,
  );
}

