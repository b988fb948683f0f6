/**
 * The configuration object: one schema holds every option's type, valid range, default,
 * environment variable and description. The API, the CLI flags (kebab-case of the keys) and
 * configuration files are all validated and normalised here, once. Longer than ~400 lines on
 * purpose: the schema and the parsers it names are that one validation path, kept together.
 * @module
 */
import * as os from 'node:os';
import { SpearsimError, describeValue, rangeError, throwIfAborted, typeError } from './errors';
import { MAX_BOOT, MAX_CAL, MAX_PERM, MAX_PRE, MAX_REPS, MAX_SIMS } from './kernels/constants';
import { type GeneratorName, generatorNames, generatorTable, stageGeneratorNames } from './kernels/generators/table';
import { DEFAULT_FISHER_VARIANCE, FISHER_VARIANCES, FISHER_VARIANCE_NAMES, type FisherVarianceName } from './fisher-variance/registry';

export type { GeneratorName };
/** Frequency shapes of the study's tie structures. */
export type Shape = 'even' | 'heavy_tail' | 'heavy_center';
/** Calibration of the generator input: 5-probe interpolation, one 0.30 ratio, or none. */
export type CalibrationMode = 'multipoint' | 'single' | 'off';
/** Asymptotic tie handling (docs/methods.md, "Asymptotic methods"): `none` is right for the statistic computed here. */
export type TieCorrection = 'none' | 'fhp' | 'both';
/** Power search directions: the case's needed direction, or both. */
export type DirectionMode = 'needed' | 'both';
/** Named size presets of the study runner. */
export type PresetName = 'quick' | 'standard' | 'tier-0.01' | 'tier-0.002' | 'tier-0.001';
/** Stages of a study run. */
export type StudyStage = 'power' | 'asymptotic' | 'ci';

