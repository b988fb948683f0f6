/**
 * Precision planning (docs/methods.md, "Precision and run time"): the sizes a 95 % half-width target needs, the precision given
 * sizes deliver, and an ETA for a study run from unit costs measured on this machine at start-up
 * (a few small timed calls of the real APIs, on the configured engine and threads).
 * @module
 */
import * as os from 'node:os';
import { calibrate } from '../calibration';
import { expectedCI } from '../ci';
import { type CallControls, type Config, checkControls } from '../config';
import { SpearsimError, rangeError, typeError } from '../errors';
import { addonFor } from '../internal/native';
import { minDetectableRho } from '../power';
import { forgetNull, nullDistribution } from '../pvalues';
import { type Scenario, makeScenario } from '../scenario';
import { resolveStudyConfig } from './index';
import { studyGrid, studyUnits } from './grid';
import { PRESETS, type PresetSizes } from './presets';

/** Planning constants (docs/methods.md, "Precision and run time"). */
export const PLANNING = Object.freeze({
  /** Bisection SE constant: SE = C_BISECTION / sqrt(nSims). */
  C_BISECTION: 0.17,
  /** Calibration SE constant: SE = C_CAL / sqrt(nCal). */
  C_CAL: 0.112,
  /** Inter-rep SD of a CI endpoint. */
  SD_INTER_REP: 0.13,
  /** Null-realisation SD constant: SD(crit) = C_NULL / sqrt(nPre). */
  C_NULL: 0.21,
  /** p (1 - p) of the 2.5 % bootstrap quantile. */
  QUANTILE_VARIANCE: 0.024375,
  /** Two-sided 95 % normal quantile. */
  Z95: 1.959964,
  /** n_boot of the tier tables. */
  N_BOOT: 500,
});

/** Predicted 95 % half-widths of a size set. */
export interface Precision {
  /** Minimum detectable rho: bisection and calibration (the total standard error). */
  minDetectableRho: number;
  /** Shift of every minimum detectable rho from the shared null realisation. */
  nullShift: number;
  /** CI endpoints: inter-rep, bootstrap-quantile and calibration terms. */
  ciEndpoint: number;
}

/** Smallest half-width {@link sizesForHalfWidth} serves (its sizes stay within the option maxima). */
export const MIN_HALF_WIDTH = 1e-4;

