/**
 * Closed-form (asymptotic) power, minimum detectable rho and Fisher-z CI of Spearman's rho
 * (docs/methods.md, "Asymptotic methods"), with the tie handling of "Departures from the reference".
 *
 * Tie handling. The statistic computed everywhere in spearsim is the Pearson correlation of
 * midranks; under the permutation null its variance is exactly 1/(n-1) whatever the ties, so the
 * default mode `none` uses no inflation. Mode `fhp` reproduces the reference's "tie-corrected"
 * numbers: the Fieller-Hartley-Pearson variance (1/(n-1)) (n^3-n)/(n^3-n-T_x), which belongs to
 * the uncorrected formula 1 - 6 sum d^2/(n^3-n), shrinks the non-centrality and widens the CI.
 * `both` returns the two side by side; every output field is keyed by the mode that produced it.
 * @module
 */
import { type Config, type TieCorrection, normaliseOption, resolveConfig } from './config';
import { rangeError, typeError } from './errors';
import { FIELLER_HARTLEY_PEARSON_FACTOR } from './fisher-variance/fieller-hartley-pearson';
import { DEFAULT_FISHER_VARIANCE, type FisherVarianceName, fisherVarianceOf } from './fisher-variance/registry';
import { noncentralTCdf, noncentralTSf, normalQuantile, tQuantile } from './noncentral-t';
import { type Provenance, provenance } from './provenance';
import { type Scenario, type ScenarioSpec, resolveScenario, studyScenarios, type ScenarioSummary, scenarioSummary } from './scenario';
import { studyCase } from './study/data';
import { correlation, tieCounts } from './internal/validate';

/** One concrete tie handling (`both` expands to these two). */
export type TieMode = 'none' | 'fhp';
/** Search direction of a minimum detectable rho. */
export type Direction = 'positive' | 'negative';

/** The modes a `tieCorrection` setting asks for, in output order. */
export function tieModes(setting: TieCorrection): TieMode[] {
  return setting === 'both' ? ['none', 'fhp'] : [setting];
}

function checkN(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 4) throw rangeError('n', n, 'an integer >= 4');
}

/** The options object of a formula (absent = defaults; null or a non-object is an error). */
function formulaOptions<T extends object>(options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw typeError('options', options, 'an object');
  return options;
}

function checkCounts(n: number, counts: readonly number[] | undefined): void {
  if (counts !== undefined) tieCounts(counts, n, 'the sample');
}

/**
 * Null variance of rho-hat used by the asymptotic formulas: 1/(n-1) in mode `none`; in mode
 * `fhp` the FHP tie variance (1/(n-1)) N3/(N3 - T_x), N3 = n^3 - n, T_x = sum(c^3 - c), falling
 * back to 1/(n-1) when counts are absent or D_x <= 0 (docs/methods.md, "Asymptotic methods").
 */
export function nullVariance(n: number, counts: readonly number[] | undefined, mode: TieMode): number {
  checkN(n);
  checkCounts(n, counts);
  const base = 1 / (n - 1);
  if (mode === 'none' || counts === undefined) return base;
  let tx = 0;
  for (const c of counts) tx += c * c * c - c;
  const n3 = n * n * n - n;
  const dx = (n3 - tx) / 12;
  const dy = n3 / 12;
  if (dx <= 0 || dy <= 0) return base;
  return (base * (dy * dy)) / (dx * dy);
}

/** Options of the asymptotic formulas. */
export interface AsymptoticFormulaOptions {
  /** x tie structure (group sizes summing to n); absent = no ties. */
  counts?: readonly number[] | undefined;
  /** Significance level in (0, 1); default 0.05. */
  alpha?: number;
  /** `none` (default) or `fhp`. */
  mode?: TieMode;
  /** Variance of Fisher's z in {@link fisherCI}; default `fieller-hartley-pearson`. */
  fisherVariance?: FisherVarianceName;
}

function alphaOf(alpha: number | undefined): number {
  const a = alpha ?? 0.05;
  if (typeof a !== 'number' || !(a > 0 && a < 1)) throw rangeError('alpha', a, 'a number in (0, 1)');
  return a;
}

