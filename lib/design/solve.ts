/**
 * The questions asked of a design, one function each: power at given n(s) and rho(s), the minimum
 * detectable rho at n, the smallest n with power >= target, the expected bootstrap CI at n, and the
 * smallest n whose expected CI half-width is <= h. Searches are bounded (never a hang) and report
 * every evaluation. docs/methods.md, "Planning your own study".
 * @module
 */
import { SpearsimError, rangeError } from '../errors';
import {
  closedFormMdr, closedFormN, closedFormNForHalfWidth, closedFormSlopeInN, closedFormSlopeInRho,
} from './asymptotic';
import { designAtN } from './design';
import { type DesignContext, type DesignOptions, checkList, designContext, designMethod, designProvenance, simulateCi, simulatePower } from './evaluate';
import type {
  Design, DesignCiResult, DesignCiWidthResult, DesignMdrResult, DesignNResult, DesignPowerPoint, DesignPowerResult,
} from './types';

/** The minimum-detectable-rho search stops when its bracket is this narrow. */
export const MDR_TOLERANCE = 1e-3;
/** Most simulated evaluations of one search (a bound, not a target: searches need far fewer). */
export const MAX_SEARCH_EVALUATIONS = 40;

function nOf(design: Design, n: number | undefined): number {
  const value = n ?? design.n;
  if (value === null || value === undefined) {
    throw new SpearsimError('ERR_INVALID_TYPE', 'this question needs a sample size: give n (the design has proportions only)', { option: 'n', expected: 'an integer in [3, 200000]' });
  }
  return value;
}

function rhoOf(rho: unknown): number {
  if (typeof rho !== 'number' || !(rho > -1 && rho < 1)) throw rangeError('rho', rho, 'a number in (-1, 1)');
  return rho;
}

function rangeOf(design: Design, range: readonly [number, number] | undefined): [number, number] {
  if (range === undefined) return [design.nRange[0], design.nRange[1]];
  if (!Array.isArray(range) || range.length !== 2 || !(range[0] <= range[1])) throw rangeError('nRange', range, 'a range [lo, hi] with lo <= hi');
  designAtN(design, range[0], 'nRange');
  designAtN(design, range[1], 'nRange');
  return [range[0], range[1]];
}

/** Power at every (n, rho) given; the first point's numbers are repeated at the top level. */
export async function designPower(
  design: Design,
  options: DesignOptions & { rho: number | readonly number[]; n?: number | readonly number[] },
): Promise<DesignPowerResult> {
  const ctx = designContext(design, options, ['rho', 'n']);
  const rhos = checkList('rho', Array.isArray(options.rho) ? options.rho : [options.rho], (v) => v > -1 && v < 1);
  const ns = options.n === undefined ? [nOf(design, undefined)] : checkList('n', Array.isArray(options.n) ? options.n : [options.n], (v) => Number.isInteger(v) && v >= 3);
  for (const n of ns) designAtN(design, n); // every n valid before any simulation
  const points: DesignPowerPoint[] = [];
  for (const n of ns) for (const rho of rhos) points.push(await simulatePower(ctx, n, rho));
  const first = points[0]!;
  return {
    question: 'power', design, method: designMethod(ctx), points, n: first.n, rho: first.rho, counts: first.counts, power: first.power, powerSe: first.powerSe,
    asymptoticPower: first.asymptoticPower, provenance: designProvenance(ctx),
  };
}

/**
 * A search's evaluations: each point evaluated once (memoised by key), recorded in order, and at
 * most MAX_SEARCH_EVALUATIONS of them (progress reports evaluations against that bound).
 */
function searchEvaluations<P>(ctx: DesignContext, evaluate: (at: number) => Promise<P>, record: (p: P) => void): { at(key: number): Promise<P>; all(): P[] } {
  const cache = new Map<number, P>();
  return {
    async at(key: number): Promise<P> {
      let p = cache.get(key);
      if (!p) {
        if (cache.size >= MAX_SEARCH_EVALUATIONS) throw new SpearsimError('ERR_INTERNAL', `search exceeded ${MAX_SEARCH_EVALUATIONS} evaluations`, { option: 'search' });
        p = await evaluate(key);
        cache.set(key, p);
        record(p);
        ctx.controls.onProgress?.(cache.size, MAX_SEARCH_EVALUATIONS);
      }
      return p;
    },
    all: () => [...cache.values()],
  };
}

/**
 * The smallest |rho| with power >= targetPower at n (signed: negative for `less`, or with
 * direction 'negative'): bracketing from the closed-form answer, then bisection to 1e-3, every
 * step on the same sims. Its SE is the power SE at the answer over the power curve's slope there.
 */
