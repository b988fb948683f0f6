/**
 * The Karwowski et al. (2018) study data shipped with the package (`karwowski.json`, docs/methods.md, "Data model"):
 * the four cases, the x grid range and the frequency table of tie structures. The file is
 * validated when this module loads, so a damaged copy fails loudly instead of simulating the
 * wrong structures.
 * @module
 */
import raw from '../karwowski.json';
import type { Shape } from '../config';
import { SpearsimError, rangeError } from '../errors';

/** One study case (docs/methods.md, "Data model", Table 3 summaries). */
export interface StudyCase {
  /** 1-4. */
  readonly id: number;
  /** Case description, e.g. "B-Al, no outliers excluded". */
  readonly label: string;
  /** `B-Al` or `H-Al`. */
  readonly analyte: string;
  /** Sample size (73-82). */
  readonly n: number;
  /** y median and IQR: feed only the log-normal fit of y values (docs/methods.md, "Generators"). */
  readonly yMedian: number;
  /** y interquartile range (same units as the median). */
  readonly yIqr: number;
  /** Observed Spearman rho: the CI target and the sign of the power search direction. */
  readonly observedRho: number;
  /** Reported p-value of the observed rho. */
  readonly observedP: number;
  /** Direction of the power search (the sign of the observed rho). */
  readonly searchDirection: 'positive' | 'negative';
}

/** The validated study data. */
export interface StudyData {
  /** The four study cases (ids 1-4), in file order. */
  readonly cases: readonly StudyCase[];
  /** Endpoints of the equally spaced x grid (mg). */
  readonly xRange: readonly [number, number];
  /** Numbers of distinct x values of the tied scenarios, in grid order. */
  readonly kValues: readonly number[];
  /** Frequency shapes, in grid order. */
  readonly shapes: readonly Shape[];
  /** Calibration constants (docs/methods.md, "Calibration"). */
  readonly calibration: {
    /** Base seed of the calibration datasets (99). */
    readonly seed: number;
    /** Probe targets of multipoint calibration (0.1 to 0.5). */
    readonly multipointProbes: readonly number[];
    /** Probe target of single-point calibration (0.3). */
    readonly singleProbe: number;
    /** Maximum bisection steps per probe (25). */
    readonly maxIter: number;
    /** Bisection stops when the bracket is narrower than this (5e-5). */
    readonly tolerance: number;
    /** Largest generator input tried (0.999). */
    readonly hiCap: number;
  };
}

function invalid(what: string): SpearsimError {
  return new SpearsimError('ERR_INTERNAL', `lib/karwowski.json is damaged: ${what}`);
}

function field(o: unknown, name: string): unknown {
  if (o === null || typeof o !== 'object') throw invalid(`expected an object holding "${name}"`);
  return (o as Record<string, unknown>)[name];
}

function num(o: unknown, name: string): number {
  const v = field(o, name);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`"${name}" must be a finite number`);
  return v;
}

function numList(o: unknown, name: string): number[] {
  const v = field(o, name);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw invalid(`"${name}" must be a list of numbers`);
  }
  return v as number[];
}

function str(o: unknown, name: string): string {
  const v = field(o, name);
  if (typeof v !== 'string') throw invalid(`"${name}" must be a string`);
  return v;
}

const SHAPE_NAMES: readonly Shape[] = ['even', 'heavy_tail', 'heavy_center'];

