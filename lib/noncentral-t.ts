/**
 * Distribution functions for the asymptotic methods (docs/methods.md, "Asymptotic methods"): the normal CDF, Student-t and
 * non-central t CDFs with relative accuracy in both tails, and the t / normal quantiles.
 *
 * Quantiles come from stdlib (`@stdlib/stats-base-dists-t-quantile`, `-normal-quantile`). The
 * non-central t CDF is written here because no maintained JavaScript package provides one. It is
 * evaluated as a one-dimensional integral over the scaled chi variable S = sqrt(V / df):
 *
 *   F(t; df, nc) = E[ Phi(t S - nc) ],   1 - F(t; df, nc) = E[ Phi(nc - t S) ].
 *
 * Both integrands are positive, so the lower and the upper tail are each obtained with relative
 * accuracy (no 1 - F cancellation). In u = log S the density of S is proportional to
 * exp(w(u)), w(u) = df (u - (e^{2u} - 1) / 2), which is log-concave with its mode at u = 0 and
 * analytic in a strip around the real axis; the trapezoidal rule on the whole line then converges
 * geometrically in 1/h (error ~ exp(-2 pi d / h)), so a step of a third of the integrand's width
 * reaches machine precision. The sum runs in log space outward from the integrand's own mode
 * (found by golden section), so far tails, whose mass sits at S ~ sqrt(df)/|t| where the integrand
 * itself would underflow, keep their relative accuracy down to the smallest normal double. The
 * normalising constant is summed on its own grid, so no log-gamma is needed and its rounding
 * cancels. Validated against 30- to 80-digit mpmath values (test/fixtures/noncentral_t.json,
 * nct_tails.json, t_tails_extreme.json; relative error <= 1e-12, see test/asymptotic.test.ts).
 * @module
 */
// The stdlib quantiles are loaded on their first call, or soon after the package (below): their
// module trees take tens of milliseconds to load, which every `require('spearsim')` would
// otherwise pay.
let normalQuantileStdlib: ((p: number, mu: number, sigma: number) => number) | undefined;
let tQuantileStdlib: ((p: number, df: number) => number) | undefined;

// ---------------------------------------------------------------------------------------------
// erfc: port of FreeBSD msun s_erf.c (as in @stdlib/math-base-special-erfc), kept here because
// the normal tails must be relative-accurate and no direct dependency provides erfc.
//
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this software is freely granted, provided
// that this notice is preserved.

const ERX = 8.45062911510467529297e-1;
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** x with its low 32 bits cleared (the "pseudo-single" split of s_erf.c; little-endian). */
function clearLowWord(x: number): number {
  F64[0] = x;
  U32[0] = 0;
  return F64[0]!;
}

/**
 * r/q of s_erf.c for |x| >= 1.25: erfc(x) = exp(-x^2 - 0.5625 + r/q) / x. Past |x| = 28 (where
 * erfc underflows) the second fit is extrapolated to s = 1/x^2 -> 0, where it tends to
 * log(1/sqrt(pi)) + 0.5625 as the asymptotic series does; logNormalCdf uses it there.
 */
function tailRational(ax: number): number {
  const s = 1 / (ax * ax);
  if (ax < 2.857142857142857) {
    const r = -9.86494403484714822705e-3 + s * (-0.6938585727071818 + s * (-10.558626225323291 + s * (-62.375332450326006 + s * (-162.39666946257347 + s * (-184.60509290671104 + s * (-81.2874355063066 + s * -9.814329344169145))))));
    const q = 1 + s * (19.651271667439257 + s * (137.65775414351904 + s * (434.56587747522923 + s * (645.3872717332679 + s * (429.00814002756783 + s * (108.63500554177944 + s * (6.570249770319282 + s * -0.0604244152148581)))))));
    return r / q;
  }
  const r = -9.86494292470009928597e-3 + s * (-0.799283237680523 + s * (-17.757954917754752 + s * (-160.63638485582192 + s * (-637.5664433683896 + s * (-1025.0951316110772 + s * -483.5191916086514)))));
  const q = 1 + s * (30.33806074348246 + s * (325.7925129965739 + s * (1536.729586084437 + s * (3199.8582195085955 + s * (2553.0504064331644 + s * (474.52854120695537 + s * -22.44095244658582))))));
  return r / q;
}