export async function designMinDetectableRho(design: Design, options: DesignOptions & { n?: number; direction?: 'positive' | 'negative' } = {}): Promise<DesignMdrResult> {
  const ctx = designContext(design, options, ['n', 'direction']);
  const n = nOf(design, options.n);
  const at = designAtN(design, n);
  const { alpha, targetPower } = ctx.config;
  const negative = ctx.alternative === 'less' || (ctx.alternative === 'two-sided' && options.direction === 'negative');
  const sign = negative ? -1 : 1;
  const asymptotic = closedFormMdr(n, alpha, ctx.alternative, targetPower, negative);
  const steps: DesignMdrResult['steps'] = [];
  const evaluations = searchEvaluations(ctx, (r) => simulatePower(ctx, n, sign * r), (p) => steps.push({ rho: p.rho, power: p.power, powerSe: p.powerSe }));
  const at_ = (r: number): Promise<DesignPowerPoint> => evaluations.at(Math.round(r * 1e6) / 1e6);
  const start = Number.isFinite(asymptotic) ? Math.min(0.95, Math.max(0.02, Math.abs(asymptotic))) : 0.5;
  let lo = 0;
  let hi = 0.99;
  let step = 0.05;
  if ((await at_(start)).power >= targetPower) {
    hi = start;
    for (let r = start - step; ; r -= step, step *= 2) {
      if (r <= 0) break;
      if ((await at_(r)).power < targetPower) {
        lo = r;
        break;
      }
      hi = r;
    }
  } else {
    lo = start;
    for (let r = start + step; ; r += step, step *= 2) {
      const rr = Math.min(0.99, r);
      if ((await at_(rr)).power >= targetPower) {
        hi = rr;
        break;
      }
      lo = rr;
      if (rr >= 0.99) break;
    }
  }
  const top = await at_(hi);
  const reachable = top.power >= targetPower;
  while (reachable && hi - lo > MDR_TOLERANCE) {
    const mid = (lo + hi) / 2;
    if ((await at_(mid)).power >= targetPower) hi = mid;
    else lo = mid;
  }
  const answer = await at_(hi);
  const slope = Math.abs(closedFormSlopeInRho(n, answer.rho, alpha, ctx.alternative));
  return {
    question: 'mdr', design, method: designMethod(ctx), n, counts: at.counts, targetPower,
    minDetectableRho: reachable ? answer.rho : NaN,
    minDetectableRhoSe: reachable && slope > 0 ? answer.powerSe / slope : NaN,
    power: answer.power, powerSe: answer.powerSe, asymptoticMinDetectableRho: asymptotic, steps, provenance: designProvenance(ctx),
  };
}

/**
 * The smallest n in the range with power >= targetPower at rho: bracketing from the closed-form
 * answer, then bisection on n down to neighbours n - 1 (power < target) and n (power >= target),
 * with the tie structure rescaled at each n and the same streams at every n. A target not reached
 * at the range's top gives reachable: false and the best power found.
 */
export async function designSampleSize(design: Design, options: DesignOptions & { rho: number; nRange?: readonly [number, number] }): Promise<DesignNResult> {
  const ctx = designContext(design, options, ['rho', 'nRange']);
  const rho = rhoOf(options.rho);
  const [nMin, nMax] = rangeOf(design, options.nRange);
  const { alpha, targetPower } = ctx.config;
  const asymptoticN = closedFormN(rho, alpha, ctx.alternative, targetPower, [nMin, nMax]);
  const steps: DesignNResult['steps'] = [];
  const evaluations = searchEvaluations(ctx, (n) => simulatePower(ctx, n, rho), (p) => steps.push({ n: p.n, power: p.power, powerSe: p.powerSe }));
  const at = evaluations.at;
  const meets = async (n: number): Promise<boolean> => (await at(n)).power >= targetPower;
  const start = Math.min(nMax, Math.max(nMin, asymptoticN ?? nMax));
  let lo = nMin - 1; // largest n known below target (nMin - 1: none)
  let hi = nMax + 1; // smallest n known at or above target (nMax + 1: none)
  let step = Math.max(2, Math.ceil(0.1 * start));
  if (await meets(start)) {
    hi = start;
    for (let n = start - step; hi > nMin; n -= step, step *= 2) {
      const m = Math.max(nMin, n);
      if (!(await meets(m))) {
        lo = m;
        break;
      }
      hi = m;
    }
  } else {
    lo = start;
    for (let n = start + step; lo < nMax; n += step, step *= 2) {
      const m = Math.min(nMax, n);
      if (await meets(m)) {
        hi = m;
        break;
      }
      lo = m;
    }
  }
  const reachable = hi <= nMax;
  while (reachable && hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await meets(mid)) hi = mid;
    else lo = mid;
  }
  let best = await at(reachable ? hi : nMax);
  if (!reachable) for (const p of evaluations.all()) if (p.power > best.power) best = p;
  const below = reachable && hi > nMin ? await at(hi - 1) : null;
  const slope = closedFormSlopeInN(best.n, rho, alpha, ctx.alternative);
  return {
    question: 'n', design, method: designMethod(ctx),
    n: reachable ? hi : null, reachable, rho, targetPower, counts: best.counts, yCounts: best.yCounts, power: best.power, powerSe: best.powerSe,
    powerAtNMinus1: below ? below.power : null, powerAtNMinus1Se: below ? below.powerSe : null,
    nSe: reachable && slope > 0 ? best.powerSe / slope : null, asymptoticN, steps, provenance: designProvenance(ctx),
  };
}

