/**
 * Scenarios (docs/methods.md, "Data model"): a tie structure of x plus the y scale it is simulated with. A scenario is a
 * study case with (k, shape) from the frequency table, a case with custom counts, a case's
 * all-distinct baseline, or a user's own study (n, counts, y median/IQR) beyond the four cases.
 * @module
 */
import type { Shape } from './config';
import { SpearsimError, rangeError, typeError } from './errors';
import type { StreamIdentity } from './streams';
import { STUDY, frequencyCounts, studyCase } from './study/data';
import { correlation, tieCounts } from './internal/validate';
import { checkLogNormalRange } from './lognormal';
import { unknownOptionError } from './config';

/** Largest n the exact Spearman arithmetic supports (native/ranks.hpp kMaxExactN). */
export const MAX_N = 200000;

/** The x tie structure: ordered group sizes, ascending x (all-distinct = n ones). */
export interface TieStructure {
  /** Sample size. */
  readonly n: number;
  /** x group sizes in ascending x order, summing to n. */
  readonly counts: readonly number[];
  /** Whether x has no ties (counts all 1). */
  readonly allDistinct: boolean;
}

/** Shape label of a scenario. */
export type ScenarioShape = Shape | 'custom' | 'all_distinct';

/** A fully resolved scenario. */
export interface Scenario extends TieStructure {
  /** Study case id (1-4), or null for a user's own study. */
  readonly caseId: number | null;
  /** Number of distinct x values (n for all-distinct). */
  readonly k: number;
  /** Frequency shape, `custom` (own counts) or `all_distinct`. */
  readonly shape: ScenarioShape;
  /** y median and IQR of the log-normal fit (docs/methods.md, "Generators"); only y values depend on them. */
  readonly yMedian: number;
  /** y interquartile range (0 allowed for own studies). */
  readonly yIqr: number;
  /** Observed rho (the default CI target), or null if unknown. */
  readonly observedRho: number | null;
  /** One-line description, e.g. "Case 3 (B-Al, outliers excluded), N=73, k=4, even". */
  readonly description: string;
}

/** A study case with k and a shape of the frequency table. */
export interface CaseShapeSpec {
  /** Study case id (1-4). */
  case: number;
  /** Number of distinct x values (a k of the frequency table). */
  k: number;
  /** Frequency shape of the table row. */
  shape: Shape;
}
/** A study case with custom counts (positive integers summing to the case's n, ascending x). */
export interface CaseCountsSpec {
  /** Study case id (1-4). */
  case: number;
  /** x group sizes in ascending x order (at least 2, summing to the case's n). */
  counts: readonly number[];
}
/** A study case's all-distinct baseline. */
export interface CaseAllDistinctSpec {
  /** Study case id (1-4). */
  case: number;
  /** Selects the all-distinct baseline. */
  allDistinct: true;
}
/** A user's own study: exactly one of counts or allDistinct. */
export interface OwnStudySpec {
  /** Sample size, an integer in [3, 200000]. */
  n: number;
  /** x group sizes in ascending x order (at least 2, summing to n). */
  counts?: readonly number[];
  /** `true` for no ties in x (instead of counts). */
  allDistinct?: boolean;
  /** y median (> 0) for the log-normal fit of y. */
  yMedian: number;
  /** y interquartile range (>= 0) for the log-normal fit of y. */
  yIqr: number;
  /** Observed rho in [-1, 1], the default CI target (optional). */
  observedRho?: number;
  /** Name used in the scenario description (default "Own study"). */
  label?: string;
}
/** Anything {@link makeScenario} accepts. */
export type ScenarioSpec = CaseShapeSpec | CaseCountsSpec | CaseAllDistinctSpec | OwnStudySpec;

/** Validates a count list for a study of size n (k >= 2 so that Spearman exists). */
function checkCounts(counts: unknown, n: number, owner: string): readonly number[] {
  return Object.freeze([...tieCounts(counts, n, owner, 2)]);
}

function allOnes(n: number): readonly number[] {
  return Object.freeze(new Array<number>(n).fill(1));
}

function positiveNumber(option: string, value: unknown, allowZero: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw rangeError(option, value, allowZero ? 'a finite number >= 0' : 'a finite number > 0');
  }
  return value;
}

function optionalRho(value: unknown): number | null {
  if (value === undefined) return null;
  return correlation('observedRho', value);
}

