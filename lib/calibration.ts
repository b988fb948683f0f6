/**
 * Calibration of the generator input (spec 03): the input rho_in at which a generator's expected
 * Spearman on a tie structure equals the target. One native call (or its TypeScript mirror)
 * solves every probe of a structure by bisection on common random numbers; the probes map a
 * target to rho_in by interpolation (multipoint, default) or one ratio (single).
 *
 * Departures: the calibration datasets are exactly the generating process, jitter included,
 * in both modes and for every generator (7); their seed is derived from the calibration seed 99
 * and the tie structure and generator (15); cache keys are complete and disk files are atomic,
 * validated, and rebuilt with a warning when corrupt or foreign (10-11).
 * @module
 */
import { Yielder } from './internal/yielder';
import { createHash } from 'node:crypto';
import { type CallControls, type CalibrationMode, type Config, type GeneratorName, checkControls, resolveConfig } from './config';
import { SpearsimError, abortError, rangeError, typeError } from './errors';
import {
  type EmpiricalPoolSpec, type GeneratorSetup, type Mix, Generator, ZERO_RHO, clipRho, generatorSetup, mixAt, nativeGeneratorSpec,
  newDatasetParts, usesNoisePermutation,
} from './generators';
import { cacheFile, readJsonCache, writeJsonCacheAtomic } from './internal/disk-cache';
import { warn } from './internal/log';
import { engine, runJob } from './internal/native';
import { generatorEntry } from './kernels/generators/table';
import { type Provenance, provenance } from './provenance';
import { rhoFromExact } from './ranks';
import { Rng } from './rng';
import { type Scenario, type ScenarioSpec, resolveScenario } from './scenario';
import { STREAM_DATA, type StreamIdentity, identityKey, repStreamKey } from './streams';
import { STUDY } from './study-data';

/** Version of the calibration algorithm; part of every key, bumped when results change. */
export const CALIBRATION_ALGO = 1;

