/**
 * BCa, bias-corrected and accelerated (Efron & Tibshirani 1993, ch. 14): the resample quantiles at
 * Phi(z0 + (z0 + z)/(1 - a (z0 + z))), z = -+z_{alpha/2}, with z0 from the share of resamples below
 * rho (ties counted half) and the acceleration a from the exact jackknife. Where BCa is undefined
 * the percentile interval is returned with the coded warning SPEARSIM_BCA_UNDEFINED
 * (docs/methods.md, "Bootstrap confidence intervals").
 * @module
 */
import { quantileMcSe, quantileType7Sorted } from '../internal/bootstrap-engine';
import { type Interval, accelerationOf, percentilesOf, shareBelow } from '../intervals';
import { ndtri } from '../mathfn';
import { normalCdf } from '../noncentral-t';
import type { IntervalInputs, IntervalMethodSpec } from './variant';

/** The standard normal density. */
function normalDensity(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Why BCa is undefined for this distribution and jackknife, or the interval. Undefined cases: all
 * resamples equal, rho outside every resample (z0 infinite), a jackknife value undefined or all
 * equal (no acceleration), or a level adjustment that leaves (0, 1) or loses monotonicity.
 */
function bcaInterval({ sorted, rho, alpha, jackknife }: IntervalInputs): Interval | string {
  if (sorted[0] === sorted[sorted.length - 1]) return 'all bootstrap resamples have the same rho';
  const share = shareBelow(sorted, rho);
  if (share === 0 || share === 1) return `rho = ${rho} lies ${share === 0 ? 'below' : 'above'} every bootstrap resample, so the bias correction z0 is infinite`;
  const z0 = ndtri(share);
  const jk = jackknife();
  const bad = jk.findIndex((v) => Number.isNaN(v));
  if (bad >= 0) return `leaving out observation ${bad + 1} makes x or y constant, so the jackknife acceleration is undefined`;
  const a = accelerationOf(jk);
  if (Number.isNaN(a)) return 'all jackknife values are equal, so the acceleration is undefined';
  const za = ndtri(alpha / 2);
  const levels: number[] = [];
  // d level / d z0 at each end, for the Monte Carlo error that z0 (a share of the resamples) passes on
  const slopes: number[] = [];
  for (const z of [za, -za]) {
    const num = z0 + z;
    const den = 1 - a * num;
    if (!(den > 0)) return `the acceleration a = ${a} is too large for the level adjustment (1 - a (z0 + z) <= 0)`;
    const w = z0 + num / den;
    levels.push(normalCdf(w));
    slopes.push(normalDensity(w) * (1 + 1 / (den * den)));
  }
  const [qLo, qHi] = levels as [number, number];
  if (!(qLo > 0 && qHi < 1 && qLo < qHi)) return `the adjusted quantile levels (${qLo}, ${qHi}) are degenerate`;
  // An endpoint is Q(q(share)): the resample quantile at a level that itself moves with the share of
  // resamples below rho. Both are read from one empirical CDF, so by the delta method
  // m Var = Q'^2 [q (1 - q) + g^2 share (1 - share) - 2 g (min(q, share) - q share)],
  // g = dq/dshare; Q' comes from the order-statistic band (quantileMcSe = Q' sqrt(q (1 - q) / m)).
  const endpointSe = (q: number, slope: number): number => {
    const g = slope / normalDensity(z0);
    const v = q * (1 - q) + g * g * share * (1 - share) - 2 * g * (Math.min(q, share) - q * share);
    return quantileMcSe(sorted, q) * Math.sqrt(Math.max(0, v) / (q * (1 - q)));
  };
  return {
    lower: quantileType7Sorted(sorted, qLo),
    upper: quantileType7Sorted(sorted, qHi),
    lowerSe: endpointSe(qLo, slopes[0]!),
    upperSe: endpointSe(qHi, slopes[1]!),
    method: 'bca',
    z0,
    acceleration: a,
    levels: [qLo, qHi],
  };
}

export const bcaMethod: IntervalMethodSpec<'bca'> = {
  name: 'bca',
  code: 2,
  label: 'BCa',
  needs: { distribution: true, jackknife: true },
  usedBy: ['bootstrapCI', 'bootstrapInterval', 'expected CI', 'analyze'],
  compute(inputs) {
    const p = percentilesOf('percentile', inputs.sorted, inputs.rho, inputs.alpha);
    if (inputs.sorted.length === 0) return { ...p, method: 'bca' };
    const bca = bcaInterval(inputs);
    if (typeof bca !== 'string') return bca;
    return { ...p, warning: `BCa is undefined (${bca}); the percentile interval is reported instead`, warningCode: 'SPEARSIM_BCA_UNDEFINED' };
  },
};