/** Checks a size set (positive integers) before it enters a formula. */
function checkSizes(sizes: PresetSizes): void {
  if (sizes === null || typeof sizes !== 'object') throw typeError('sizes', sizes, 'an object { nSims, nCal, nReps, nBoot, nPre }');
  for (const key of ['nSims', 'nCal', 'nReps', 'nBoot', 'nPre'] as const) {
    const v: unknown = sizes[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw rangeError(key, v, 'a positive integer');
  }
}

/** Precision of given sizes (the error models of docs/methods.md, "Precision and run time"; f = 1 for the bootstrap density). */
export function precisionOf(sizes: PresetSizes): Precision {
  checkSizes(sizes);
  const p = PLANNING;
  const seBis2 = p.C_BISECTION ** 2 / sizes.nSims;
  const seCal2 = p.C_CAL ** 2 / sizes.nCal;
  const ci2 = p.SD_INTER_REP ** 2 / sizes.nReps + p.QUANTILE_VARIANCE / (sizes.nReps * sizes.nBoot) + seCal2;
  return {
    minDetectableRho: p.Z95 * Math.sqrt(seBis2 + seCal2),
    nullShift: p.Z95 * (p.C_NULL / Math.sqrt(sizes.nPre)),
    ciEndpoint: p.Z95 * Math.sqrt(ci2),
  };
}

function ceilTo(v: number, step: number): number {
  return Math.ceil(v / step - 1e-9) * step;
}

/**
 * Sizes for a 95 % half-width `w` with the balanced allocation of docs/methods.md, "Precision and run time" (each main term gets
 * half the variance). The three named tiers return their configured tables exactly; other targets
 * round up (nSims to 10, nCal and nReps to 100) and size nPre so the null shift stays <= w / 2.
 */
export function sizesForHalfWidth(w: number): PresetSizes {
  // below MIN_HALF_WIDTH the sizes would exceed the schema maxima (nCal <= 1e7)
  if (typeof w !== 'number' || !(w >= MIN_HALF_WIDTH && w < 1)) throw rangeError('tier', w, `a 95 % half-width in [${MIN_HALF_WIDTH}, 1), e.g. 0.002`);
  const named = Object.values(PRESETS).find((p) => p.halfWidth !== undefined && Math.abs(p.halfWidth - w) < 1e-12);
  if (named) return { ...named.sizes };
  const p = PLANNING;
  const seEach = w / (p.Z95 * Math.SQRT2);
  return {
    nSims: ceilTo((p.C_BISECTION / seEach) ** 2, 10),
    nCal: ceilTo((p.C_CAL / seEach) ** 2, 100),
    nReps: ceilTo((p.SD_INTER_REP / seEach) ** 2, 100),
    nBoot: p.N_BOOT,
    nPre: Math.max(50000, ceilTo(((2 * p.Z95 * p.C_NULL) / w) ** 2, 10000)),
  };
}

/** Seconds per unit of work. */
export interface PerUnit {
  /** One simulated dataset through a whole 12-step minimum-detectable-rho search. */
  perSearchSim: number;
  /** One calibration dataset (all probes of multipoint calibration). */
  perCalibrationDataset: number;
  /** One bootstrap resample (n about 80). */
  perResample: number;
  /** One permutation of a precomputed null. */
  perNullPermutation: number;
}

/** Unit costs measured on this machine: wall time now, and CPU time (all threads). */
export interface UnitCosts {
  /** Wall-clock seconds per unit of work. */
  wall: PerUnit;
  /** CPU seconds per unit of work, summed over all threads. */
  cpu: PerUnit;
  /** Engine the costs were measured on. */
  engine: 'native' | 'typescript';
  /** Kernel threads configured during the measurement. */
  threads: number;
  /** 1-minute load average at the measurement (a busy machine inflates wall costs). */
  loadAverage: number;
  /** Seconds the measurement took. */
  measuredIn: number;
}

async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

/**
 * Marginal cost per item of `run(size)`: the size doubles until one call takes >= `floor`
 * seconds, then cost = (t(2 size) - t(size)) / size, fixed overheads cancelling.
 */
async function marginalCost(run: (size: number) => Promise<unknown>, start: number, max: number, floor = 0.06): Promise<{ wall: number; cpu: number }> {
  let size = start;
  let t = await timed(() => run(size));
  while (t.wall < floor && size * 2 <= max) {
    size *= 2;
    t = await timed(() => run(size));
  }
  const t2 = await timed(() => run(size * 2));
  // noise guard: never below a quarter of the average cost of the larger call
  const per = (a: number, b: number): number => Math.max(b - a, b / 4) / size;
  return { wall: per(t.wall, t2.wall), cpu: per(t.cpu, t2.cpu) };
}

/** The scenario the costs are measured on (a typical tied structure of the grid). */
function probeScenario(): Scenario {
  return makeScenario({ case: 1, k: 4, shape: 'heavy_center' });
}

/**
 * Offsets that make every timed call of this process ask for a size no earlier call asked for:
 * a repeated size would be served from the in-memory caches and time a lookup instead of the work
 * (repeated planStudy calls then measured a null permutation at 2e-12 s).
 */
let probeCounter = 0;
function nextProbe(): number {
  return ++probeCounter;
}

/**
 * A size near `size` that no earlier timed call of `kind` in this process used (size + offset with
 * a growing offset could meet an earlier call's size + smaller offset once sizes double).
 */
const usedSizes = new Map<string, Set<number>>();
function freshSize(kind: string, size: number): number {
  const used = usedSizes.get(kind) ?? new Set<number>();
  usedSizes.set(kind, used);
  let v = size + 7;
  while (used.has(v)) v += 2;
  used.add(v);
  return v;
}

/** Throws when a timed call did not do its work (a cache served it): the measurement would be void. */
function requireFresh(what: string, source: string, fresh: string): void {
  if (source !== fresh) throw new SpearsimError('ERR_INTERNAL', `the cost measurement of ${what} was served from the ${source} cache`, { value: source });
}

/**
 * Measures the unit costs with small calls of the real APIs (about 1-3 s), each on fresh work:
 * sizes no run uses and no earlier measurement of this process used, checked to be built rather
 * than served from a cache. The nulls built for timing are not kept in memory.
 */
export async function measureUnitCosts(config: Config, controls: CallControls = {}): Promise<UnitCosts> {
  const t0 = performance.now();
  const scenario = probeScenario();
  const base = { ...config, generator: 'nonparametric' as const, verbose: 0, cacheDir: undefined, saveCache: false, signal: controls.signal };
  const loadAverage = os.loadavg()[0] ?? 0;
  const nulls = await marginalCost(async (size) => {
    const nPre = freshSize('nPre', size);
    try {
      requireFresh('a null permutation', (await nullDistribution(scenario, { ...base, nPre })).source, 'built');
    } finally {
      forgetNull(scenario, nPre);
    }
  }, 4000, 1 << 22);
  const cals = await marginalCost(async (size) => {
    const r = await calibrate(scenario, 0.3, { ...base, calibrationMode: 'multipoint', nCal: freshSize('nCal', size) });
    requireFresh('a calibration dataset', r.curve?.source ?? 'no', 'computed');
  }, 64, 1 << 20);
  // the search's own null (nPre 1009) is built once before timing: the searches measure simulation only
  const search = { ...base, calibrationMode: 'off' as const, nPre: 1009 };
  await minDetectableRho(scenario, { ...search, nSims: 16 });
  const sims = await marginalCost((size) => minDetectableRho(scenario, { ...search, nSims: size, seed: (config.seed + nextProbe()) % Number.MAX_SAFE_INTEGER }), 256, 1 << 22);
  const boot = { ...base, calibrationMode: 'off' as const, rho: -0.13, nReps: 8 };
  const resamples = await marginalCost((size) => expectedCI(scenario, { ...boot, nBoot: size, seed: (config.seed + nextProbe()) % Number.MAX_SAFE_INTEGER }), 64, 1 << 22);
  forgetNull(scenario, search.nPre);
  const pick = (k: 'wall' | 'cpu'): PerUnit => ({
    perSearchSim: sims[k], perCalibrationDataset: cals[k], perResample: resamples[k] / boot.nReps, perNullPermutation: nulls[k],
  });
  return {
    wall: pick('wall'),
    cpu: pick('cpu'),
    loadAverage,
    engine: addonFor(config) ? 'native' : 'typescript',
    threads: config.threads,
    measuredIn: (performance.now() - t0) / 1000,
  };
}

/** Predicted seconds of a study run, per kind of work. */
export interface StudyEta {
  /** Seconds of the minimum-detectable-rho searches. */
  power: number;
  /** Seconds of the calibrations. */
  calibration: number;
  /** Seconds of building the precomputed null distributions. */
  nullBuild: number;
  /** Seconds of the expected bootstrap CIs. */
  ci: number;
  /** Total seconds (sum of the stages). */
  total: number;
}

/** Counts of the work of a configuration's grid. */
export interface StudyWork {
  /** Scenarios in the grid. */
  scenarios: number;
  /** Minimum-detectable-rho searches. */
  searches: number;
  /** Expected bootstrap CIs. */
  cis: number;
  /** Calibrations (tie structure x generator). */
  calibrations: number;
  /** Precomputed nulls (tie structures with a power search). */
  nulls: number;
}

/** The work of a configuration (same grid and units as runStudy, shard ignored). */
export function studyWork(config: Config): StudyWork {
  const scenarios = studyGrid(config);
  const units = studyUnits({ ...config, verbose: 0 }, scenarios);
  const calibrations = new Set(units.filter((u) => u.kind !== 'asymptotic').map((u) => `${u.info.id}/${u.generator}`));
  return {
    scenarios: scenarios.length,
    searches: units.filter((u) => u.kind === 'power').length,
    cis: units.filter((u) => u.kind === 'ci').length,
    calibrations: config.calibrationMode === 'off' ? 0 : calibrations.size,
    nulls: new Set(units.filter((u) => u.kind === 'power').map((u) => u.info.id)).size,
  };
}

/** Seconds of a configuration's work at the given unit costs, divided by `parallelism`. */
export function estimateSeconds(config: Pick<Config, 'nSims' | 'nCal' | 'nReps' | 'nBoot' | 'nPre'>, work: StudyWork, costs: PerUnit, parallelism = 1): StudyEta {
  const power = (work.searches * config.nSims * costs.perSearchSim) / parallelism;
  const calibration = (work.calibrations * config.nCal * costs.perCalibrationDataset) / parallelism;
  const nullBuild = (work.nulls * config.nPre * costs.perNullPermutation) / parallelism;
  const ci = (work.cis * config.nReps * config.nBoot * costs.perResample) / parallelism;
  return { power, calibration, nullBuild, ci, total: power + calibration + nullBuild + ci };
}

/** One row of a plan: a size set, its precision and its ETA. */
export interface PlanRow {
  /** Preset name, "tier X" or "configured sizes". */
  name: string;
  /** Target 95 % half-width of the sizes, if they come from one. */
  halfWidth: number | undefined;
  /** The sizes of the row. */
  sizes: PresetSizes;
  /** Predicted 95 % half-widths at these sizes. */
  precision: Precision;
  /** ETA from the wall costs measured now (includes whatever else loads the machine). */
  eta: StudyEta;
  /** ETA on an otherwise idle machine: CPU costs over the kernel threads (assumes they scale). */
  etaIdle: StudyEta;
}

/** Result of {@link planStudy}. */
export interface StudyPlan {
  /** The plan for the requested target (tier, preset or the configured sizes). */
  target: PlanRow;
  /** Every preset on the same grid, for comparison. */
  presets: PlanRow[];
  /** Work of the configured grid. */
  work: StudyWork;
  /** Unit costs measured on this machine. */
  costs: UnitCosts;
}

/** Options of {@link planStudy}: study options plus a half-width target. */
export type PlanOptions = Partial<Config> &
  CallControls & {
    /** Target 95 % half-width of the minimum detectable rho and the CI endpoints, e.g. 0.002 (takes precedence over `preset`). */
    tier?: number;
  };

/**
 * The sizes a precision target needs (`tier`: 95 % half-width, e.g. 0.002; or a `preset`; or the
 * configured sizes) and how long the configured grid would take at each preset, from unit costs
 * measured now on this machine.
 */
export async function planStudy(options: PlanOptions = {}): Promise<StudyPlan> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw typeError('options', options, 'an object');
  const { tier, ...rest } = options;
  const config = resolveStudyConfig(rest);
  // an impossible target fails before seconds of measurement (and before an aborted signal)
  const targetSizes = tier !== undefined ? sizesForHalfWidth(tier) : undefined;
  const controls = checkControls(options);
  const work = studyWork(config);
  const costs = await measureUnitCosts(config, controls);
  const row = (name: string, halfWidth: number | undefined, sizes: PresetSizes): PlanRow => ({
    name, halfWidth, sizes, precision: precisionOf(sizes), eta: estimateSeconds(sizes, work, costs.wall), etaIdle: estimateSeconds(sizes, work, costs.cpu, costs.threads),
  });
  const configured: PresetSizes = { nSims: config.nSims, nCal: config.nCal, nReps: config.nReps, nBoot: config.nBoot, nPre: config.nPre };
  const target =
    targetSizes !== undefined ? row(`tier ${tier}`, tier, targetSizes)
    : row(config.preset ?? 'configured sizes', config.preset ? PRESETS[config.preset].halfWidth : undefined, configured);
  return { target, presets: Object.values(PRESETS).map((p) => row(p.name, p.halfWidth, p.sizes)), work, costs };
}
