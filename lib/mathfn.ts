// Elementary functions shared bit for bit with native/mathfn.hpp.
//
// Math.log / Math.exp (and libm on the native side) may differ between engines and platforms in
// the last ulp, so both the native kernels and this TypeScript fallback use these
// implementations. They use only IEEE-754 +, -, *, /, Math.sqrt (correctly rounded) and bit
// manipulation, and evaluate every expression in exactly the same order as native/mathfn.hpp.
// Any change here must be mirrored there; test/mathfn.test.ts checks the two agree bit for bit.
//
//   log   : fdlibm __ieee754_log algorithm; error < 1 ulp.
//   exp   : fdlibm __ieee754_exp algorithm; error < 1 ulp.
//   ndtri : inverse standard normal CDF, Wichura (1988) AS 241 PPND16; relative error ~1e-16.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

// Word access below assumes little-endian layout (index 1 = high word).
f64[0] = 1.0;
if (u32[1] !== 0x3ff00000 || u32[0] !== 0) {
  throw new Error('spearsim/mathfn: big-endian platforms are not supported');
}

function hiWord(x: number): number {
  f64[0] = x;
  return u32[1]! | 0; // signed, like int32_t
}

function loWord(x: number): number {
  f64[0] = x;
  return u32[0]!; // unsigned
}

function withHiWord(x: number, hi: number): number {
  f64[0] = x;
  u32[1] = hi; // stored modulo 2^32, like uint32_t
  return f64[0]!;
}

const LN2_HI = 6.9314718036912381649e-1; // 3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 3dea39ef 35793c76
const TWO54 = 1.8014398509481984e16; // 43500000 00000000

const LG1 = 6.66666666666673513e-1; // 3fe55555 55555593
const LG2 = 3.999999999940941908e-1; // 3fd99999 9997fa04
const LG3 = 2.857142874366239149e-1; // 3fd24924 94229359
const LG4 = 2.222219843214978396e-1; // 3fcc71c5 1d8e78af
const LG5 = 1.818357216161805012e-1; // 3fc74664 96cb03de
const LG6 = 1.531383769920937332e-1; // 3fc39a09 d078c69f
const LG7 = 1.479819860511658591e-1; // 3fc2f112 df3e5244

const OVERFLOW = 7.09782712893383973096e2; // 40862e42 fefa39ef
const UNDERFLOW = -7.4513321910194110842e2; // c0874910 d52d3051
const INV_LN2 = 1.442695040888963387; // 3ff71547 652b82fe
const TWOM1000 = 9.3326361850321887899e-302; // 01700000 00000000
const P1 = 1.66666666666666019037e-1; // 3fc55555 5555553e
const P2 = -2.77777777770155933842e-3; // bf66c16c 16bebd93
const P3 = 6.61375632143793436117e-5; // 3f11566a af25de2c
const P4 = -1.6533902205465251539e-6; // bebbbd41 c5d26bf1
const P5 = 4.13813679705723846039e-8; // 3e663769 72bea4d0

/** Natural logarithm (fdlibm algorithm). log(±0) = -Infinity, log(x < 0) = NaN. */
export function log(x: number): number {
  let hx = hiWord(x);
  const lx = loWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022: zero, subnormal or negative
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54; // exact: scale the subnormal up
    hx = hiWord(x);
  }
  if (hx >= 0x7ff00000) return x + x; // +inf or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i0 = (hx + 0x95f64) & 0x100000;
  x = withHiWord(x, hx | (i0 ^ 0x3ff00000)); // normalise x or x/2
  k += i0 >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f === 0.0) {
      if (k === 0) return 0.0;
      const dk = k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k === 0) return f - R;
    const dk = k;
    return dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  let i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

/** Exponential (fdlibm algorithm). Overflows to Infinity above 709.78, underflows to 0 below -745.13. */
export function exp(x: number): number {
  const hxs = hiWord(x) >>> 0;
  const xsb = hxs >>> 31; // sign bit of x
  const hx = (hxs & 0x7fffffff) >>> 0; // high word of |x|

  if (hx >= 0x40862e42) {
    // |x| >= 709.78...
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | loWord(x)) !== 0) return x + x; // NaN
      return xsb === 0 ? x : 0.0; // exp(±inf) = {inf, 0}
    }
    if (x > OVERFLOW) return Infinity;
    if (x < UNDERFLOW) return 0.0;
  }

  let hi = 0.0;
  let lo = 0.0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > 0.5 ln2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5 ln2
      if (xsb === 0) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = (INV_LN2 * x + (xsb === 0 ? 0.5 : -0.5)) | 0; // truncation toward 0
      const t = k;
      hi = x - t * LN2_HI; // t*LN2_HI is exact here
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28
    return 1.0 + x;
  }

  // x is now in the primary range [-0.5 ln2, 0.5 ln2]
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    return withHiWord(y, (hiWord(y) + (k << 20)) >>> 0);
  }
  const yk = withHiWord(y, (hiWord(y) + ((k + 1000) << 20)) >>> 0);
  return yk * TWOM1000;
}

/**
 * Inverse of the standard normal CDF (probit), Wichura (1988) AS 241 PPND16.
 * ndtri(0) = -Infinity, ndtri(1) = Infinity, NaN outside [0, 1].
 */
export function ndtri(p: number): number {
  if (!(p >= 0.0 && p <= 1.0)) return NaN;
  if (p === 0.0) return -Infinity;
  if (p === 1.0) return Infinity;
  const q = p - 0.5;
  if ((q < 0.0 ? -q : q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num =
      ((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r +
        4.5921953931549871457e4) * r + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r +
        1.3314166789178437745e2) * r + 3.387132872796366608;
    const den =
      ((((((5.226495278852854561e3 * r + 2.8729085735721942674e4) * r + 3.930789580009271061e4) * r +
        2.1213794301586595867e4) * r + 5.3941960214247511077e3) * r + 6.871870074920579083e2) * r +
        4.2313330701600911252e1) * r + 1.0;
    return (q * num) / den;
  }
  let r = q < 0.0 ? p : 1.0 - p;
  r = Math.sqrt(-log(r));
  let x: number;
  if (r <= 5.0) {
    r = r - 1.6;
    const num =
      ((((((7.7454501427834140764e-4 * r + 2.27238449892691845833e-2) * r + 2.4178072517745061177e-1) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734;
    const den =
      ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 1.51986665636164571966e-2) * r +
        1.4810397642748007459e-1) * r + 6.8976733498510000455e-1) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1.0;
    x = num / den;
  } else {
    r = r - 5.0;
    const num =
      ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.2426609473880784386e-3) * r +
        2.6532189526576123093e-2) * r + 2.9656057182850489123e-1) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772;
    const den =
      ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 1.48753612908506148525e-2) * r + 1.3692988092273580531e-1) * r +
        5.9983220655588793769e-1) * r + 1.0;
    x = num / den;
  }
  return q < 0.0 ? -x : x;
}