/** Validated inputs of a closed-form formula at one rho: options, alpha and tie mode. */
function checkedFormula(n: number, rho: number, opts: AsymptoticFormulaOptions): { options: AsymptoticFormulaOptions; alpha: number; mode: TieMode } {
  const options = formulaOptions(opts);
  checkN(n);
  correlation('rho', rho);
  checkCounts(n, options.counts);
  return { options, alpha: alphaOf(options.alpha), mode: options.mode ?? 'none' };
}

/**
 * Two-sided non-central-t power of the test of rho = 0 at true rho (docs/methods.md, "Asymptotic methods"):
 * nc = rho sqrt(n-2) / sqrt(max(1 - rho^2, 1e-12)), scaled by sqrt((1/(n-1)) / var) in mode
 * `fhp`; power = P(T > t_crit) + P(T < -t_crit), computed as the two tails directly.
 */
export function asymptoticPower(n: number, rho: number, opts: AsymptoticFormulaOptions = {}): number {
  const { options, alpha, mode } = checkedFormula(n, rho, opts);
  const df = n - 2;
  const tCrit = tQuantile(1 - alpha / 2, df);
  let nc = (rho * Math.sqrt(n - 2)) / Math.sqrt(Math.max(1 - rho * rho, 1e-12));
  if (mode === 'fhp' && options.counts !== undefined) nc *= Math.sqrt(1 / (n - 1) / nullVariance(n, options.counts, 'fhp'));
  return powerAt(df, alpha, tCrit, nc);
}

// Power depends on (df, alpha, nc) only; grids and bisections revisit the same points (mode
// `none` gives every structure of one n the same curve), so recent values are memoised.
const powerMemo = new Map<string, number>();
const POWER_MEMO_LIMIT = 100_000;

function powerAt(df: number, alpha: number, tCrit: number, nc: number): number {
  const key = `${df}|${alpha}|${nc}`;
  const hit = powerMemo.get(key);
  if (hit !== undefined) return hit;
  const power = Math.min(1, Math.max(0, noncentralTSf(tCrit, df, nc) + noncentralTCdf(-tCrit, df, nc)));
  if (powerMemo.size >= POWER_MEMO_LIMIT) powerMemo.clear();
  powerMemo.set(key, power);
  return power;
}

/** Bisection steps of the asymptotic search (exactly 60, final midpoint; docs/methods.md, "Asymptotic methods"). */
export const ASYMPTOTIC_BISECTION_STEPS = 60;

/**
 * Smallest |rho| with asymptotic power >= targetPower in `direction` (signed): 60 bisection steps
 * on [0, 0.6] (positive) or [-0.6, 0] (negative), returning the final midpoint.
 */