/** Every option of the package. All are optional in calls; defaults come from {@link OPTION_SCHEMA}. */
export interface Config {
  /** Use the C++ kernels (`true`), the TypeScript fallback (`false`), or fail if the addon cannot load (`'require'`). Mirrors USE_NUMBA. */
  native: boolean | 'require';
  /** Kernel threads (OpenMP). Default: the available cores. */
  threads: number;
  /** Memory budget in bytes for batched buffers (accepts "512MB", "2GiB"). Default: half the free memory. */
  memoryLimit: number;
  /** Resamples per boot-index buffer fill; 0 = as many as memoryLimit allows (results never depend on it). */
  chunkResamples: number;
  /** 0 silent, 1 warnings and progress bars, 2 summary statistics, 3 per-scenario detail. */
  verbose: number;
  /**
   * Batch data generation with rank-only y (`true`) or the per-dataset form with values (noise
   * standardised by the row's own moments). It also gates `batchBootstrap`: with `false`, expected
   * CIs bootstrap one rep per native call whatever `batchBootstrap` says, as in the reference
   * (docs/methods.md, "Generators").
   */
  vectorize: boolean;
  /** One native call for all reps (`true`) or one per rep; results are identical. Applies only when `vectorize` is on. */
  batchBootstrap: boolean;
  /** Base seed; every stream derives from it and the identity of what it feeds. */
  seed: number;
  /** Two-sided significance level / CI miscoverage. */
  alpha: number;
  /** Power the minimum detectable rho must reach. */
  targetPower: number;
  /** Sidedness of the test of rho = 0 in planning your own study (`spearsim design`). */
  alternative: 'two-sided' | 'greater' | 'less';
  /** Target half-width of the expected bootstrap CI (`spearsim design --solve ci-width`). */
  halfWidth: number;
  /** Simulated datasets per power evaluation. */
  nSims: number;
  /** Simulated datasets averaged in an expected bootstrap CI. */
  nReps: number;
  /** Bootstrap resamples per dataset. */
  nBoot: number;
  /** Calibration datasets. */
  nCal: number;
  /** Permutations in a precomputed null distribution. */
  nPre: number;
  /** Per-dataset Monte Carlo permutations; 0 = adaptive (1000 if nSims >= 5000, else 2000). */
  nPerm: number;
  /** Calibration of the generator input. Mirrors CALIBRATION_MODE (`off` = use_calibration false). */
  calibrationMode: CalibrationMode;
  /** Permutation p-values (`true`) or the t approximation. Mirrors USE_PERMUTATION_PVALUE. */
  usePermutationPvalue: boolean;
  /** On a null-cache miss use per-dataset Monte Carlo permutations instead of building the null. */
  pvalueMcOnCacheMiss: boolean;
  /** Empirical generator uses the shared precomputed null (else per-dataset Monte Carlo). */
  empiricalUsePrecomputedNull: boolean;
  /** Asymptotic tie handling: `none` (default), `fhp` (the reference's tie-corrected null variance), or `both`. */
  tieCorrection: TieCorrection;
  /** Variance of Fisher's z in the Fisher-z CI (lib/fisher-variance/registry.ts). */
  fisherVariance: FisherVarianceName;
  /** Power search direction: the case's needed one, or both. Mirrors POWER_SEARCH_DIRECTION. */
  directionMode: DirectionMode;
  /** y generator of a single-scenario call. */
  generator: GeneratorName;
  /** Generators of a study run, in run order. */
  generators: GeneratorName[];
  /** Directory for calibration and null caches; unset = memory only. */
  cacheDir: string | undefined;
  /** Persist caches built in this process to cacheDir. Mirrors SAVE_CACHE_TO_DISK. */
  saveCache: boolean;
  /** Study cases to run (1-4). */
  cases: number[];
  /** Numbers of distinct x values to run (4-10). */
  kValues: number[];
  /** Frequency shapes to run. */
  shapes: Shape[];
  /** Output directory of the study runner. */
  outputDir: string;
  /** Named size preset of the study runner. */
  preset: PresetName | undefined;
  /** Stages of a study run: Monte Carlo power, asymptotic power and CIs, bootstrap CIs. */
  stages: StudyStage[];
  /** Custom x count lists of a study run; each runs for every selected case whose n is its sum, instead of the frequency table. */
  customCounts: number[][];
  /** Include each selected case's all-distinct baseline in a study run. */
  baselines: boolean;
  /** Run only slice i of N of a study ("i/N", 1-based); combine the slices with `spearsim merge`. */
  shard: string | undefined;
  /** Skip the units a previous, interrupted run of the same configuration finished. */
  resume: boolean;
  /** Discard the units an interrupted run left in the output directory and start over (never done without it). */
  fresh: boolean;
  /** Report the time per phase of a study run. */
  profile: boolean;
  /** Units of a study run executed concurrently; `threads` is divided among them (one parallel layer). */
  jobs: number;
  /** Write a self-contained HTML report (inputs, answers with their Monte Carlo error, plots, provenance) to this file. */
  report: string | undefined;
}

/** Schema entry of one option. */
export type OptionSpec =
  | {
      /** An integer in [min, max]. */
      kind: 'integer';
      /** Smallest valid value. */
      min: number;
      /** Largest valid value. */
      max: number;
    }
  | {
      /** A number in [min, max], or (min, max) when exclusive. */
      kind: 'number';
      /** Lower bound. */
      min: number;
      /** Upper bound. */
      max: number;
      /** Whether both bounds are excluded. */
      exclusive?: boolean;
    }
  | {
      /** A boolean (also true/false, 1/0, yes/no, on/off as text). */
      kind: 'boolean';
    }
  | {
      /** `true`, `false` or `"require"`. */
      kind: 'native';
    }
  | {
      /** One of `choices`. */
      kind: 'enum';
      /** The valid values. */
      choices: readonly string[];
    }
  | {
      /** A list of values from `choices`. */
      kind: 'enumList';
      /** The valid values. */
      choices: readonly string[];
    }
  | {
      /** A list of integers in [min, max]. */
      kind: 'integerList';
      /** Smallest valid element. */
      min: number;
      /** Largest valid element. */
      max: number;
    }
  | {
      /** A list of count lists (x group sizes), e.g. "20,20,20,20;10,30,30,10". */
      kind: 'countLists';
    }
  | {
      /** A byte count in [min, max], as a number or a size such as "512MB". */
      kind: 'bytes';
      /** Smallest valid size in bytes. */
      min: number;
      /** Largest valid size in bytes. */
      max: number;
    }
  | {
      /** A string. */
      kind: 'string';
      /** Whether an absent or empty value leaves the option unset. */
      optional?: boolean;
    }
  | {
      /** One of `choices`, or unset. */
      kind: 'optionalEnum';
      /** The valid values. */
      choices: readonly string[];
    };