/** Complementary error function, relative error of a few ulps over its whole range. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 1.3877787807814457e-17) return 1 - x;
    const z = x * x;
    const r = 1.28379167095512558561e-1 + z * (-0.3250421072470015 + z * (-0.02848174957559851 + z * (-0.005770270296489442 + z * -0.000023763016656650163)));
    const s = 1 + z * (0.39791722395915535 + z * (0.0650222499887673 + z * (0.005081306281875766 + z * (0.00013249473800432164 + z * -0.000003960228278775368))));
    const y = r / s;
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const p = -2.36211856075265944077e-3 + s * (0.41485611868374833 + s * (-0.3722078760357013 + s * (0.31834661990116175 + s * (-0.11089469428239668 + s * (0.035478304325618236 + s * -0.002166375594868791)))));
    const q = 1 + s * (0.10642088040084423 + s * (0.540397917702171 + s * (0.07182865441419627 + s * (0.12617121980876164 + s * (0.01363708391202905 + s * 0.011984499846799107)))));
    return x < 0 ? 1 + ERX + p / q : 1 - ERX - p / q;
  }
  if (ax < 28) {
    if (x < -6) return 2;
    const z = clearLowWord(ax);
    const e = Math.exp(-(z * z) - 0.5625) * Math.exp((z - ax) * (z + ax) + tailRational(ax));
    return x < 0 ? 2 - e / ax : e / ax;
  }
  return x < 0 ? 2 : 0;
}

// ---------------------------------------------------------------------------------------------

/** Standard normal CDF, relative-accurate in the lower tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/**
 * log Phi(x), relative-accurate where Phi(x) underflows (x < -38.5): from the tail form of erfc,
 * log erfc(a) = -a^2 - 0.5625 + r/q - log a, which needs no exponential.
 */
export function logNormalCdf(x: number): number {
  if (x > 0) return Math.log1p(-normalCdf(-x));
  if (x >= -20 || Number.isNaN(x)) return Math.log(normalCdf(x));
  const ax = -x * Math.SQRT1_2;
  const z = clearLowWord(ax);
  return -Math.LN2 - z * z - 0.5625 + (z - ax) * (z + ax) + tailRational(ax) - Math.log(ax);
}

/** Standard normal quantile (stdlib). */
export function normalQuantile(p: number): number {
  return loadNormalQuantile()(p, 0, 1);
}

function loadTQuantile(): (p: number, df: number) => number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tQuantileStdlib ??= require('@stdlib/stats-base-dists-t-quantile') as (p: number, df: number) => number;
  return tQuantileStdlib;
}

function loadNormalQuantile(): (p: number, mu: number, sigma: number) => number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  normalQuantileStdlib ??= require('@stdlib/stats-base-dists-normal-quantile') as (p: number, mu: number, sigma: number) => number;
  return normalQuantileStdlib;
}

// A process that lives on loads them in an event-loop turn of their own shortly after the package,
// so that a call does not hold up the loop (or an abort) while they load; a short-lived one (a
// script, `spearsim --help`) exits first and never pays for them.
setTimeout(() => {
  loadTQuantile();
  loadNormalQuantile();
}, 250).unref();

/** Student-t quantile with `df` degrees of freedom (stdlib). */
export function tQuantile(p: number, df: number): number {
  return loadTQuantile()(p, df);
}

/** Trapezoid steps per width of the integrand (error ~ exp(-2 pi^2 K^2) for a Gaussian shape). */
const STEPS_PER_WIDTH = 3;
/**
 * Largest step: exp(w) grows off the real axis and blows up at |Im u| = pi/4 (the e^{2u} term),
 * so the trapezoid error is at least ~exp(-2 pi (pi/4) / h); 0.1 keeps it below 1e-21 even when
 * df is so small that the width rule below allows a coarser grid.
 */
const MAX_STEP = 0.1;
/** Stop summing outward once a decreasing term is below this fraction of the running sum. */
const TAIL_FRACTION = 1e-18;
const MAX_STEPS = 1_000_000;
/** Golden-section steps locating the integrand's mode (shrink the bracket by 0.618^100). */
const MODE_STEPS = 100;

/**
 * The whole-line trapezoid sum h sum_k exp(g(c + k h) - g(c)) of a log-integrand g, walked
 * outward from c in both directions; each direction stops once its terms are decreasing and
 * negligible (the integrands are unimodal). Working relative to g(c) keeps tails far below the
 * smallest double representable: the integral is exp(g(c)) times the returned sum.
 */
function trapezoidLine(g: (u: number) => number, centre: number, h: number): number {
  const g0 = g(centre);
  let sum = 1;
  for (const dir of [1, -1]) {
    let previous = sum;
    for (let k = 1; k <= MAX_STEPS; k++) {
      const term = Math.exp(g(centre + dir * k * h) - g0);
      sum += term;
      if (term <= previous && term <= TAIL_FRACTION * sum) break;
      previous = term;
    }
  }
  return sum * h;
}

const densityNorm = new Map<number, number>();