/** Keys of a study-case specification and of an own-study one. */
const CASE_KEYS: readonly string[] = ['case', 'k', 'shape', 'counts', 'allDistinct'];
const OWN_STUDY_KEYS: readonly string[] = ['n', 'counts', 'allDistinct', 'yMedian', 'yIqr', 'observedRho', 'label'];

function fromCase(spec: Record<string, unknown>): Scenario {
  const c = studyCase(spec.case as number);
  const base = { caseId: c.id, n: c.n, yMedian: c.yMedian, yIqr: c.yIqr, observedRho: c.observedRho };
  const title = `Case ${c.id} (${c.label}), N=${c.n}`;
  const modes = ['k', 'counts', 'allDistinct'].filter((key) => spec[key] !== undefined && spec[key] !== false);
  if (modes.length !== 1) {
    throw new SpearsimError('ERR_INVALID_TYPE', `a case scenario needs exactly one of k + shape, counts, allDistinct; received ${modes.length === 0 ? 'none' : modes.join(' + ')}`, {
      option: 'scenario',
      expected: 'exactly one of k + shape, counts, allDistinct',
    });
  }
  if (spec.allDistinct !== undefined && spec.allDistinct !== false) {
    if (spec.allDistinct !== true) throw typeError('allDistinct', spec.allDistinct, 'true');
    return Object.freeze({ ...base, k: c.n, shape: 'all_distinct', counts: allOnes(c.n), allDistinct: true, description: `${title}, all distinct` });
  }
  if (spec.counts !== undefined) {
    const counts = checkCounts(spec.counts, c.n, `case ${c.id}`);
    return Object.freeze({ ...base, k: counts.length, shape: 'custom', counts, allDistinct: false, description: `${title}, custom freq [${counts.join(', ')}]` });
  }
  const k = spec.k as number;
  const shape = spec.shape as Shape;
  if (!STUDY.kValues.includes(k)) throw rangeError('k', k, `one of ${STUDY.kValues.join(', ')}`);
  if (!STUDY.shapes.includes(shape)) throw rangeError('shape', shape, `one of ${STUDY.shapes.join(', ')}`);
  return Object.freeze({ ...base, k, shape, counts: frequencyCounts(c.n, k, shape), allDistinct: false, description: `${title}, k=${k}, ${shape}` });
}

function fromOwnStudy(spec: Record<string, unknown>): Scenario {
  const n = spec.n;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 3 || n > MAX_N) throw rangeError('n', n, `an integer in [3, ${MAX_N}]`);
  const yMedian = positiveNumber('yMedian', spec.yMedian, false);
  const yIqr = positiveNumber('yIqr', spec.yIqr, true);
  checkLogNormalRange(yMedian, yIqr, { median: 'yMedian', iqr: 'yIqr' });
  const observedRho = optionalRho(spec.observedRho);
  if (spec.label !== undefined && typeof spec.label !== 'string') throw typeError('label', spec.label, 'a string');
  const title = `${(spec.label as string | undefined) ?? 'Own study'}, N=${n}`;
  const base = { caseId: null, n, yMedian, yIqr, observedRho };
  const wantsDistinct = spec.allDistinct === true;
  if (spec.allDistinct !== undefined && typeof spec.allDistinct !== 'boolean') throw typeError('allDistinct', spec.allDistinct, 'a boolean');
  if (wantsDistinct === (spec.counts !== undefined)) {
    throw new SpearsimError('ERR_INVALID_TYPE', 'an own-study scenario needs exactly one of counts or allDistinct: true', {
      option: 'scenario',
      expected: 'exactly one of counts, allDistinct',
    });
  }
  if (wantsDistinct) {
    return Object.freeze({ ...base, k: n, shape: 'all_distinct', counts: allOnes(n), allDistinct: true, description: `${title}, all distinct` });
  }
  const counts = checkCounts(spec.counts, n, 'the study');
  return Object.freeze({ ...base, k: counts.length, shape: 'custom', counts, allDistinct: false, description: `${title}, freq [${counts.join(', ')}]` });
}

// Scenarios made here, so APIs can accept either a scenario or its specification.
const resolved = new WeakSet<object>();

/**
 * Resolves a scenario specification. Errors name the option at fault; bad counts throw
 * ERR_INVALID_COUNTS ("counts sum to S, but case C has n=N").
 */