/** Schema entry with its default, environment variable and help text. */
export type SchemaEntry<T> = OptionSpec & {
  /** Default value, or a function computing it at resolution time (e.g. from the machine). */
  default: T | (() => T);
  /** Environment variable that sets the option, if any. */
  env?: string;
  /** One-line help text. */
  description: string;
};

const MIB = 1024 * 1024;
/** Every registered y generator (lib/kernels/generators/registry.ts). */
const GENERATORS = generatorNames();
/** A study runs the generators of its power stage by default. */
const STUDY_GENERATORS = stageGeneratorNames('power');
const GENERATOR_HELP = generatorTable().map((e) => `${e.name} = ${e.summary}`).join('; ');
const SHAPES = ['even', 'heavy_tail', 'heavy_center'] as const;

function defaultThreads(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length || 1;
}

function defaultMemoryLimit(): number {
  return Math.max(64 * MIB, Math.floor(os.freemem() / 2));
}

/** The schema: type, range, default, environment variable and help of every option. */
export const OPTION_SCHEMA: { readonly [K in keyof Config]: SchemaEntry<Config[K]> } = {
  native: { kind: 'native', default: true, env: 'SPEARSIM_NATIVE', description: 'use the C++ kernels: true, false (TypeScript fallback) or "require"' },
  threads: { kind: 'integer', min: 1, max: 1024, default: defaultThreads, env: 'SPEARSIM_THREADS', description: 'kernel threads' },
  memoryLimit: { kind: 'bytes', min: MIB, max: 2 ** 50, default: defaultMemoryLimit, env: 'SPEARSIM_MEMORY_LIMIT', description: 'memory budget for batched buffers, e.g. 512MB (capped at the machine memory)' },
  chunkResamples: { kind: 'integer', min: 0, max: 256, default: 0, description: 'resamples per boot-index buffer fill (0 = from memoryLimit)' },
  verbose: { kind: 'integer', min: 0, max: 3, default: 1, env: 'SPEARSIM_VERBOSE', description: 'verbosity 0-3' },
  vectorize: { kind: 'boolean', default: true, env: 'SPEARSIM_VECTORIZE', description: 'batch data generation with rank-only y; false generates each dataset on its own (other random datasets, noise scaled by its own moments), which changes the nonparametric results (docs/reproducibility.md), and turns off the batch bootstrap' },
  batchBootstrap: { kind: 'boolean', default: true, env: 'SPEARSIM_BATCH_BOOTSTRAP', description: 'one native bootstrap call for all reps (needs vectorize)' },
  seed: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, default: 42, env: 'SPEARSIM_SEED', description: 'base seed' },
  alpha: { kind: 'number', min: 0, max: 1, exclusive: true, default: 0.05, description: 'two-sided significance level' },
  targetPower: { kind: 'number', min: 0, max: 1, exclusive: true, default: 0.8, description: 'target power' },
  alternative: { kind: 'enum', choices: ['two-sided', 'greater', 'less'], default: 'two-sided', description: 'sidedness of the test of rho = 0 (design)' },
  halfWidth: { kind: 'number', min: 0, max: 1, exclusive: true, default: 0.1, description: 'target half-width of the expected CI (design --solve ci-width)' },
  nSims: { kind: 'integer', min: 1, max: MAX_SIMS, default: 10000, description: 'datasets per power evaluation' },
  nReps: { kind: 'integer', min: 1, max: MAX_REPS, default: 200, description: 'datasets in an expected bootstrap CI' },
  nBoot: { kind: 'integer', min: 1, max: MAX_BOOT, default: 1000, description: 'bootstrap resamples per dataset' },
  nCal: { kind: 'integer', min: 10, max: MAX_CAL, default: 300, description: 'calibration datasets' },
  nPre: { kind: 'integer', min: 100, max: MAX_PRE, default: 50000, description: 'permutations in a precomputed null' },
  nPerm: { kind: 'integer', min: 0, max: MAX_PERM, default: 0, description: 'Monte Carlo permutations per dataset (0 = adaptive)' },
  calibrationMode: { kind: 'enum', choices: ['multipoint', 'single', 'off'], default: 'multipoint', env: 'SPEARSIM_CALIBRATION_MODE', description: 'calibration mode' },
  usePermutationPvalue: { kind: 'boolean', default: true, description: 'permutation p-values (else t approximation)' },
  pvalueMcOnCacheMiss: { kind: 'boolean', default: false, description: 'Monte Carlo p-values when the null is not cached' },
  empiricalUsePrecomputedNull: { kind: 'boolean', default: true, description: 'empirical generator uses the precomputed null' },
  tieCorrection: { kind: 'enum', choices: ['none', 'fhp', 'both'], default: 'none', description: 'asymptotic tie handling' },
  fisherVariance: {
    kind: 'enum',
    choices: FISHER_VARIANCE_NAMES,
    default: DEFAULT_FISHER_VARIANCE,
    description: `variance of Fisher's z in the Fisher-z CI: ${FISHER_VARIANCES.map((v) => `${v.name} ${v.formula}`).join('; ')}`,
  },
  directionMode: { kind: 'enum', choices: ['needed', 'both'], default: 'needed', description: 'power search directions' },
  generator: { kind: 'enum', choices: GENERATORS, default: 'nonparametric', description: `y generator (${GENERATOR_HELP})` },
  generators: { kind: 'enumList', choices: GENERATORS, default: STUDY_GENERATORS, description: 'generators of a study run' },
  cacheDir: { kind: 'string', optional: true, default: undefined, env: 'SPEARSIM_CACHE_DIR', description: 'cache directory' },
  saveCache: { kind: 'boolean', default: false, description: 'persist caches to cacheDir' },
  cases: { kind: 'integerList', min: 1, max: 4, default: [1, 2, 3, 4], description: 'study cases' },
  kValues: { kind: 'integerList', min: 4, max: 10, default: [4, 5, 6, 7, 8, 9, 10], description: 'numbers of distinct x values' },
  shapes: { kind: 'enumList', choices: SHAPES, default: ['even', 'heavy_tail', 'heavy_center'], description: 'frequency shapes' },
  outputDir: { kind: 'string', default: 'results', description: 'output directory' },
  preset: { kind: 'optionalEnum', choices: ['quick', 'standard', 'tier-0.01', 'tier-0.002', 'tier-0.001'], default: undefined, description: 'size preset' },
  stages: { kind: 'enumList', choices: ['power', 'asymptotic', 'ci'], default: ['power', 'asymptotic', 'ci'], description: 'study stages' },
  customCounts: { kind: 'countLists', default: [], description: 'custom x count lists, e.g. "20,20,20,20;10,30,30,10" (replace the frequency table)' },
  baselines: { kind: 'boolean', default: true, description: "include the cases' all-distinct baselines" },
  shard: { kind: 'string', optional: true, default: undefined, env: 'SPEARSIM_SHARD', description: 'run slice i of N ("i/N")' },
  resume: { kind: 'boolean', default: false, description: 'skip units finished by an interrupted run' },
  fresh: { kind: 'boolean', default: false, description: "discard an interrupted run's saved units and start over (a run without --resume or --fresh refuses to)" },
  profile: { kind: 'boolean', default: false, description: 'time per phase' },
  jobs: { kind: 'integer', min: 1, max: 1024, default: () => Math.min(2, defaultThreads()), env: 'SPEARSIM_JOBS', description: 'study units run concurrently (threads and memoryLimit are divided among them)' },
  report: { kind: 'string', optional: true, default: undefined, description: 'write a self-contained HTML report to this file' },
};