/** Log of the unnormalised density of u = log S: w(u) = df (u - (e^{2u} - 1) / 2). */
function logDensity(u: number, df: number): number {
  return df * (u - Math.expm1(2 * u) / 2);
}

/**
 * Normalising integral of exp(w) (its mode is u = 0, where w = 0, with curvature 2 df); cached
 * per df because a grid walks it many times.
 */
function normaliser(df: number): number {
  let cached = densityNorm.get(df);
  if (cached === undefined) {
    const h = Math.min(MAX_STEP, 1 / (STEPS_PER_WIDTH * Math.sqrt(2 * df + 1)));
    cached = trapezoidLine((u) => logDensity(u, df), 0, h);
    if (densityNorm.size > 1000) densityNorm.clear();
    densityNorm.set(df, cached);
  }
  return cached;
}

function checkArgs(t: number, df: number, nc: number): void {
  if (!(df > 0) || Number.isNaN(t) || !Number.isFinite(nc)) {
    throw new RangeError(`non-central t: need df > 0, finite nc and t not NaN; received t=${t}, df=${df}, nc=${nc}`);
  }
}

/**
 * Mode of a unimodal g by golden section on [lo, hi]. Since log Phi <= 0 and w <= df (u + 1/2),
 * the mode satisfies w(u) >= g(0), which bounds it to [g(0)/df - 1/2, ~log(4 |g(0)| / df) / 2].
 */
function modeOf(g: (u: number) => number, df: number): number {
  const g0 = g(0);
  let lo = Math.max(g0 / df - 0.5, -800);
  let hi = Math.min(Math.max(1, 0.5 * Math.log(4 * (1 - g0 / df))), 20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let ga = g(a);
  let gb = g(b);
  for (let step = 0; step < MODE_STEPS && hi - lo > 1e-9; step++) {
    if (ga < gb) {
      lo = a;
      a = b;
      ga = gb;
      b = lo + ratio * (hi - lo);
      gb = g(b);
    } else {
      hi = b;
      b = a;
      gb = ga;
      a = hi - ratio * (hi - lo);
      ga = g(a);
    }
  }
  return (lo + hi) / 2;
}

/** E[Phi(sign * (t S - nc))] over S = sqrt(chi2_df / df). */
function tailIntegral(t: number, df: number, nc: number, sign: 1 | -1): number {
  if (t === 0) return normalCdf(-sign * nc);
  if (t === Infinity) return sign === 1 ? 1 : 0;
  if (t === -Infinity) return sign === 1 ? 0 : 1;
  if (df === Infinity) return Math.exp(logNormalCdf(sign * (t - nc)));
  // In log space around the integrand's own mode: far tails (|t| large) put the mass at
  // S ~ sqrt(df)/|t|, away from the density's mode, where the integrand itself underflows.
  const g = (u: number): number => logNormalCdf(sign * (t * Math.exp(u) - nc)) + logDensity(u, df);
  const centre = modeOf(g, df);
  // The step resolves the larger of the doubled curvature at the mode and the bound
  // 2 df + 2 t'^2 + |t' nc| on the curvature near it (density plus the Gaussian part of Phi; t' =
  // t S at the mode), which also covers Phi's steep rise where it leaves a small plateau.
  const d = 1e-4;
  const curvature = Math.max(0, -(g(centre + d) - 2 * g(centre) + g(centre - d)) / (d * d));
  const tMode = t * Math.exp(centre);
  const width = Math.max(2 * curvature, 2 * df + 2 * tMode * tMode + Math.abs(tMode * nc));
  const h = Math.min(MAX_STEP, 1 / (STEPS_PER_WIDTH * Math.sqrt(width + 1)));
  const p = Math.exp(g(centre) + Math.log(trapezoidLine(g, centre, h) / normaliser(df)));
  return p > 1 ? 1 : p;
}

/** Non-central t CDF F(t; df, nc) (relative error <= 1e-12 for df >= 1, |nc| <= 40). */
export function noncentralTCdf(t: number, df: number, nc: number): number {
  checkArgs(t, df, nc);
  return tailIntegral(t, df, nc, 1);
}

/** Upper tail 1 - F(t; df, nc), computed directly (relative-accurate when tiny). */
export function noncentralTSf(t: number, df: number, nc: number): number {
  checkArgs(t, df, nc);
  return tailIntegral(t, df, nc, -1);
}

/** Student-t CDF (the central case). */
export function studentTCdf(t: number, df: number): number {
  return noncentralTCdf(t, df, 0);
}

/** Two-sided Student-t p-value 2 (1 - T_df(|t|)). */
export function studentTTwoSidedP(t: number, df: number): number {
  const p = 2 * noncentralTSf(Math.abs(t), df, 0);
  return p > 1 ? 1 : p;
}
