/**
 * The types of planning your own study: a design (sample size, x tie structure, y model) and the
 * answers to the questions asked of it. Every Monte Carlo number carries its Monte Carlo error,
 * every simulated answer an asymptotic (closed-form) one beside it. docs/methods.md, "Planning
 * your own study".
 * @module
 */
import type { GeneratorName } from '../config';
import type { Provenance } from '../provenance';

/** Sidedness of the test of rho = 0. */
export type DesignAlternative = 'two-sided' | 'greater' | 'less';

/** The questions a design answers (`spearsim design --solve ...`). */
export type DesignQuestion = 'power' | 'mdr' | 'n' | 'ci' | 'ci-width';

/** How x is tied: group sizes at one n, proportions rescaled to any n, or a pilot column's. */
export type XModelSpec = XCountsSpec | XProportionsSpec | XPilotSpec;
/** x as group sizes in ascending x order (the design's n defaults to their sum). */
export interface XCountsSpec {
  /** Group sizes, at least 2 positive integers. */
  counts: readonly number[];
}
/** x as group proportions, rescaled to any n. */
export interface XProportionsSpec {
  /** Proportions > 0 summing to 1 (within 1e-9), ascending x. */
  proportions: readonly number[];
}
/** x as a pilot data column: its tie proportions (the design's n defaults to its size). */
export interface XPilotSpec {
  /** The pilot values (at least 3, at least 2 distinct). */
  pilot: readonly number[];
  /** Where they came from, for descriptions. */
  source?: string;
}

/** How y is modelled: continuous (no ties), ordinal with fixed level proportions, or a pilot pool. */
export type YModelSpec = YContinuousSpec | YOrdinalSpec | YPilotSpec;
/** Continuous y (no ties). */
export interface YContinuousSpec {
  /** The y model. */
  kind: 'continuous';
}
/** Ordinal y: a fixed margin of level proportions, rescaled to any n like x's. */
export interface YOrdinalSpec {
  /** The y model. */
  kind: 'ordinal';
  /** Level proportions > 0 summing to 1, ascending levels. */
  proportions: readonly number[];
}
/** A pilot sample of y, the empirical pool (resampled to n with replacement, ties kept). */
export interface YPilotSpec {
  /** The y model. */
  kind: 'pilot';
  /** The pilot values (at least 3, at least 2 distinct). */
  values: readonly number[];
  /** Where they came from, for descriptions. */
  source?: string;
}

/** What {@link makeDesign} accepts. */
export interface DesignSpec {
  /** Sample size, or the search range [lo, hi] of n (default range [3, 5000] for the n solvers). */
  n?: number | readonly [number, number];
  /** x tie structure (required). */
  x: XModelSpec;
  /** y model (default continuous). */
  y?: YModelSpec;
  /** Name used in descriptions (default "Own study"). */
  label?: string;
}

/** A resolved design: the x and y margins as proportions, rescalable to any n. */
export interface Design {
  /** Sample size of power, mdr and ci: as given, else the counts' sum or the pilot's size (null for proportions alone). */
  readonly n: number | null;
  /** Search range of n for the n solvers. */
  readonly nRange: readonly [number, number];
  /** How x was given. */
  readonly xSource: 'counts' | 'proportions' | 'pilot';
  /** x group proportions in ascending x order (counts / n when counts were given). */
  readonly xProportions: readonly number[];
  /** x counts as given, or the pilot column's tie counts (null for proportions); the proportions are their exact ratios. */
  readonly xCounts: readonly number[] | null;
  /** y model. */
  readonly yKind: 'continuous' | 'ordinal' | 'pilot';
  /** Ordinal y: level proportions in ascending order. */
  readonly yProportions: readonly number[] | null;
  /** Pilot y: the pool values (sorted). */
  readonly yPool: readonly number[] | null;
  /** Where pilot data came from (file and column), when given. */
  readonly sources: DesignSources;
  /** One-line description. */
  readonly description: string;
}

/** Where a design's pilot data came from. */
export interface DesignSources {
  /** Pilot x ("file:column"). */
  x?: string;
  /** Pilot y ("file:column"). */
  y?: string;
}

