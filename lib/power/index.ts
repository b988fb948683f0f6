/**
 * Monte Carlo power and the minimum detectable rho (docs/methods.md, "P-values and power"): the
 * public entry points over a power session (./session), on the native kernel (native/power.hpp)
 * or its TypeScript twin (lib/kernels/power.ts); both give the same bits.
 *
 * The minimum-detectable-rho search evaluates one set of sims at every bisection step (common
 * random numbers), so the search is deterministic and its steps differ only through the
 * generator input.
 * @module
 */
import { type Direction, neededDirection } from '../asymptotic';
import { type CallControls, type Config, checkControls, resolveConfig } from '../config';
import { rangeError, typeError } from '../errors';
import type { EmpiricalPoolSpec } from '../generators';
import { warn } from '../internal/log';
import type { PerSimResults } from '../kernels/power';
import { type Provenance, provenance } from '../provenance';
import { type Scenario, type ScenarioSpec, type ScenarioSummary, resolveScenario, scenarioSummary } from '../scenario';
import type { StreamIdentity } from '../streams';
import { type BoundaryWarning, searchBoundaryWarning } from './boundary';
import { type PowerMethodInfo, type PowerPoint, PowerSession, type SearchBracket, type SearchStep, methodInfo } from './session';
import { correlation } from '../internal/validate';
import { calibrationSe } from '../calibration/error';
import { SLOPE_STEP, bracketAround, nullCriticalSe } from './mc-error';

export { type PerSimResults, type PowerPlan, type PvalueMethod, planPowerMemory } from '../kernels/power';
export { BOUNDARY_EPS, type BoundaryWarning } from './boundary';
export { clearPowerCache } from './set-cache';
export { SLOPE_STEP, nullCriticalSe } from './mc-error';
export type { PowerMethodInfo, PowerPoint, SearchStep } from './session';

/** Bounds of the minimum-detectable-rho search for the positive direction . */
export const SEARCH_BOUNDS: readonly [number, number] = [0.25, 0.42];
/** The search stops when hi - lo <= this (12 halvings of 0.17). */
export const SEARCH_TOLERANCE = 0.49e-4;
/** No boundary warning at or below this many sims. */
export const BOUNDARY_MIN_SIMS = 50;
/** Options of {@link estimatePower}, {@link minDetectableRho} and {@link powerCurve}. */
export type PowerOptions = Partial<
  Pick<
    Config,
    | 'generator' | 'nSims' | 'alpha' | 'seed' | 'targetPower' | 'nPre' | 'nPerm' | 'nCal' | 'calibrationMode' | 'usePermutationPvalue'
    | 'pvalueMcOnCacheMiss' | 'empiricalUsePrecomputedNull' | 'vectorize' | 'cacheDir' | 'saveCache' | 'threads' | 'memoryLimit'
    | 'native' | 'verbose'
  >
> &
  CallControls & {
    /** Search / stream direction; default: the sign of rho (estimatePower) or the scenario's needed direction. */
    direction?: Direction;
    /** y pool of a generator that needs one (docs/methods.md, "Generators"). */
    pool?: EmpiricalPoolSpec;
    /** Return per-sim rho-hat and p-values (estimatePower only; memory 16 bytes per sim). */
    keepPerSim?: boolean;
    /**
     * Identity naming the sims' random streams instead of the scenario's n and counts: a design's
     * search over n passes one without n, so sim i draws from the same stream at every n (common
     * random numbers across n; docs/methods.md, "Planning your own study").
     */
    streamIdentity?: StreamIdentity;
  };

/** Per-call keys besides the configuration. */
const SEARCH_KEYS = ['direction', 'pool', 'streamIdentity'] as const;
const ESTIMATE_KEYS = [...SEARCH_KEYS, 'rho', 'keepPerSim'] as const;

function checkStreamIdentity(identity: unknown): StreamIdentity | undefined {
  if (identity === undefined) return undefined;
  if (identity === null || typeof identity !== 'object' || Array.isArray(identity)) throw typeError('streamIdentity', identity, 'an object of plain values');
  return identity as StreamIdentity;
}

/** The directions of a directionMode: the needed one, or [positive, negative]. */
export function searchDirections(scenarioOrSpec: Scenario | ScenarioSpec, mode: Config['directionMode']): Direction[] {
  return mode === 'both' ? ['positive', 'negative'] : [neededDirection(resolveScenario(scenarioOrSpec))];
}

function checkDirection(direction: unknown): Direction | undefined {
  if (direction === undefined) return undefined;
  if (direction !== 'positive' && direction !== 'negative') throw rangeError('direction', direction, '"positive" or "negative"');
  return direction;
}

