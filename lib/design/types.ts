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
export type XModelSpec =
  | { counts: readonly number[] }
  | { proportions: readonly number[] }
  | { pilot: readonly number[]; source?: string };

/** How y is modelled: continuous (no ties), ordinal with fixed level proportions, or a pilot pool. */
export type YModelSpec = { kind: 'continuous' } | { kind: 'ordinal'; proportions: readonly number[] } | { kind: 'pilot'; values: readonly number[]; source?: string };

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
  readonly sources: { x?: string; y?: string };
  /** One-line description. */
  readonly description: string;
}

/** The design's margins at one n (largest-remainder rounding, every group at least 1). */
export interface DesignAtN {
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
  /** Generator simulated (ordinal and pilot y run the rank-mixing generator with a y pool). */
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
  n: number;
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
  question: DesignQuestion;
  design: Design;
  method: DesignMethod;
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}

/** `--solve power`: power at each (n, rho). The first point's power is repeated at the top level. */
export interface DesignPowerResult extends DesignResultBase {
  question: 'power';
  points: DesignPowerPoint[];
  n: number;
  rho: number;
  counts: number[];
  power: number;
  powerSe: number;
  asymptoticPower: number;
}

/** `--solve mdr`: the smallest |rho| with power >= target at n. */
export interface DesignMdrResult extends DesignResultBase {
  question: 'mdr';
  n: number;
  counts: number[];
  targetPower: number;
  /** Signed minimum detectable rho. */
  minDetectableRho: number;
  /** Its Monte Carlo SE: powerSe at the answer over the power curve's slope there. */
  minDetectableRhoSe: number;
  /** Power at the answer and its SE. */
  power: number;
  powerSe: number;
  /** Closed-form minimum detectable rho. */
  asymptoticMinDetectableRho: number;
  /** Every evaluation of the search. */
  steps: Array<{ rho: number; power: number; powerSe: number }>;
}

/** `--solve n`: the smallest n with power >= target at rho. */
export interface DesignNResult extends DesignResultBase {
  question: 'n';
  /** The answer (null when unreachable within nRange). */
  n: number | null;
  /** Whether the target was reached within nRange. */
  reachable: boolean;
  rho: number;
  targetPower: number;
  /** x counts used at n (at the best n tried when unreachable). */
  counts: number[];
  yCounts: number[] | null;
  /** Power at n (the best power found when unreachable) and its SE. */
  power: number;
  powerSe: number;
  /** Power at n - 1 and its SE (null when n is the range's lower end or unreachable). */
  powerAtNMinus1: number | null;
  powerAtNMinus1Se: number | null;
  /** Monte Carlo SE of n: powerSe over the power curve's slope in n. */
  nSe: number | null;
  /** Closed-form smallest n (null when beyond nRange). */
  asymptoticN: number | null;
  /** Every evaluation of the search, in order. */
  steps: Array<{ n: number; power: number; powerSe: number }>;
}

/** Expected bootstrap CI at one n. */
export interface DesignCiPoint {
  n: number;
  counts: number[];
  rho: number;
  ciLower: number;
  ciUpper: number;
  /** Monte Carlo SEs of the mean ends (SD over reps / sqrt(nReps)). */
  ciLowerSe: number;
  ciUpperSe: number;
  /** Mean width (ciUpper - ciLower) and its SE over reps. */
  meanWidth: number;
  meanWidthSe: number;
  /** Closed-form Fisher-z interval. */
  asymptoticCi: [number, number];
  nReps: number;
  nBoot: number;
}

/** `--solve ci`. */
export interface DesignCiResult extends DesignResultBase, DesignCiPoint {
  question: 'ci';
}

/** `--solve ci-width`: the smallest n whose expected CI half-width is <= h. */
export interface DesignCiWidthResult extends DesignResultBase {
  question: 'ci-width';
  n: number | null;
  reachable: boolean;
  rho: number;
  halfWidth: number;
  counts: number[];
  /** Expected half-width at n and its SE. */
  meanHalfWidth: number;
  meanHalfWidthSe: number;
  /** At n - 1 (null when not evaluated). */
  meanHalfWidthAtNMinus1: number | null;
  meanHalfWidthAtNMinus1Se: number | null;
  /** Closed-form smallest n (Fisher z). */
  asymptoticN: number | null;
  steps: Array<{ n: number; meanHalfWidth: number; meanHalfWidthSe: number }>;
}

/** Any design answer. */
export type DesignResult = DesignPowerResult | DesignMdrResult | DesignNResult | DesignCiResult | DesignCiWidthResult;

/** Power over a grid of n and of rho (every cell simulated and closed-form), for curves and plots. */
export interface DesignPowerGrid {
  design: Design;
  method: DesignMethod;
  ns: number[];
  rhos: number[];
  /** Row-major: points[i * rhos.length + j] is (ns[i], rhos[j]). */
  points: DesignPowerPoint[];
  provenance: Provenance;
}