/** The design's margins at one n (largest-remainder rounding, every group at least 1). */
export interface DesignAtN {
  /** Sample size. */
  n: number;
  /** x counts used at n. */
  counts: number[];
  /** Ordinal y: level counts used at n (null otherwise). */
  yCounts: number[] | null;
}

/** How the simulated answers were computed. */
export interface DesignMethod {
  /** y generator requested. */
  generator: GeneratorName;
  /** Generator simulated (ordinal and pilot y run the pool variant of the generator: empirical, copula-pool, linear-pool). */
  engineGenerator: GeneratorName;
  /** Test sidedness. */
  alternative: DesignAlternative;
  /** Significance level. */
  alpha: number;
  /** Simulated datasets per power evaluation. */
  nSims: number;
  /** Permutations of the precomputed null. */
  nPre: number;
  /** Which null the p-values come from: both margins fixed, x only (y untied), or x only for a pilot pool. */
  nullKind: 'x-and-y-margins' | 'x-margin';
}

/** Power at one (n, rho), simulated with its Monte Carlo SE, and asymptotic. */
export interface DesignPowerPoint {
  /** Sample size. */
  n: number;
  /** True (target) Spearman rho. */
  rho: number;
  /** x counts at n. */
  counts: number[];
  /** Ordinal y level counts at n (null otherwise). */
  yCounts: number[] | null;
  /** Rejection rate over nSims datasets. */
  power: number;
  /** Binomial Monte Carlo SE sqrt(power (1 - power) / nSims). */
  powerSe: number;
  /** Mean Spearman rho of the simulated (tied) datasets. */
  realisedMeanRho: number;
  /** Calibrated generator input. */
  rhoIn: number;
  /** Closed-form power (non-central t, no tie inflation). */
  asymptoticPower: number;
}

/** Common fields of every design answer. */
export interface DesignResultBase {
  /** The question answered. */
  question: DesignQuestion;
  /** The design asked. */
  design: Design;
  /** How the simulated answers were computed. */
  method: DesignMethod;
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}

/** `--solve power`: power at each (n, rho). The first point's power is repeated at the top level. */
export interface DesignPowerResult extends DesignResultBase {
  /** The question answered. */
  question: 'power';
  /** Power at every (n, rho) asked, n-major. */
  points: DesignPowerPoint[];
  /** n of the first point. */
  n: number;
  /** rho of the first point. */
  rho: number;
  /** x counts of the first point. */
  counts: number[];
  /** Power of the first point. */
  power: number;
  /** Its binomial Monte Carlo SE. */
  powerSe: number;
  /** Its closed-form power. */
  asymptoticPower: number;
}

/** One evaluation of a search over rho. */
export interface RhoStep {
  /** Signed rho evaluated. */
  rho: number;
  /** Simulated power there. */
  power: number;
  /** Its binomial SE. */
  powerSe: number;
}

/** One power evaluation of a search over n. */
export interface NStep {
  /** Sample size evaluated. */
  n: number;
  /** Simulated power there. */
  power: number;
  /** Its binomial SE. */
  powerSe: number;
}

/** One CI evaluation of a search over n. */
export interface HalfWidthStep {
  /** Sample size evaluated. */
  n: number;
  /** Expected half-width there. */
  meanHalfWidth: number;
  /** Its Monte Carlo SE. */
  meanHalfWidthSe: number;
}

/** `--solve mdr`: the smallest |rho| with power >= target at n. */
export interface DesignMdrResult extends DesignResultBase {
  /** The question answered. */
  question: 'mdr';
  /** Sample size. */
  n: number;
  /** x counts at n. */
  counts: number[];
  /** Power the answer reaches. */
  targetPower: number;
  /** Signed minimum detectable rho. */
  minDetectableRho: number;
  /** Its Monte Carlo SE: powerSe at the answer over the power curve's slope there. */
  minDetectableRhoSe: number;
  /** Power at the answer. */
  power: number;
  /** Its binomial SE. */
  powerSe: number;
  /** Closed-form minimum detectable rho. */
  asymptoticMinDetectableRho: number;
  /** Every evaluation of the search, in order. */
  steps: RhoStep[];
}