/** Result of {@link estimatePower}. */
export interface PowerEstimate extends PowerPoint, PowerMethodInfo {
  /** The scenario simulated. */
  scenario: ScenarioSummary;
  /** Per-sim values when keepPerSim was set. */
  perSim: PerSimResults | null;
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}

/**
 * Power of the two-sided Spearman test (reject when p < alpha) at target rho for a scenario:
 * nSims datasets from the (calibrated) generator, p-values by the configured method.
 */
export async function estimatePower(scenarioOrSpec: Scenario | ScenarioSpec, options: PowerOptions & { rho: number }): Promise<PowerEstimate> {
  const scenario = resolveScenario(scenarioOrSpec);
  const config = resolveConfig(options, ESTIMATE_KEYS);
  const controls = checkControls(options);
  const rho = correlation('rho', (options as { rho?: unknown }).rho);
  const direction = checkDirection(options.direction) ?? (rho < 0 ? 'negative' : 'positive');
  const session = new PowerSession(scenario, config, direction, options.pool, options.keepPerSim === true, false, checkStreamIdentity(options.streamIdentity));
  return inSession(session, controls, async () => {
    const point = await session.evaluate(rho, controls, undefined, true);
    return { ...point, ...methodInfo(session), scenario: scenarioSummary(scenario), provenance: provenance(config, session.engineName()) };
  });
}

/** Prepares a session, runs `use`, and always ends the session (its native sims are freed now). */
async function inSession<T>(session: PowerSession, controls: CallControls, use: () => Promise<T>): Promise<T> {
  try {
    await session.prepare(controls);
    return await use();
  } finally {
    session.dispose();
  }
}

/** Controls whose progress reports one evaluation as part of `total` units, after `done`. */
function offsetProgress(controls: CallControls, done: number, total: number): CallControls {
  const { signal, onProgress } = controls;
  return { signal, onProgress: onProgress ? (d: number) => onProgress(done + d, total) : undefined };
}

/** Rows of {@link powerCurve}. */
export interface PowerCurve extends PowerMethodInfo {
  /** The scenario simulated. */
  scenario: ScenarioSummary;
  /** One row per requested rho, in request order. */
  rows: PowerPoint[];
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}

/**
 * Power at several target rhos (CLI `power --rho 0.2,0.3`). Each rho is an independent
 * {@link estimatePower} (its direction is its sign), so a row equals the single estimate.
 */
export async function powerCurve(
  scenarioOrSpec: Scenario | ScenarioSpec,
  rhos: readonly number[],
  options: Omit<PowerOptions, 'keepPerSim'> = {},
): Promise<PowerCurve> {
  const scenario = resolveScenario(scenarioOrSpec);
  const config = resolveConfig(options, SEARCH_KEYS);
  const controls = checkControls(options);
  if (!Array.isArray(rhos) || rhos.length === 0) throw rangeError('rhos', rhos, 'a non-empty list of numbers in [-1, 1]');
  rhos.forEach((r, i) => correlation(`rhos[${i}]`, r));
  const rows: PowerPoint[] = [];
  let last: PowerSession | null = null;
  for (const [i, rho] of rhos.entries()) {
    const session = new PowerSession(scenario, config, checkDirection(options.direction) ?? (rho < 0 ? 'negative' : 'positive'), options.pool, false, false);
    const { perSim: _unused, ...point } = await inSession(session, controls, () =>
      session.evaluate(rho, offsetProgress(controls, i * config.nSims, rhos.length * config.nSims), undefined, true),
    );
    rows.push(point);
    last = session;
  }
  return { ...methodInfo(last!), scenario: scenarioSummary(scenario), rows, provenance: provenance(config, last!.engineName()) };
}

/** Result of {@link minDetectableRho}. */
export interface MinDetectableRhoResult extends PowerMethodInfo {
  /** The scenario simulated. */
  scenario: ScenarioSummary;
  /** Signed minimum detectable rho (negative for the negative direction). */
  minDetectableRho: number;
  /** Power the result reaches. */
  targetPower: number;
  /** Search interval (signed). */
  bounds: [number, number];
  /** The search stops when the interval is narrower than this. */
  tolerance: number;
  /** Every power evaluation of the search, in order. */
  steps: SearchStep[];
  /** Set when the result is within 1e-4 of a bound (and nSims > 50); also printed at verbose >= 1. */
  boundaryWarning: BoundaryWarning | null;
  /** Power at the result, on the search's sims. */
  power: number;
  /** Its binomial SE sqrt(power (1 - power) / nSims). */
  powerSe: number;
  /** Slope d power / d rho at the result: central difference over +-{@link SLOPE_STEP} on the search's sims. */
  slope: number;
  /**
   * Monte Carlo SE of the result (docs/methods.md, "Precision and run time"): the search's, the
   * calibration's and the precomputed null's parts in quadrature; null when searchSe is.
   */
  minDetectableRhoSe: number | null;
  /** The search's part by the delta method, powerSe / |slope|; null when the slope is not positive in the search direction. */
  searchSe: number | null;
  /** The calibration's part: the SE of the realised rho at the calibrated input ({@link calibrationSe}). */
  calibrationSe: number;
  /** The precomputed null's part: the SE of its critical |rho| from nPre permutations (0 for other p-value methods). */
  nullSe: number;
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}