export function asymptoticMinDetectableRho(
  n: number,
  direction: Direction,
  opts: AsymptoticFormulaOptions & { targetPower?: number } = {},
): number {
  const options = formulaOptions(opts);
  checkN(n);
  if (direction !== 'positive' && direction !== 'negative') throw rangeError('direction', direction, '"positive" or "negative"');
  const target = options.targetPower ?? 0.8;
  if (typeof target !== 'number' || !(target > 0 && target < 1)) throw rangeError('targetPower', target, 'a number in (0, 1)');
  let lo = direction === 'positive' ? 0 : -0.6;
  let hi = direction === 'positive' ? 0.6 : 0;
  for (let step = 0; step < ASYMPTOTIC_BISECTION_STEPS; step++) {
    const mid = (lo + hi) / 2;
    const below = asymptoticPower(n, mid, options) < target;
    if (direction === 'positive') {
      if (below) lo = mid;
      else hi = mid;
    } else if (below) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The 1.06 factor of the default Fisher-z variance.
 * @deprecated It is Fieller, Hartley & Pearson's (1957), not Bonett & Wright's; use
 * FIELLER_HARTLEY_PEARSON_FACTOR (lib/fisher-variance/fieller-hartley-pearson.ts).
 */
export const BONETT_WRIGHT_FACTOR = FIELLER_HARTLEY_PEARSON_FACTOR;

/**
 * Fisher-z confidence interval around an observed rho: z = atanh(clip(rho, +-0.9999)),
 * se = sqrt(Var(z)) with Var(z) from `fisherVariance` (default Fieller-Hartley-Pearson,
 * 1.06 / max(n - 3, 1); see lib/fisher-variance/registry.ts), times sqrt(var / (1/(n-1))) in
 * tie mode `fhp`; CI = tanh(z -+ z_{1-alpha/2} se). docs/methods.md, "Asymptotic methods".
 */
export function fisherCI(n: number, rhoObs: number, opts: AsymptoticFormulaOptions = {}): [number, number] {
  const { options, alpha, mode } = checkedFormula(n, rhoObs, opts);
  const variance = fisherVarianceOf(
    options.fisherVariance === undefined ? DEFAULT_FISHER_VARIANCE : normaliseOption('fisherVariance', options.fisherVariance),
  );
  const r = Math.min(Math.max(rhoObs, -0.9999), 0.9999);
  const z = Math.atanh(r);
  let se = Math.sqrt(variance.variance(n, r, z));
  if (mode === 'fhp' && options.counts !== undefined) se *= Math.sqrt(nullVariance(n, options.counts, 'fhp') / (1 / (n - 1)));
  const za = normalQuantile(1 - alpha / 2);
  return [Math.tanh(z - za * se), Math.tanh(z + za * se)];
}

/** Values of one quantity per tie mode (only the modes asked for are present). */
export type ByTieMode<T> = {
  /** Value without tie correction (mode `none`). */
  none?: T;
  /** Value with the Fieller-Hartley-Pearson variance (mode `fhp`). */
  fhp?: T;
};

/** Evaluates `fn` for each mode of a `tieCorrection` setting. */
export function perMode<T>(setting: TieCorrection, fn: (mode: TieMode) => T): ByTieMode<T> {
  const out: ByTieMode<T> = {};
  for (const mode of tieModes(setting)) out[mode] = fn(mode);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scenario-level entry points

/** Target rhos of the grid's power columns. */
export const GRID_POWER_RHOS: readonly number[] = [0.2, -0.2, 0.3, -0.3, 0.4, -0.4];

/** Options of {@link asymptotic} and {@link asymptoticGrid}. */
export type AsymptoticOptions = Partial<Pick<Config, 'alpha' | 'targetPower' | 'tieCorrection' | 'fisherVariance' | 'directionMode' | 'cases' | 'kValues' | 'shapes' | 'verbose'>> & {
  /** Search direction (default: the scenario's needed direction). */
  direction?: Direction;
  /** CI centre (default: the scenario's observed rho; no CI if it has none). */
  observedRho?: number;
  /** Target rhos of the power table (default: +-0.2, +-0.3, +-0.4). */
  rhos?: readonly number[];
};

/** Closed-form results for one scenario and direction; every quantity keyed by tie mode. */
export interface AsymptoticResult extends Omit<ScenarioSummary, 'description'> {
  /** Direction of the minimum detectable rho. */
  direction: Direction;
  /** The modes reported (`both` = none and fhp). */
  tieCorrection: TieCorrection;
  /** The variance of Fisher's z behind `ci`. */
  fisherVariance: FisherVarianceName;
  /** Two-sided level. */
  alpha: number;
  /** Power the minimum detectable rho reaches. */
  targetPower: number;
  /** Signed minimum detectable rho per mode. */
  minDetectableRho: ByTieMode<number>;
  /** CI centre, or null when the scenario has no observed rho. */
  observedRho: number | null;
  /** Fisher-z CI per mode (null without an observed rho). */
  ci: ByTieMode<[number, number]> | null;
  /** Power per target rho (keys are String(rho)), per mode. */
  power: Record<string, ByTieMode<number>>;
}

function scenarioResult(scenario: Scenario, direction: Direction, config: Config, observed: number | null, rhos: readonly number[]): AsymptoticResult {
  const { n, counts } = scenario;
  const base = { counts, alpha: config.alpha, fisherVariance: config.fisherVariance };
  const power: Record<string, ByTieMode<number>> = {};
  for (const rho of rhos) power[String(rho)] = perMode(config.tieCorrection, (mode) => asymptoticPower(n, rho, { ...base, mode }));
  const { description: _description, ...echoed } = scenarioSummary(scenario);
  return {
    ...echoed,
    direction,
    tieCorrection: config.tieCorrection,
    fisherVariance: config.fisherVariance,
    alpha: config.alpha,
    targetPower: config.targetPower,
    minDetectableRho: perMode(config.tieCorrection, (mode) =>
      asymptoticMinDetectableRho(n, direction, { ...base, mode, targetPower: config.targetPower }),
    ),
    observedRho: observed,
    ci: observed === null ? null : perMode(config.tieCorrection, (mode) => fisherCI(n, observed, { ...base, mode })),
    power,
  };
}

/** The direction a scenario's power search needs: its case's, else the sign of its observed rho. */
export function neededDirection(scenario: Scenario): Direction {
  if (scenario.caseId !== null) return studyCase(scenario.caseId).searchDirection;
  return scenario.observedRho !== null && scenario.observedRho < 0 ? 'negative' : 'positive';
}

function checkRhos(rhos: unknown): readonly number[] {
  if (rhos === undefined) return GRID_POWER_RHOS;
  if (!Array.isArray(rhos)) throw rangeError('rhos', rhos, 'a list of numbers in [-1, 1]');
  rhos.forEach((r: unknown, i) => {
    correlation(`rhos[${i}]`, r);
  });
  return rhos as number[];
}

const EXTRA_KEYS = ['direction', 'observedRho', 'rhos'];

/**
 * Asymptotic power table, minimum detectable rho and Fisher-z CI of a scenario, for the tie modes
 * of `tieCorrection` (default `none`; docs/methods.md, "Departures from the reference") and the direction(s) of `directionMode`.
 */
export function asymptotic(scenarioOrSpec: Scenario | ScenarioSpec, options: AsymptoticOptions = {}): {
  /** One result per searched direction. */
  results: AsymptoticResult[];
  /** Seed, configuration, version and engine behind the results. */
  provenance: Provenance;
} {
  const scenario = resolveScenario(scenarioOrSpec);
  const config = resolveConfig(options, EXTRA_KEYS);
  options = formulaOptions(options);
  const rhos = checkRhos(options.rhos);
  if (options.observedRho !== undefined) correlation('observedRho', options.observedRho);
  if (options.direction !== undefined && options.direction !== 'positive' && options.direction !== 'negative') {
    throw rangeError('direction', options.direction, '"positive" or "negative"');
  }
  const directions: Direction[] =
    options.direction !== undefined ? [options.direction] : config.directionMode === 'both' ? ['positive', 'negative'] : [neededDirection(scenario)];
  const observed = options.observedRho ?? scenario.observedRho;
  return {
    results: directions.map((d) => scenarioResult(scenario, d, config, observed, rhos)),
    provenance: provenance(config, 'typescript'),
  };
}

/** One row of {@link asymptoticGrid}. */
export interface AsymptoticGridRow extends Omit<AsymptoticResult, 'caseId'> {
  /** Study case (1-4). */
  case: number;
}

/**
 * The asymptotic table of the study grid (88 scenarios in grid order, filtered by cases /
 * kValues / shapes; one row per direction of directionMode). Unless `tieCorrection` is given,
 * both modes are reported (`none` and `fhp`) so the reference's numbers sit next to the right ones.
 */
export function asymptoticGrid(options: AsymptoticOptions = {}): {
  /** One row per scenario and direction, in grid order. */
  rows: AsymptoticGridRow[];
  /** Seed, configuration, version and engine behind the results. */
  provenance: Provenance;
} {
  options = formulaOptions(options);
  const config = resolveConfig({ ...options, tieCorrection: options.tieCorrection ?? 'both' }, EXTRA_KEYS);
  const rhos = checkRhos(options.rhos);
  const rows: AsymptoticGridRow[] = [];
  for (const scenario of studyScenarios({ cases: config.cases, kValues: config.kValues, shapes: config.shapes })) {
    const directions: Direction[] = config.directionMode === 'both' ? ['positive', 'negative'] : [neededDirection(scenario)];
    for (const d of directions) {
      const { caseId, ...rest } = scenarioResult(scenario, d, config, scenario.observedRho, rhos);
      rows.push({ case: caseId as number, ...rest });
    }
  }
  return { rows, provenance: provenance(config, 'typescript') };
}
