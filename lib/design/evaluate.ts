/**
 * One simulated evaluation of a design: power at (n, rho), or the expected bootstrap CI at n.
 * Power runs the study's power kernel for the per-sim Spearman rho of the final, tied data, then
 * tests each sim against the design's signed permutation null (one- or two-sided). The sims at
 * every n draw from the same streams (common random numbers across n). docs/methods.md,
 * "Planning your own study".
 * @module
 */
import { expectedCI } from '../ci';
import { type CallControls, type Config, type GeneratorName, checkControls, resolveConfig } from '../config';
import { SpearsimError } from '../errors';
import { RHO_CLIP } from '../generators';
import { generatorEntry } from '../kernels/generators/table';
import { estimatePower } from '../power';
import { type Provenance, provenance } from '../provenance';
import { closedFormCi, closedFormPower } from './asymptotic';
import { designAtN, designStreamIdentity, poolAt, scenarioAt } from './design';
import { clearDesignNullCache, designNull, signedNullPvalue } from './null';
import type { Design, DesignAlternative, DesignCiPoint, DesignMethod, DesignPowerGrid, DesignPowerPoint } from './types';

/** Options of every design question: any configuration key plus the call controls. */
export type DesignOptions = Partial<Config> & CallControls;

/** A design with its resolved configuration: what every evaluation of one question shares. */
export interface DesignContext {
  design: Design;
  config: Config;
  controls: CallControls;
  alternative: DesignAlternative;
  /** Generator the kernels run: ordinal and pilot y use the rank-mixing generator with a y pool. */
  engineGenerator: GeneratorName;
  /** Engine of the last evaluation. */
  engine: 'native' | 'typescript';
}

/** The pool variant of each signal generator: ordinal and pilot y take their values from a y pool. */
const POOLED: Readonly<Partial<Record<GeneratorName, GeneratorName>>> = {
  nonparametric: 'empirical',
  empirical: 'empirical',
  copula: 'copula-pool',
  'copula-pool': 'copula-pool',
  linear: 'linear-pool',
  'linear-pool': 'linear-pool',
};

/** The generator simulated for a y model (errors name the generator and what works). */
function engineGeneratorFor(design: Design, generator: GeneratorName): GeneratorName {
  if (design.yKind === 'continuous') {
    if (generatorEntry(generator).needsPool) {
      throw new SpearsimError('ERR_UNSUPPORTED', `the ${generator} generator needs a y pool: give an ordinal y (--y-levels) or a pilot y (--y-from FILE --y COL); with continuous y use nonparametric, copula or linear`, {
        option: 'generator',
        value: generator,
        expected: 'nonparametric, copula or linear',
      });
    }
    return generator;
  }
  const pooled = POOLED[generator];
  if (!pooled) {
    const what = design.yKind === 'ordinal' ? 'ordinal y (fixed level proportions)' : 'a pilot y pool';
    throw new SpearsimError('ERR_UNSUPPORTED', `${what} runs with a signal generator whose y values come from the pool; received generator ${generator}`, {
      option: 'generator',
      value: generator,
      expected: 'nonparametric, copula or linear',
    });
  }
  return pooled;
}

/** Resolves options for a question on a design; `extraKeys` are the question's own keys. */
export function designContext(design: Design, options: DesignOptions | undefined, extraKeys: readonly string[]): DesignContext {
  const config = resolveConfig(options, extraKeys);
  const controls = checkControls(options);
  return { design, config, controls, alternative: config.alternative, engineGenerator: engineGeneratorFor(design, config.generator), engine: 'typescript' };
}

/** How the simulated answers of a context are computed. */
export function designMethod(ctx: DesignContext): DesignMethod {
  return {
    generator: ctx.config.generator,
    engineGenerator: ctx.engineGenerator,
    alternative: ctx.alternative,
    alpha: ctx.config.alpha,
    nSims: ctx.config.nSims,
    nPre: ctx.config.nPre,
    nullKind: ctx.design.yKind === 'ordinal' ? 'x-and-y-margins' : 'x-margin',
  };
}

/** Provenance of a context's answers. */
export function designProvenance(ctx: DesignContext): Provenance {
  return provenance(ctx.config, ctx.engine);
}

/** Secant steps of the calibration on the power sims, and the |mean rho-hat - target| it stops at. */
const SELF_CALIBRATION_STEPS = 12;
const SELF_CALIBRATION_TOLERANCE = 2e-4;
/** Calibrated inputs found, by the identity of the sims and the target. */
const calibrated = new Map<string, number>();

/** Forgets the design nulls and calibrated inputs kept in memory (results are unaffected). */
export function clearDesignCaches(): void {
  calibrated.clear();
  clearDesignNullCache();
}

/**
 * Power at (n, rho): the sims at generator input rho_in, where rho_in is solved on the sims
 * themselves so that their mean Spearman rho equals rho (regula falsi on the kept sims; the
 * calibration of the final, tied data with nSims datasets instead of nCal). Each sim is then
 * tested against the design's signed null.
 */