/**
 * Minimum detectable rho (docs/methods.md, "P-values and power"): bisection on [0.25, 0.42] (negated for the negative
 * direction) until hi - lo <= 0.49e-4 (12 evaluations), all on the same sims (common random
 * numbers), returning the final midpoint. Warns when the result is within 1e-4 of a bound.
 */
export async function minDetectableRho(
  scenarioOrSpec: Scenario | ScenarioSpec,
  options: Omit<PowerOptions, 'keepPerSim'> = {},
): Promise<MinDetectableRhoResult> {
  const scenario = resolveScenario(scenarioOrSpec);
  const config = resolveConfig(options, SEARCH_KEYS);
  const controls = checkControls(options);
  const direction = checkDirection(options.direction) ?? neededDirection(scenario);
  const session = new PowerSession(scenario, config, direction, options.pool, false, true);
  const positive = direction === 'positive';
  const bounds: [number, number] = positive ? [SEARCH_BOUNDS[0], SEARCH_BOUNDS[1]] : [-SEARCH_BOUNDS[1], -SEARCH_BOUNDS[0]];
  let [lo, hi] = bounds;
  const steps: SearchStep[] = [];
  const target = config.targetPower;
  const totalSteps = Math.ceil(Math.log2((hi - lo) / SEARCH_TOLERANCE));
  // after the search: the power at the result and at result -+ SLOPE_STEP (its Monte Carlo error)
  const totalEvaluations = totalSteps + 3;
  const { atResult, slope } = await inSession(session, controls, async () => {
    const bracket: SearchBracket = {};
    const regionsAt = new Map<number, Int8Array>();
    while (hi - lo > SEARCH_TOLERANCE) {
      const mid = (lo + hi) / 2;
      const { step, regions } = await session.searchStep(mid, offsetProgress(controls, steps.length * config.nSims, totalEvaluations * config.nSims), bracket);
      steps.push(step);
      const moveLo = positive ? step.power < target : step.power >= target;
      if (moveLo) lo = mid;
      else hi = mid;
      // lo < hi in rho and so in generator input: mid becomes the bracket's lower or upper end
      if (regions) {
        bracket[moveLo ? 'lower' : 'upper'] = regions;
        regionsAt.set(mid, regions);
      }
    }
    // extra evaluations on the same sims, after the search's numbers are fixed
    const evaluateAt = async (rho: number, index: number): Promise<SearchStep> =>
      (await session.searchStep(rho, offsetProgress(controls, index * config.nSims, totalEvaluations * config.nSims), bracketAround(regionsAt, rho))).step;
    const mid = (lo + hi) / 2;
    const below = Math.max(-1, mid - SLOPE_STEP);
    const above = Math.min(1, mid + SLOPE_STEP);
    const point = await evaluateAt(mid, steps.length);
    const rise = (await evaluateAt(above, steps.length + 1)).power - (await evaluateAt(below, steps.length + 2)).power;
    return { atResult: point, slope: rise / (above - below) };
  });
  const result = (lo + hi) / 2;
  const boundaryWarning = config.nSims > BOUNDARY_MIN_SIMS ? searchBoundaryWarning(`${scenario.description}, ${direction}`, result, bounds) : null;
  if (boundaryWarning) warn(config.verbose, boundaryWarning.message, 'SPEARSIM_BOUNDARY');
  const rising = positive ? slope : -slope; // power grows away from zero in the search direction
  const searchSe = rising > 0 ? atResult.se / rising : null;
  const calibrationPart = calibrationSe(scenario.n, result, config);
  const nullPart = session.method === 'null' ? nullCriticalSe(scenario.n, config.alpha, config.nPre) : 0;
  return {
    ...methodInfo(session),
    scenario: scenarioSummary(scenario),
    minDetectableRho: result,
    targetPower: target,
    bounds,
    tolerance: SEARCH_TOLERANCE,
    steps,
    boundaryWarning,
    power: atResult.power,
    powerSe: atResult.se,
    slope,
    minDetectableRhoSe: searchSe === null ? null : Math.hypot(searchSe, calibrationPart, nullPart),
    searchSe,
    calibrationSe: calibrationPart,
    nullSe: nullPart,
    provenance: provenance(config, session.engineName()),
  };
}