/** Option keys. */
export type OptionKey = keyof Config;
export const OPTION_KEYS = Object.keys(OPTION_SCHEMA) as OptionKey[];

/** kebab-case CLI flag of an option key (`nCal` -> `n-cal`). */
export function flagName(key: string): string {
  if (typeof key !== 'string') throw typeError('key', key, 'an option name (string)');
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A decimal number as text: digits, an optional fraction with digits, an optional exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Parses a byte size: a number, or a string such as "512MB", "1.5GiB", "64k", "1e9", "1PB"
 * (k, M, G, T, P: powers of 1000, or of 1024 with an i: "2GiB").
 */
export function parseBytes(option: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') throw typeError(option, value, 'a byte count (number) or a size such as "512MB"');
  const m = /^(\S+?)\s*([kmgtp]?)(i?)(b?)$/i.exec(value);
  if (!m || !DECIMAL.test(m[1]!) || (m[3] && !m[2])) throw typeError(option, value, 'a byte count or a size such as "512MB", "2GiB" or "1e9"');
  const power = ' kmgtp'.indexOf((m[2] || ' ').toLowerCase());
  const base = m[3] ? 1024 : 1000;
  return Math.floor(Number(m[1]) * base ** power);
}

/** Parses a boolean given as a boolean or as true/false, 1/0, yes/no, on/off. */
export function parseBoolean(option: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
  }
  throw typeError(option, value, 'a boolean (true/false, 1/0)');
}