export function makeScenario(spec: ScenarioSpec): Scenario {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw typeError('scenario', spec, 'an object');
  const s = spec as unknown as Record<string, unknown>;
  // a misspelt key (observedRh0) must not be dropped silently
  const known = s.case !== undefined ? CASE_KEYS : OWN_STUDY_KEYS;
  for (const key of Object.keys(s)) {
    if (!known.includes(key) && !(s.case !== undefined && OWN_STUDY_KEYS.includes(key))) throw unknownOptionError(key, known, (k) => `scenario key "${k}"`);
  }
  let out: Scenario;
  if (s.case !== undefined) {
    if (s.n !== undefined || s.yMedian !== undefined || s.yIqr !== undefined) {
      throw new SpearsimError('ERR_INVALID_TYPE', 'a scenario is either a study case (case) or an own study (n, yMedian, yIqr), not both', {
        option: 'scenario',
      });
    }
    out = fromCase(s);
  } else {
    out = fromOwnStudy(s);
  }
  resolved.add(out);
  return out;
}

/** A scenario made by {@link makeScenario}, or the scenario of a specification. */
export function resolveScenario(input: Scenario | ScenarioSpec): Scenario {
  return input !== null && typeof input === 'object' && resolved.has(input) ? (input as Scenario) : makeScenario(input as ScenarioSpec);
}

/** Filters of the study grid (docs/methods.md, "Data model"). */
export interface GridFilter {
  /** Case ids to keep (default all). */
  cases?: readonly number[];
  /** k values of the tied scenarios to keep (default all; baselines are always kept). */
  kValues?: readonly number[];
  /** Shapes of the tied scenarios to keep (default all; baselines are always kept). */
  shapes?: readonly Shape[];
}

/**
 * The study grid in grid order (docs/methods.md, "Data model"): per case, its tied scenarios (k, then shape) followed by its
 * all-distinct baseline (88 without filters). Filters never change a scenario, only the list.
 */
export function studyScenarios(filter: GridFilter = {}): Scenario[] {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) throw typeError('filter', filter, 'an object { cases?, kValues?, shapes? }');
  for (const key of ['cases', 'kValues', 'shapes'] as const) {
    if (filter[key] !== undefined && !Array.isArray(filter[key])) throw typeError(key, filter[key], 'an array');
  }
  const out: Scenario[] = [];
  for (const c of STUDY.cases) {
    if (filter.cases && !filter.cases.includes(c.id)) continue;
    for (const k of STUDY.kValues) {
      if (filter.kValues && !filter.kValues.includes(k)) continue;
      for (const shape of STUDY.shapes) {
        if (filter.shapes && !filter.shapes.includes(shape)) continue;
        out.push(makeScenario({ case: c.id, k, shape }));
      }
    }
    out.push(makeScenario({ case: c.id, allDistinct: true }));
  }
  return out;
}

/** Identity fields of a tie structure for stream keys (docs/methods.md, "Departures from the reference"). */
export function structureIdentity(s: TieStructure): StreamIdentity {
  return { n: s.n, counts: s.counts, allDistinct: s.allDistinct };
}

/**
 * Sorted x template (docs/methods.md, "Data model"): grid g_j = lo + j (hi - lo)/(k - 1) over the study's x range,
 * g_j repeated counts[j] times; all-distinct = n equally spaced values.
 */
export function xTemplate(s: TieStructure): Float64Array {
  const [lo, hi] = STUDY.xRange;
  const k = s.counts.length;
  const out = new Float64Array(s.n);
  let at = 0;
  s.counts.forEach((c, j) => {
    out.fill(lo + (j * (hi - lo)) / (k - 1), at, at + c);
    at += c;
  });
  return out;
}

/** Scenario fields echoed in results. */
export interface ScenarioSummary {
  /** Study case (1-4), or null for an own study. */
  caseId: number | null;
  /** Sample size. */
  n: number;
  /** Distinct x values (n when all distinct). */
  k: number;
  /** Frequency shape, `custom` or `all_distinct`. */
  shape: string;
  /** x group sizes in ascending x order. */
  counts: readonly number[];
  /** Whether x has no ties. */
  allDistinct: boolean;
  /** One-line description, e.g. "Case 3 (...), N=73, k=4, even". */
  description: string;
}

/** The fields of a scenario that results echo. */
export function scenarioSummary(s: Scenario): ScenarioSummary {
  return { caseId: s.caseId, n: s.n, k: s.k, shape: s.shape, counts: s.counts, allDistinct: s.allDistinct, description: s.description };
}
