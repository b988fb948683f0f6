/**
 * Closed-form answers of a design, instant, shown beside every simulated one: non-central t power
 * (no tie inflation: the midrank statistic's null variance is 1/(n-1) whatever the ties) and the
 * Fisher-z CI. docs/methods.md, "Asymptotic methods" and "Planning your own study".
 * @module
 */
import { asymptoticPower, fisherCI } from '../asymptotic';
import type { FisherVarianceName } from '../fisher-variance/registry';
import { noncentralTCdf, noncentralTSf, tQuantile } from '../noncentral-t';
import type { DesignAlternative } from './types';

/** Bisection steps of the closed-form minimum detectable rho. */
const RHO_STEPS = 50;

/** Closed-form power of the test of rho = 0 at true rho (NaN below n = 4, where the formula has no df). */
export function closedFormPower(n: number, rho: number, alpha: number, alternative: DesignAlternative): number {
  if (n < 4) return NaN;
  if (alternative === 'two-sided') return asymptoticPower(n, rho, { alpha });
  const df = n - 2;
  const nc = (rho * Math.sqrt(df)) / Math.sqrt(Math.max(1 - rho * rho, 1e-12));
  const tCrit = tQuantile(1 - alpha, df);
  return alternative === 'greater' ? noncentralTSf(tCrit, df, nc) : noncentralTCdf(-tCrit, df, nc);
}

/** Closed-form minimum detectable rho at n (signed: negative for `less` or a negative direction). */
export function closedFormMdr(n: number, alpha: number, alternative: DesignAlternative, target: number, negative: boolean): number {
  if (n < 4) return NaN;
  const sign = alternative === 'less' || (alternative === 'two-sided' && negative) ? -1 : 1;
  let lo = 0;
  let hi = 0.999;
  if (closedFormPower(n, sign * hi, alpha, alternative) < target) return NaN;
  for (let step = 0; step < RHO_STEPS; step++) {
    const mid = (lo + hi) / 2;
    if (closedFormPower(n, sign * mid, alpha, alternative) < target) lo = mid;
    else hi = mid;
  }
  return sign * hi;
}

/** Smallest n in [lo, hi] with f(n) true, for f monotone (false ... true); null when f(hi) is false. */
export function smallestTrue(lo: number, hi: number, f: (n: number) => boolean): number | null {
  if (!f(hi)) return null;
  let a = lo - 1; // f(a) false (or a below the range)
  let b = hi;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (f(mid)) b = mid;
    else a = mid;
  }
  return b;
}

/** Closed-form smallest n in the range with power >= target at rho (null when beyond it). */
export function closedFormN(rho: number, alpha: number, alternative: DesignAlternative, target: number, range: readonly [number, number]): number | null {
  return smallestTrue(Math.max(4, range[0]), range[1], (n) => closedFormPower(n, rho, alpha, alternative) >= target);
}

/** Fisher-z CI at n around rho (the Fisher-z variance of option fisherVariance). */
export function closedFormCi(n: number, rho: number, alpha: number, fisherVariance: FisherVarianceName): [number, number] {
  return n < 4 ? [NaN, NaN] : fisherCI(n, rho, { alpha, fisherVariance });
}

/** Closed-form smallest n in the range with Fisher-z half-width <= h at rho. */
export function closedFormNForHalfWidth(rho: number, alpha: number, h: number, range: readonly [number, number], fisherVariance: FisherVarianceName): number | null {
  return smallestTrue(Math.max(4, range[0]), range[1], (n) => {
    const [lo, hi] = closedFormCi(n, rho, alpha, fisherVariance);
    return (hi - lo) / 2 <= h;
  });
}

/** d power / dn of the closed form at n (central difference), for the delta-method SE of n. */
export function closedFormSlopeInN(n: number, rho: number, alpha: number, alternative: DesignAlternative): number {
  const a = Math.max(4, n - 2);
  const b = n + 2;
  return (closedFormPower(b, rho, alpha, alternative) - closedFormPower(a, rho, alpha, alternative)) / (b - a);
}

/** d power / d rho of the closed form at (n, rho), for the delta-method SE of the minimum detectable rho. */
export function closedFormSlopeInRho(n: number, rho: number, alpha: number, alternative: DesignAlternative): number {
  const d = 0.005;
  const a = Math.max(-0.999, rho - d);
  const b = Math.min(0.999, rho + d);
  return (closedFormPower(n, b, alpha, alternative) - closedFormPower(n, a, alpha, alternative)) / (b - a);
}