/**
 * Parses a number given as a number or as decimal text. Text is strict: no surrounding spaces, no
 * hexadecimal, binary or octal prefixes, no trailing dot ("5."), no Infinity.
 */
export function parseNumber(option: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL.test(value) && Number.isFinite(Number(value))) return Number(value);
  throw typeError(option, value, 'a number (decimal, e.g. 12, 0.05 or 1e6)');
}

function checkInteger(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(option, value, `an integer in [${min}, ${max}]`);
  }
  return value;
}

function parseList(option: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (typeof value === 'number') return [value];
  throw typeError(option, value, 'a list (array or comma-separated string)');
}

/** Validates and normalises one option value (strings from flags or the environment are parsed). */
export function normaliseOption<K extends OptionKey>(key: K, value: unknown): Config[K] {
  const spec = OPTION_SCHEMA[key] as OptionSpec;
  let out: unknown;
  switch (spec.kind) {
    case 'integer':
      out = checkInteger(key, parseNumber(key, value), spec.min, spec.max);
      break;
    case 'number': {
      const v = parseNumber(key, value);
      const ok = spec.exclusive ? v > spec.min && v < spec.max : v >= spec.min && v <= spec.max;
      if (!Number.isFinite(v) || !ok) {
        throw rangeError(key, value, spec.exclusive ? `a number in (${spec.min}, ${spec.max})` : `a number in [${spec.min}, ${spec.max}]`);
      }
      out = v;
      break;
    }
    case 'boolean':
      out = parseBoolean(key, value);
      break;
    case 'native':
      out = value === 'require' ? 'require' : parseBoolean(key, value);
      break;
    case 'enum':
    case 'optionalEnum':
      if (spec.kind === 'optionalEnum' && value === undefined) {
        out = undefined;
      } else if (typeof value !== 'string' || !spec.choices.includes(value)) {
        throw rangeError(key, value, `one of ${spec.choices.join(', ')}`);
      } else {
        out = value;
      }
      break;
    case 'enumList': {
      const list = parseList(key, value);
      for (const item of list) {
        if (typeof item !== 'string' || !spec.choices.includes(item)) throw rangeError(key, item, `a list of ${spec.choices.join(', ')}`);
      }
      if (list.length === 0) throw rangeError(key, value, `a non-empty list of ${spec.choices.join(', ')}`);
      out = [...new Set(list)];
      break;
    }
    case 'integerList': {
      const list = parseList(key, value).map((item) => checkInteger(key, parseNumber(key, item), spec.min, spec.max));
      if (list.length === 0) throw rangeError(key, value, `a non-empty list of integers in [${spec.min}, ${spec.max}]`);
      out = [...new Set(list)];
      break;
    }
    case 'countLists': {
      // "20,20,20,20;10,30,30,10" or [[20, 20, 20, 20], [10, 30, 30, 10]]; sums are checked per case
      const lists = typeof value === 'string' ? value.split(';').map((s) => s.trim()).filter((s) => s !== '') : value;
      if (!Array.isArray(lists)) throw typeError(key, value, 'a list of count lists, e.g. "20,20,20,20;10,30,30,10"');
      out = lists.map((list: unknown) => {
        const counts = parseList(key, list).map((item) => checkInteger(key, parseNumber(key, item), 1, Number.MAX_SAFE_INTEGER));
        if (counts.length < 2) throw rangeError(key, list, 'count lists of at least 2 positive integers');
        return counts;
      });
      break;
    }
    case 'bytes': {
      const v = parseBytes(key, value);
      if (!Number.isFinite(v) || v < spec.min || v > spec.max) throw rangeError(key, value, `a size in [${spec.min}, ${spec.max}] bytes`);
      out = Math.floor(v);
      break;
    }
    case 'string':
      if (spec.optional && (value === undefined || value === '')) out = undefined;
      else if (typeof value !== 'string' || value === '') throw typeError(key, value, 'a non-empty string');
      else out = value;
      break;
  }
  return out as Config[K];
}