function loadStudy(data: unknown): { study: StudyData; table: Map<string, readonly number[]> } {
  const casesRaw = field(data, 'cases');
  if (!Array.isArray(casesRaw) || casesRaw.length === 0) throw invalid('"cases" must be a non-empty list');
  const cases = casesRaw.map((c: unknown): StudyCase => {
    const direction = str(c, 'search_direction');
    if (direction !== 'positive' && direction !== 'negative') throw invalid(`search_direction "${direction}"`);
    const out: StudyCase = {
      id: num(c, 'id'),
      label: str(c, 'label'),
      analyte: str(c, 'analyte'),
      n: num(c, 'n'),
      yMedian: num(c, 'median'),
      yIqr: num(c, 'iqr'),
      observedRho: num(c, 'observed_rho'),
      observedP: num(c, 'observed_p'),
      searchDirection: direction,
    };
    if (!Number.isInteger(out.n) || out.n < 3) throw invalid(`case ${out.id}: n = ${out.n}`);
    return Object.freeze(out);
  });
  const range = numList(field(data, 'x_params'), 'range');
  if (range.length !== 2 || !(range[0]! < range[1]!)) throw invalid('x_params.range must be [lo, hi] with lo < hi');
  const kValues = numList(data, 'n_distinct_values');
  const shapes = field(data, 'distribution_types');
  if (!Array.isArray(shapes) || shapes.length !== SHAPE_NAMES.length || !SHAPE_NAMES.every((s, i) => shapes[i] === s)) {
    throw invalid(`distribution_types must be ${SHAPE_NAMES.join(', ')}`);
  }

  // every count list: length k, positive integers summing to n (docs/methods.md, "Data model")
  const freq = field(data, 'freq_table');
  const table = new Map<string, readonly number[]>();
  for (const c of cases) {
    for (const k of kValues) {
      for (const shape of SHAPE_NAMES) {
        const counts = field(field(field(freq, String(c.n)), String(k)), shape);
        const ok =
          Array.isArray(counts) &&
          counts.length === k &&
          counts.every((v) => Number.isInteger(v) && (v as number) > 0) &&
          (counts as number[]).reduce((a, b) => a + b, 0) === c.n;
        if (!ok) throw invalid(`freq_table[${c.n}][${k}][${shape}] must be ${k} positive integers summing to ${c.n}`);
        table.set(tableKey(c.n, k, shape), Object.freeze([...(counts as number[])]));
      }
    }
  }

  const defaults = field(data, 'defaults');
  const study: StudyData = {
    cases: Object.freeze(cases),
    xRange: Object.freeze([range[0]!, range[1]!] as const),
    kValues: Object.freeze([...kValues]),
    shapes: SHAPE_NAMES,
    calibration: Object.freeze({
      seed: num(defaults, 'calibration_seed'),
      multipointProbes: Object.freeze(numList(defaults, 'calibration_multipoint_probes')),
      singleProbe: num(defaults, 'calibration_single_probe'),
      maxIter: num(defaults, 'calibration_bisection_max_iter'),
      tolerance: num(defaults, 'calibration_bisection_tol'),
      hiCap: num(defaults, 'calibration_hi_cap'),
    }),
  };
  return { study: Object.freeze(study), table };
}

function tableKey(n: number, k: number, shape: Shape): string {
  return `${n}/${k}/${shape}`;
}

const loaded = loadStudy(raw);

/** The study data (validated at load). */
export const STUDY: StudyData = loaded.study;

/** Study case `id` (1-4). */
export function studyCase(id: number): StudyCase {
  const found = STUDY.cases.find((c) => c.id === id);
  if (!found) throw rangeError('case', id, `one of ${STUDY.cases.map((c) => c.id).join(', ')}`);
  return found;
}

/** Count list of the frequency table for (n, k, shape), ascending x. */
export function frequencyCounts(n: number, k: number, shape: Shape): readonly number[] {
  // typeof first: building the key from a Symbol or a null-prototype object would throw a TypeError
  if (typeof n !== 'number') throw rangeError('n', n, `one of the study sizes ${STUDY.cases.map((c) => c.n).join(', ')}`);
  if (typeof k !== 'number') throw rangeError('k', k, `one of ${STUDY.kValues.join(', ')}`);
  if (typeof shape !== 'string') throw rangeError('shape', shape, `one of ${STUDY.shapes.join(', ')}`);
  const counts = loaded.table.get(tableKey(n, k, shape));
  if (!counts) {
    if (!STUDY.kValues.includes(k)) throw rangeError('k', k, `one of ${STUDY.kValues.join(', ')}`);
    if (!STUDY.shapes.includes(shape)) throw rangeError('shape', shape, `one of ${STUDY.shapes.join(', ')}`);
    throw rangeError('n', n, `one of the study sizes ${STUDY.cases.map((c) => c.n).join(', ')}`);
  }
  return counts;
}