export async function simulatePower(ctx: DesignContext, n: number, rho: number): Promise<DesignPowerPoint> {
  const { design, config, controls } = ctx;
  const at = designAtN(design, n);
  const direction = rho < 0 ? 'negative' : 'positive';
  const scenario = scenarioAt(design, at);
  const pool = poolAt(design, at);
  const streamIdentity = designStreamIdentity(design, ctx.engineGenerator, direction);
  const run = (rhoIn: number, keepPerSim: boolean) =>
    estimatePower(scenario, {
      ...config,
      generator: ctx.engineGenerator,
      rho: rhoIn,
      direction,
      pool,
      keepPerSim,
      calibrationMode: 'off',
      usePermutationPvalue: true,
      pvalueMcOnCacheMiss: false,
      empiricalUsePrecomputedNull: true,
      streamIdentity,
      signal: controls.signal,
    });
  const calibrate = config.calibrationMode !== 'off' && rho !== 0;
  const id = JSON.stringify({ streamIdentity, n, counts: at.counts, yCounts: at.yCounts, rho, seed: config.seed, nSims: config.nSims, vectorize: config.vectorize });
  let rhoIn = calibrate ? (calibrated.get(id) ?? NaN) : rho;
  if (Number.isNaN(rhoIn)) {
    rhoIn = await solveInput(rho, async (input) => (await run(input, false)).realisedMeanRho);
    calibrated.set(id, rhoIn);
  }
  const estimate = await run(rhoIn, true);
  const sortedNull = await designNull(at.counts, design.yKind === 'ordinal' ? at.yCounts : null, config, { signal: controls.signal });
  const rhoHat = estimate.perSim!.rhoHat;
  let rejections = 0;
  for (let i = 0; i < rhoHat.length; i++) if (signedNullPvalue(sortedNull, rhoHat[i]!, ctx.alternative) < config.alpha) rejections++;
  ctx.engine = estimate.provenance.engine;
  const power = rejections / config.nSims;
  return {
    n,
    rho,
    counts: at.counts,
    yCounts: at.yCounts,
    power,
    powerSe: Math.sqrt((power * (1 - power)) / config.nSims),
    realisedMeanRho: estimate.realisedMeanRho,
    rhoIn,
    asymptoticPower: closedFormPower(n, rho, config.alpha, ctx.alternative),
  };
}

/** The input at which meanRho(input) = target (increasing in input): regula falsi (Illinois) from input = target. */
async function solveInput(target: number, meanRho: (input: number) => Promise<number>): Promise<number> {
  const limit = RHO_CLIP;
  let a = target;
  let fa = (await meanRho(a)) - target;
  if (Math.abs(fa) <= SELF_CALIBRATION_TOLERANCE) return a;
  // ties shrink |rho|: step outwards in proportion until the target is bracketed
  let b = Math.max(-limit, Math.min(limit, target - fa * 1.5));
  let fb = (await meanRho(b)) - target;
  let steps = 2;
  while (fa * fb > 0 && steps < SELF_CALIBRATION_STEPS && Math.abs(b) < limit) {
    a = b;
    fa = fb;
    b = Math.max(-limit, Math.min(limit, b - fb * 2));
    fb = (await meanRho(b)) - target;
    steps++;
  }
  if (fa * fb > 0) return Math.abs(fa) < Math.abs(fb) ? a : b; // target beyond the generator's reach: the nearest input
  let side = 0;
  while (steps < SELF_CALIBRATION_STEPS) {
    const c = b - (fb * (b - a)) / (fb - fa);
    const fc = (await meanRho(c)) - target;
    steps++;
    if (Math.abs(fc) <= SELF_CALIBRATION_TOLERANCE) return c;
    if (fc * fb < 0) {
      a = b;
      fa = fb;
      side = 0;
    } else if (side === 1) {
      fa /= 2;
    } else {
      side = 1;
    }
    b = c;
    fb = fc;
  }
  return Math.abs(fa) < Math.abs(fb) ? a : b;
}

/** Expected bootstrap CI at (n, rho): mean ends and width, each with its SE over reps. */
export async function simulateCi(ctx: DesignContext, n: number, rho: number): Promise<DesignCiPoint> {
  const { design, config, controls } = ctx;
  const at = designAtN(design, n);
  const r = await expectedCI(scenarioAt(design, at), { ...config, generator: ctx.engineGenerator, rho, pool: poolAt(design, at), signal: controls.signal });
  ctx.engine = r.provenance.engine;
  const root = Math.sqrt(Math.max(1, r.nReps - r.repsWithoutInterval));
  return {
    n,
    counts: at.counts,
    rho,
    ciLower: r.ciLower,
    ciUpper: r.ciUpper,
    ciLowerSe: r.ciLowerSd / root,
    ciUpperSe: r.ciUpperSd / root,
    meanWidth: r.ciUpper - r.ciLower,
    meanWidthSe: r.ciWidthSd / root,
    asymptoticCi: closedFormCi(n, rho, config.alpha, config.fisherVariance),
    nReps: r.nReps,
    nBoot: r.nBoot,
  };
}

/**
 * Power over a grid of n and of rho (every cell simulated, with its SE and the closed form): the
 * data of power curves and plots.
 */
export async function designPowerGrid(design: Design, grid: { ns: readonly number[]; rhos: readonly number[] }, options: DesignOptions = {}): Promise<DesignPowerGrid> {
  const ctx = designContext(design, options, []);
  const ns = checkList('ns', grid?.ns, (v) => Number.isInteger(v) && v >= 3);
  const rhos = checkList('rhos', grid?.rhos, (v) => v > -1 && v < 1);
  const points: DesignPowerPoint[] = [];
  const total = ns.length * rhos.length;
  for (const n of ns) {
    for (const rho of rhos) {
      points.push(await simulatePower(ctx, n, rho));
      ctx.controls.onProgress?.(points.length, total);
    }
  }
  return { design, method: designMethod(ctx), ns, rhos, points, provenance: designProvenance(ctx) };
}

/** A non-empty list of numbers passing `ok`. */
export function checkList(option: string, value: unknown, ok: (v: number) => boolean): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number' && ok(v))) {
    throw new SpearsimError('ERR_OUT_OF_RANGE', `${option} must be a non-empty list of valid values`, {
      option,
      value,
      expected: option.startsWith('rho') ? 'numbers in (-1, 1)' : 'integers >= 3',
    });
  }
  return [...(value as number[])];
}