/** Levenshtein distance, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** Lower-case words of a camelCase or kebab-case name. */
function nameWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().split(/[-_]+/).filter(Boolean);
}

/** Whether every word of `short` begins the matching word of `long` (an abbreviation: out-dir, outputDir). */
function abbreviates(short: string, long: string): boolean {
  const s = nameWords(short);
  const l = nameWords(long);
  return s.length === l.length && s.every((word, i) => l[i]!.startsWith(word));
}

/** The closest known name to `name`, if it is close enough to be a likely typo or abbreviation. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const abbreviated = known.filter((candidate) => abbreviates(name, candidate));
  if (abbreviated.length === 1) return abbreviated[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Error for an unknown option, with a hint for near misses. */
export function unknownOptionError(name: string, known: readonly string[], render: (k: string) => string = (k) => k): SpearsimError {
  const hint = nearestName(name, known);
  return new SpearsimError(
    'ERR_UNKNOWN_OPTION',
    `unknown option ${render(name)}${hint ? `; did you mean ${render(hint)}?` : ''}`,
    { option: name, expected: hint ? `did you mean ${render(hint)}?` : `one of ${known.map(render).join(', ')}` },
  );
}

/**
 * Environment overrides present in `env` (parsed and validated), of the options in `keys` (default
 * all): a variable of an option the caller does not use is not its business.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, keys: readonly OptionKey[] = OPTION_KEYS): Partial<Config> {
  const out: Partial<Record<OptionKey, unknown>> = {};
  for (const key of keys) {
    const name = OPTION_SCHEMA[key].env;
    const raw = name === undefined ? undefined : env[name];
    if (raw !== undefined && raw !== '') {
      try {
        out[key] = normaliseOption(key, raw);
      } catch (e) {
        const err = e as SpearsimError;
        throw new SpearsimError(err.code, `environment variable ${name}: ${err.message}`, { option: name, value: raw, expected: err.expected });
      }
    }
  }
  return out as Partial<Config>;
}

/** Options that are not configuration: per-call controls. */
export interface CallControls {
  /** Cancels the call; the promise rejects with code ERR_ABORTED. */
  signal?: AbortSignal;
  /** Progress: completed and total work units. */
  onProgress?: (done: number, total: number) => void;
}