/** The expected bootstrap CI at n around rho, its ends' and width's SEs, and the Fisher-z CI beside it. */
export async function designCi(design: Design, options: DesignOptions & { rho: number; n?: number }): Promise<DesignCiResult> {
  const ctx = designContext(design, options, ['rho', 'n']);
  const point = await simulateCi(ctx, nOf(design, options.n), rhoOf(options.rho));
  return { question: 'ci', design, method: designMethod(ctx), ...point, provenance: designProvenance(ctx) };
}

/**
 * The smallest n in the range whose expected CI half-width (mean width / 2) is <= halfWidth at
 * rho: from the Fisher-z answer, a bracket by the 1/sqrt(n) law, then bisection on n.
 */
export async function designCiWidth(design: Design, options: DesignOptions & { rho: number; nRange?: readonly [number, number] }): Promise<DesignCiWidthResult> {
  const ctx = designContext(design, options, ['rho', 'nRange']);
  const rho = rhoOf(options.rho);
  const h = ctx.config.halfWidth;
  const [nMin, nMax] = rangeOf(design, options.nRange);
  const asymptoticN = closedFormNForHalfWidth(rho, ctx.config.alpha, h, [nMin, nMax], ctx.config.fisherVariance);
  const steps: DesignCiWidthResult['steps'] = [];
  const evaluations = searchEvaluations(ctx, (n) => simulateCi(ctx, n, rho), (p) => steps.push({ n: p.n, meanHalfWidth: p.meanWidth / 2, meanHalfWidthSe: p.meanWidthSe / 2 }));
  const at = evaluations.at;
  const narrow = async (n: number): Promise<boolean> => (await at(n)).meanWidth / 2 <= h;
  let n = Math.min(nMax, Math.max(nMin, asymptoticN ?? nMax));
  let lo = nMin - 1;
  let hi = nMax + 1;
  // the half-width falls like 1/sqrt(n): jump to the predicted n until the target is bracketed
  while (hi - lo > 1 && !(lo >= nMin && hi <= nMax)) {
    const p = await at(n);
    const ratio = (p.meanWidth / 2 / h) ** 2;
    if (p.meanWidth / 2 <= h) {
      hi = n;
      if (n === nMin) break;
      n = Math.max(nMin, lo + 1, Math.min(n - 1, Math.floor(n * ratio * 0.98)));
    } else {
      lo = n;
      if (n === nMax) break;
      n = Math.min(nMax, hi - 1, Math.max(n + 1, Math.ceil(n * ratio * 1.02)));
    }
  }
  const reachable = hi <= nMax;
  while (reachable && hi - lo > 1 && lo >= nMin - 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid < nMin) break;
    if (await narrow(mid)) hi = mid;
    else lo = mid;
  }
  const answer = await at(reachable ? hi : nMax);
  const below = reachable && hi > nMin ? await at(hi - 1) : null;
  return {
    question: 'ci-width', design, method: designMethod(ctx),
    n: reachable ? hi : null, reachable, rho, halfWidth: h, counts: answer.counts,
    meanHalfWidth: answer.meanWidth / 2, meanHalfWidthSe: answer.meanWidthSe / 2,
    meanHalfWidthAtNMinus1: below ? below.meanWidth / 2 : null, meanHalfWidthAtNMinus1Se: below ? below.meanWidthSe / 2 : null,
    asymptoticN, steps, provenance: designProvenance(ctx),
  };
}