const SETTINGS = {
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

// ---------------------------------------------------------------------------------------------
// Keys

function poolDigest(setup: GeneratorSetup): string | null {
  const p = setup.pool;
  if (!p) return null;
  const text = JSON.stringify([Array.from(p.fixed), Array.from(p.fillSource), p.fillCount, p.logUniformCount, p.logLo, p.logSpan]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Identity of the calibration datasets (departure 15): the tie structure, the generator and the
 * parts of its process that change F (noise variant, empirical pool), n_cal and the algorithm.
 * y scale parameters are excluded: F depends on ranks only.
 */
export function calibrationIdentity(setup: GeneratorSetup, nCal: number): StreamIdentity {
  const s = setup.structure;
  const identity: StreamIdentity = {
    task: 'calibration',
    n: s.n,
    counts: s.counts,
    allDistinct: s.allDistinct,
    generator: setup.kind,
    nCal,
    algo: CALIBRATION_ALGO,
  };
  if (usesNoisePermutation(setup.kind)) identity.rowMoments = setup.rowMoments;
  const pool = poolDigest(setup);
  if (pool !== null) identity.pool = pool;
  return identity;
}

/** Complete cache key (departure 10): the dataset identity plus probes, seed and bisection settings. */
export function calibrationCacheKey(setup: GeneratorSetup, nCal: number, mode: Exclude<CalibrationMode, 'off'>): StreamIdentity {
  return {
    ...calibrationIdentity(setup, nCal),
    mode,
    probes: probesOf(mode),
    seed: STUDY.calibration.seed,
    maxIter: SETTINGS.maxIter,
    tolerance: SETTINGS.tolerance,
    hiCap: SETTINGS.hiCap,
  };
}

// ---------------------------------------------------------------------------------------------
// TypeScript mirror of native/calibration.cc

/** Bytes a calibration set needs (mirror of native calibrationBytes). */
export function calibrationBytes(n: number, nCal: number, threads: number): number {
  return nCal * (n * 28 + 16) + Math.max(1, threads) * (n * 160 + 65536);
}


/**
 * Calibration datasets of one generator, and F(rho) over them (mirror of native CalibrationSet):
 * each dataset's items are kept in (signal, index) order of the last evaluation (the first
 * evaluation sorts fully) and re-sorted by insertion, with a full sort when that would move too much.
 */
export class CalibrationSet {
  private readonly gen: Generator;
  private readonly n: number;
  private readonly nCal: number;
  private readonly empirical: boolean;
  // per dataset (nCal x n), items in (signal, index) order of the last evaluation
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly xRank2: Int32Array;
  private readonly index: Uint32Array;
  // empirical: doubled centred midrank of the pool value at each position; pool tie sums
  private readonly yRank2: Int32Array;
  private readonly yTies: Float64Array;
  private readonly key: Float64Array;
  private sorted = false;
  private readonly memo = new Map<number, number>();
  private evaluations = 0;
  private readonly yielder: Yielder;

  /**
   * Datasets firstDataset .. firstDataset + nCal - 1 of `key` (dataset i from
   * Rng(repStreamKey(key, i, STREAM_DATA))).
   */
  constructor(
    setup: GeneratorSetup,
    private readonly streamKey: bigint,
    nCal: number,
    private readonly abortSignal?: AbortSignal,
    private readonly firstDataset = 0,
    deferDraws = false,
  ) {
    this.yielder = new Yielder(abortSignal);
    this.gen = new Generator(setup);
    const n = this.gen.n;
    this.n = n;
    this.nCal = nCal;
    this.empirical = generatorEntry(setup.kind).needsPool;
    this.a = new Float64Array(nCal * n);
    this.b = new Float64Array(nCal * n);
    this.xRank2 = new Int32Array(nCal * n);
    this.index = new Uint32Array(nCal * n);
    this.yRank2 = new Int32Array(this.empirical ? nCal * n : 0);
    this.yTies = new Float64Array(this.empirical ? nCal : 0);
    this.key = new Float64Array(n);
    if (deferDraws) return;
    const parts = newDatasetParts(n);
    for (let i = 0; i < nCal; i++) this.drawDataset(i, parts);
  }

  /**
   * A set whose datasets are drawn with pauses for the event loop (so an abort lands within
   * ~15 ms even for a large nCal); the same datasets as the constructor draws.
   */
  static async create(setup: GeneratorSetup, key: bigint, nCal: number, abortSignal?: AbortSignal, firstDataset = 0): Promise<CalibrationSet> {
    const set = new CalibrationSet(setup, key, nCal, abortSignal, firstDataset, true);
    const parts = newDatasetParts(set.n);
    for (let i = 0; i < nCal; i++) {
      set.drawDataset(i, parts);
      if ((i & 255) === 255 && set.yielder.due()) await set.yielder.pause();
    }
    if (abortSignal?.aborted) throw abortError(abortSignal);
    return set;
  }

  /** Draws dataset i's parts from its data stream into the set. */
  private drawDataset(i: number, parts: ReturnType<typeof newDatasetParts>): void {
    const n = this.n;
    {
      this.gen.drawParts(new Rng(repStreamKey(this.streamKey, this.firstDataset + i, STREAM_DATA)), parts);
      const at = i * n;
      this.a.set(parts.a, at);
      this.b.set(parts.b, at);
      this.xRank2.set(parts.xRank2, at);
      for (let j = 0; j < n; j++) this.index[at + j] = j;
      if (this.empirical) {
        let ties = 0;
        for (let p = 0; p < n; ) {
          let q = p + 1;
          while (q < n && parts.pool[q] === parts.pool[p]) q++;
          this.yRank2.fill(p + q - n, at + p, at + q);
          const size = q - p;
          ties += size * size * size - size;
          p = q;
        }
        this.yTies[i] = ties;
      }
    }
  }

  /** Evaluations of F computed (memo misses). */
  get evaluationCount(): number {
    return this.evaluations;
  }

  /** Sorts dataset `at`'s items by (key, index); key holds the keys of the current positions. */
  private sortFully(at: number): void {
    const n = this.n;
    const key = this.key;
    const index = this.index;
    const perm = new Uint32Array(n);
    for (let t = 0; t < n; t++) perm[t] = t;
    perm.sort((p, q) => key[p]! - key[q]! || index[at + p]! - index[at + q]!);
    const a = this.a.slice(at, at + n);
    const b = this.b.slice(at, at + n);
    const xr = this.xRank2.slice(at, at + n);
    const ix = index.slice(at, at + n);
    const keys = key.slice();
    for (let t = 0; t < n; t++) {
      const p = perm[t]!;
      this.a[at + t] = a[p]!;
      this.b[at + t] = b[p]!;
      this.xRank2[at + t] = xr[p]!;
      index[at + t] = ix[p]!;
      key[t] = keys[p]!;
    }
  }

  private datasetRho(i: number, mixA: number, mixB: number, first: boolean): number {
    const n = this.n;
    const at = i * n;
    const { a, b, xRank2: xr, index, key } = this;
    for (let t = 0; t < n; t++) key[t] = a[at + t]! * mixA + b[at + t]! * mixB;

    const maxShifts = first ? 0 : 10 * n;
    let shifts = 0;
    let tied = false;
    for (let k = 1; k < n && shifts <= maxShifts; k++) {
      const kv = key[k]!;
      if (kv > key[k - 1]!) continue;
      const av = a[at + k]!;
      const bv = b[at + k]!;
      const xv = xr[at + k]!;
      const v = index[at + k]!;
      let j = k;
      while (j > 0 && (kv < key[j - 1]! || (kv === key[j - 1]! && v < index[at + j - 1]!))) {
        key[j] = key[j - 1]!;
        a[at + j] = a[at + j - 1]!;
        b[at + j] = b[at + j - 1]!;
        xr[at + j] = xr[at + j - 1]!;
        index[at + j] = index[at + j - 1]!;
        j--;
      }
      shifts += k - j;
      key[j] = kv;
      a[at + j] = av;
      b[at + j] = bv;
      xr[at + j] = xv;
      index[at + j] = v;
      tied = tied || (j > 0 && key[j - 1] === kv) || (j < k && key[j + 1] === kv);
    }
    if (shifts > maxShifts) {
      this.sortFully(at);
      tied = false;
      for (let t = 1; t < n; t++) tied = tied || key[t] === key[t - 1];
    }

    let sxy4 = 0;
    let tiesY = 0;
    if (this.empirical) {
      for (let t = 0; t < n; t++) sxy4 += this.yRank2[at + t]! * xr[at + t]!;
      tiesY = this.yTies[i]!;
    } else if (!tied) {
      let weighted = 0;
      for (let t = 0; t < n; t++) weighted += t * xr[at + t]!;
      sxy4 = 2 * weighted;
    } else {
      for (let p = 0; p < n; ) {
        let q = p + 1;
        while (q < n && key[q] === key[p]) q++;
        let sumX = 0;
        for (let t = p; t < q; t++) sumX += xr[at + t]!;
        sxy4 += (p + q - n) * sumX;
        const size = q - p;
        tiesY += size * size * size - size;
        p = q;
      }
    }
    const rho = rhoFromExact(sxy4, n, this.gen.xTies, tiesY);
    return Number.isNaN(rho) ? 0.0 : rho;
  }

  /** Number of datasets. */
  get size(): number {
    return this.nCal;
  }

  /** Spearman of every dataset at `mix`, in dataset order (constant y counts as 0). */
  datasetRhos(mix: Mix, out: Float64Array): void {
    for (let i = 0; i < this.nCal; i++) out[i] = this.datasetRho(i, mix.a, mix.b, !this.sorted);
    this.sorted = true;
  }

  /** F(rho), memoised; yields to the event loop now and then so an abort can land. */
  async meanSpearman(rho: number): Promise<number> {
    const hit = this.memo.get(rho);
    if (hit !== undefined) return hit;
    if (this.yielder.due()) await this.yielder.pause();
    if (this.abortSignal?.aborted) throw abortError(this.abortSignal);
    const rhos = new Float64Array(this.nCal);
    const mix = mixAt(this.gen.kind, rho);
    const first = !this.sorted;
    for (let i = 0; i < this.nCal; i++) {
      rhos[i] = this.datasetRho(i, mix.a, mix.b, first);
      if ((i & 255) === 255 && this.yielder.due()) await this.yielder.pause();
    }
    this.sorted = true;
    let sum = 0;
    for (let i = 0; i < this.nCal; i++) sum += rhos[i]!;
    const f = sum / this.nCal;
    this.memo.set(rho, f);
    this.evaluations++;
    return f;
  }
  /** Bisection of spec 03 for probe p > 0 (mirror of native solve); null = unreachable. */
  async solve(p: number): Promise<{ rhoIn: number; achieved: number } | null> {
    let lo = 0;
    let hi = Math.min(2 * p, SETTINGS.hiCap);
    let fHi = await this.meanSpearman(hi);
    if (fHi < p) {
      hi = SETTINGS.hiCap;
      fHi = await this.meanSpearman(hi);
      if (fHi < p) return null;
    }
    for (let it = 0; it < SETTINGS.maxIter; it++) {
      const mid = (lo + hi) / 2;
      const f = await this.meanSpearman(mid);
      if (f < p) {
        lo = mid;
      } else {
        hi = mid;
        fHi = f;
      }
      if (hi - lo < SETTINGS.tolerance) break;
    }
    const fLo = await this.meanSpearman(lo);
    return Math.abs(fHi - p) <= Math.abs(fLo - p) ? { rhoIn: hi, achieved: fHi } : { rhoIn: lo, achieved: fLo };
  }
}

// ---------------------------------------------------------------------------------------------
// Running a calibration job on either engine

type CalibrationConfig = Pick<Config, 'native' | 'verbose' | 'threads' | 'memoryLimit'>;

function checkMemory(setup: GeneratorSetup, nCal: number, config: CalibrationConfig): void {
  const need = calibrationBytes(setup.structure.n, nCal, config.threads);
  if (need > config.memoryLimit) {
    throw new SpearsimError(
      'ERR_MEMORY_LIMIT',
      `memoryLimit ${config.memoryLimit} bytes cannot hold ${nCal} calibration datasets of n=${setup.structure.n}: ` +
        `${need} bytes are needed; raise memoryLimit or lower nCal`,
      { option: 'memoryLimit', value: config.memoryLimit, expected: `at least ${need} bytes` },
    );
  }
}

interface SolvedProbes {
  rhoIn: Array<number | null>;
  achieved: Array<number | null>;
  curve: number[];
  evaluations: number;
}

/** Solves `probes` and evaluates F at `rhos` on the calibration datasets of `setup`. */
async function solveProbes(
  setup: GeneratorSetup,
  nCal: number,
  probes: readonly number[],
  rhos: readonly number[],
  config: CalibrationConfig,
  controls: CallControls,
): Promise<SolvedProbes> {
  checkMemory(setup, nCal, config);
  const calKey = identityKey(STUDY.calibration.seed, calibrationIdentity(setup, nCal));
  const addon = engine(config);
  if (addon) {
    const out = await runJob(addon, config.threads, { signal: controls.signal }, (token) =>
      addon.calibrate(
        {
          generator: nativeGeneratorSpec(setup),
          calKey,
          nCal,
          probes: Float64Array.from(probes),
          rhos: Float64Array.from(rhos),
          ...SETTINGS,
          memoryLimit: config.memoryLimit,
          threads: config.threads,
        },
        token,
        null,
      ),
    );
    const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
    return {
      rhoIn: Array.from(out.rhoIn, orNull),
      achieved: Array.from(out.achieved, orNull),
      curve: Array.from(out.curve),
      evaluations: out.evaluations,
    };
  }
  const set = await CalibrationSet.create(setup, calKey, nCal, controls.signal);
  const rhoIn: Array<number | null> = [];
  const achieved: Array<number | null> = [];
  for (const p of probes) {
    const solution = await set.solve(p);
    rhoIn.push(solution ? solution.rhoIn : null);
    achieved.push(solution ? solution.achieved : null);
  }
  const curve: number[] = [];
  for (const r of rhos) curve.push(await set.meanSpearman(r));
  return { rhoIn, achieved, curve, evaluations: set.evaluationCount };
}

// ---------------------------------------------------------------------------------------------
// Caches

const memoryCache = new Map<string, Promise<CalibrationCurve>>();

/** Forgets every calibration held in memory (tests, long-lived processes). */
export function clearCalibrationCache(): void {
  memoryCache.clear();
}

const CACHE_KIND = 'calibration';

function validatePayload(probes: readonly number[]) {
  return (payload: unknown): Pick<CalibrationCurve, 'rhoIn' | 'achieved'> | undefined => {
    if (payload === null || typeof payload !== 'object') return undefined;
    const { rhoIn, achieved } = payload as Record<string, unknown>;
    const entries = (v: unknown, lo: number, hi: number): v is Array<number | null> =>
      Array.isArray(v) &&
      v.length === probes.length &&
      v.every((e) => e === null || (typeof e === 'number' && Number.isFinite(e) && e >= lo && e <= hi));
    if (!entries(rhoIn, 0, SETTINGS.hiCap) || !entries(achieved, -1, 1)) return undefined;
    if (rhoIn.some((r, i) => (r === null) !== (achieved[i] === null))) return undefined;
    return { rhoIn, achieved };
  };
}

type CurveConfig = CalibrationConfig & Pick<Config, 'nCal' | 'cacheDir' | 'saveCache'>;

/**
 * The calibration curve of a generator on its tie structure: from memory, from `cacheDir`, or
 * computed (and then written to `cacheDir` when `saveCache` is on).
 */
export function calibrationCurve(
  setup: GeneratorSetup,
  mode: Exclude<CalibrationMode, 'off'>,
  config: CurveConfig,
  controls: CallControls = {},
): Promise<CalibrationCurve> {
  const key = calibrationCacheKey(setup, config.nCal, mode);
  const id = JSON.stringify(key);
  const cached = memoryCache.get(id);
  if (cached) return cached.then((curve) => ({ ...curve, source: 'memory' as const }));
  const pending = loadOrCompute(setup, mode, key, config, controls);
  memoryCache.set(id, pending);
  pending.catch(() => memoryCache.delete(id)); // a failed or aborted build is not cached
  return pending;
}

async function loadOrCompute(
  setup: GeneratorSetup,
  mode: Exclude<CalibrationMode, 'off'>,
  key: StreamIdentity,
  config: CurveConfig,
  controls: CallControls,
): Promise<CalibrationCurve> {
  const probes = [...probesOf(mode)];
  const onProblem = (reason: string): void => warn(config.verbose, `calibration cache: ${reason}`, 'SPEARSIM_CACHE');
  const file = config.cacheDir === undefined ? undefined : cacheFile(config.cacheDir, CACHE_KIND, key);
  if (file) {
    const hit = readJsonCache(file, CACHE_KIND, key, validatePayload(probes), onProblem);
    if (hit) return { mode, nCal: config.nCal, probes, ...hit, evaluations: 0, source: 'disk' };
  }
  const solved = await solveProbes(setup, config.nCal, probes, [], config, controls);
  const curve: CalibrationCurve = {
    mode,
    nCal: config.nCal,
    probes,
    rhoIn: solved.rhoIn,
    achieved: solved.achieved,
    evaluations: solved.evaluations,
    source: 'computed',
  };
  if (file && config.saveCache) writeJsonCacheAtomic(file, CACHE_KIND, key, { rhoIn: curve.rhoIn, achieved: curve.achieved }, onProblem);
  return curve;
}

// ---------------------------------------------------------------------------------------------
// Mapping a target to the generator input

/**
 * rho_in for a target (spec 03). Multipoint: piecewise-linear in |t| over the reachable probes
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
    return clipRho(sign * (t * ratio));
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
  return clipRho(sign * a);
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
  if (typeof target !== 'number' || !(target >= -1 && target <= 1)) throw rangeError('rho', target, 'a number in [-1, 1]');
  if (config.calibrationMode === 'off') return { rhoIn: target, curve: null };
  if (Math.abs(target) < ZERO_RHO) return { rhoIn: 0, curve: null };
  const curve = await calibrationCurve(setup, config.calibrationMode, config, controls);
  return { rhoIn: mapTarget(curve, target), curve };
}

// ---------------------------------------------------------------------------------------------
// Public entry points

/** Options of {@link calibrate} and {@link expectedSpearman}. */
export type CalibrationOptions = Partial<
  Pick<Config, 'generator' | 'calibrationMode' | 'nCal' | 'vectorize' | 'cacheDir' | 'saveCache' | 'native' | 'threads' | 'memoryLimit' | 'verbose'>
> &
  CallControls & {
    /** Pool specification of the `empirical` generator (spec 02 §4). */
    pool?: EmpiricalPoolSpec;
  };

/** Result of {@link calibrate}. */
export interface CalibrationResult {
  /** Requested E[Spearman] on the scenario's tie structure, in [-1, 1]. */
  target: number;
  /** Generator input that achieves the target (the target itself when calibration is off, 0 for a zero target). */
  rhoIn: number;
  /** Generator that was calibrated. */
  generator: GeneratorName;
  /** Calibration mode used (`off` returns the target unchanged). */
  calibrationMode: CalibrationMode;
  /** The calibration curve used; null when calibration is off or the target is 0. */
  curve: CalibrationCurve | null;
  /** Seed, configuration, version and engine behind the result. */
  provenance: Provenance;
}

/** The generator input that gives E[Spearman] = `target` on the scenario's tie structure. */
export async function calibrate(scenario: Scenario | ScenarioSpec, target: number, options: CalibrationOptions = {}): Promise<CalibrationResult> {
  const config = resolveConfig(options, ['pool']);
  const controls = checkControls(options);
  const setup = generatorSetup(resolveScenario(scenario), config.generator, { vectorize: config.vectorize, pool: options.pool });
  const { rhoIn, curve } = await calibratedInput(setup, target, config, controls);
  const used = engine(config) ? 'native' : 'typescript';
  return { target, rhoIn, generator: config.generator, calibrationMode: config.calibrationMode, curve, provenance: provenance(config, used) };
}

/**
 * E[Spearman] of the generator at each (uncalibrated) input, over `nCal` datasets of the
 * calibration process: the attenuation curve of spec 03.
 */
export async function expectedSpearman(
  scenario: Scenario | ScenarioSpec,
  inputs: readonly number[],
  options: CalibrationOptions = {},
): Promise<number[]> {
  const config = resolveConfig(options, ['pool']);
  const controls = checkControls(options);
  if (!Array.isArray(inputs)) throw typeError('inputs', inputs, 'an array of numbers in [-1, 1]');
  inputs.forEach((r: unknown, i) => {
    if (typeof r !== 'number' || !(r >= -1 && r <= 1)) throw rangeError(`inputs[${i}]`, r, 'a number in [-1, 1]');
  });
  const setup = generatorSetup(resolveScenario(scenario), config.generator, { vectorize: config.vectorize, pool: options.pool });
  return (await solveProbes(setup, config.nCal, [], inputs, config, controls)).curve;
}