/** Options only a study run reads (runStudy, `spearsim run`): a single call ignores their variables. */
const STUDY_RUN_KEYS: readonly OptionKey[] = ['jobs', 'shard'];

/** Options whose environment variables a single call reads. */
export const CALL_ENV_KEYS: readonly OptionKey[] = OPTION_KEYS.filter((k) => !STUDY_RUN_KEYS.includes(k));

/**
 * alpha from `confidenceLevel` (as R and scipy users write it): 1 - level rounded to 15
 * significant digits, so 0.95 gives exactly 0.05 (1 - 0.95 is 0.050000000000000044 in binary).
 * With `alpha` also given, the two must agree to that precision.
 */
export function alphaFromConfidenceLevel(level: unknown, alpha: unknown): number {
  const cl = parseNumber('confidenceLevel', level);
  if (!(cl > 0 && cl < 1)) throw rangeError('confidenceLevel', level, 'a number in (0, 1), e.g. 0.95');
  const fromLevel = Number((1 - cl).toPrecision(15));
  if (alpha !== undefined && normaliseOption('alpha', alpha) !== fromLevel) {
    throw new SpearsimError(
      'ERR_CONFLICTING_OPTIONS',
      `confidenceLevel ${describeValue(level)} and alpha ${describeValue(alpha)} disagree (alpha must be 1 - confidenceLevel = ${fromLevel}); give one of them`,
      { option: 'confidenceLevel', value: level, expected: `alpha = ${fromLevel}, or alpha left out` },
    );
  }
  return fromLevel;
}

/**
 * Resolves a full configuration: explicit options win over environment variables, which win over
 * schema defaults. Unknown keys are rejected with a hint unless listed in `extraKeys`. Only the
 * variables of `envKeys` (the options the caller uses) are read, and only for options not given.
 */
export function resolveConfig(
  input: object | undefined,
  extraKeys: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  envKeys: readonly OptionKey[] = CALL_ENV_KEYS,
): Config {
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) {
    throw typeError('options', input, 'an object');
  }
  let given = (input ?? {}) as Record<string, unknown>;
  const allowed = new Set<string>([...OPTION_KEYS, ...extraKeys, 'signal', 'onProgress', 'confidenceLevel']);
  for (const key of Object.keys(given)) {
    if (!allowed.has(key)) throw unknownOptionError(key, [...allowed]);
  }
  if (given.confidenceLevel !== undefined) given = { ...given, alpha: alphaFromConfidenceLevel(given.confidenceLevel, given.alpha) };
  const fromEnv = configFromEnv(env, envKeys.filter((k) => given[k] === undefined)) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    const entry = OPTION_SCHEMA[key];
    if (given[key] !== undefined) out[key] = normaliseOption(key, given[key]);
    else if (fromEnv[key] !== undefined) out[key] = fromEnv[key];
    else out[key] = typeof entry.default === 'function' ? (entry.default as () => unknown)() : entry.default;
  }
  // a budget beyond the machine would let the up-front memory checks pass and the OS kill the run
  out.memoryLimit = Math.min(out.memoryLimit as number, os.totalmem());
  return out as unknown as Config;
}

/**
 * Checks per-call controls. Every call that takes a signal passes it here first, so one that is
 * already aborted rejects at once, before any cache lookup could answer without looking at it.
 */
export function checkControls(input: CallControls | undefined): CallControls {
  const signal = input?.signal;
  const onProgress = input?.onProgress;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw typeError('signal', signal, 'an AbortSignal');
  if (onProgress !== undefined && typeof onProgress !== 'function') throw typeError('onProgress', onProgress, 'a function');
  throwIfAborted(signal);
  return { signal, onProgress };
}

/** Plain-JSON copy of a configuration for result provenance. */
export function configSnapshot(config: Config): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config, (_k, v) => (v === undefined ? null : v))) as Record<string, unknown>;
}

export { describeValue };