/** `--solve n`: the smallest n with power >= target at rho. */
export interface DesignNResult extends DesignResultBase {
  /** The question answered. */
  question: 'n';
  /** The answer (null when unreachable within nRange). */
  n: number | null;
  /** Whether the target was reached within nRange. */
  reachable: boolean;
  /** True rho. */
  rho: number;
  /** Power to reach. */
  targetPower: number;
  /** x counts used at n (at the best n tried when unreachable). */
  counts: number[];
  /** Ordinal y level counts used at n (null otherwise). */
  yCounts: number[] | null;
  /** Power at n (the best power found when unreachable). */
  power: number;
  /** Its binomial SE. */
  powerSe: number;
  /** Power at n - 1 (null when n is the range's lower end or unreachable). */
  powerAtNMinus1: number | null;
  /** Its binomial SE. */
  powerAtNMinus1Se: number | null;
  /** Monte Carlo SE of n: powerSe over the power curve's slope in n. */
  nSe: number | null;
  /** Closed-form smallest n (null when beyond nRange). */
  asymptoticN: number | null;
  /** Every evaluation of the search, in order. */
  steps: NStep[];
}

/** Expected bootstrap CI at one n. */
export interface DesignCiPoint {
  /** Sample size. */
  n: number;
  /** x counts at n. */
  counts: number[];
  /** True rho. */
  rho: number;
  /** Mean lower end over reps. */
  ciLower: number;
  /** Mean upper end over reps. */
  ciUpper: number;
  /** Monte Carlo SE of the mean lower end (SD over reps / sqrt(reps)). */
  ciLowerSe: number;
  /** Monte Carlo SE of the mean upper end. */
  ciUpperSe: number;
  /** Mean width (ciUpper - ciLower). */
  meanWidth: number;
  /** Its Monte Carlo SE (SD of the widths over reps / sqrt(reps)). */
  meanWidthSe: number;
  /** Closed-form Fisher-z interval. */
  asymptoticCi: [number, number];
  /** Simulated datasets. */
  nReps: number;
  /** Bootstrap resamples per dataset. */
  nBoot: number;
}

/** `--solve ci`. */
export interface DesignCiResult extends DesignResultBase, DesignCiPoint {
  /** The question answered. */
  question: 'ci';
}

/** `--solve ci-width`: the smallest n whose expected CI half-width is <= h. */
export interface DesignCiWidthResult extends DesignResultBase {
  /** The question answered. */
  question: 'ci-width';
  /** The answer (null when unreachable within nRange). */
  n: number | null;
  /** Whether the half-width was reached within nRange. */
  reachable: boolean;
  /** True rho. */
  rho: number;
  /** Target half-width. */
  halfWidth: number;
  /** x counts at n (at the range's top when unreachable). */
  counts: number[];
  /** Expected half-width at n. */
  meanHalfWidth: number;
  /** Its Monte Carlo SE. */
  meanHalfWidthSe: number;
  /** Expected half-width at n - 1 (null when n is the range's lower end or unreachable). */
  meanHalfWidthAtNMinus1: number | null;
  /** Its Monte Carlo SE. */
  meanHalfWidthAtNMinus1Se: number | null;
  /** Closed-form smallest n (Fisher z). */
  asymptoticN: number | null;
  /** Every evaluation of the search, in order. */
  steps: HalfWidthStep[];
}

/** Any design answer. */
export type DesignResult = DesignPowerResult | DesignMdrResult | DesignNResult | DesignCiResult | DesignCiWidthResult;

/** Power over a grid of n and of rho (every cell simulated and closed-form), for curves and plots. */
export interface DesignPowerGrid {
  /** The design. */
  design: Design;
  /** How the cells were computed. */
  method: DesignMethod;
  /** Sample sizes of the grid. */
  ns: number[];
  /** True rhos of the grid. */
  rhos: number[];
  /** Row-major: points[i * rhos.length + j] is (ns[i], rhos[j]). */
  points: DesignPowerPoint[];
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}
