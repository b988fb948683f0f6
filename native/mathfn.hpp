// Elementary functions shared bit for bit with lib/mathfn.ts.
//
// libm's log/exp (and V8's Math.log/Math.exp) may differ from each other in the last ulp, so the
// native kernels and the TypeScript fallback both use these implementations instead. They use
// only IEEE-754 +, -, *, /, sqrt (all correctly rounded) and bit manipulation, and evaluate every
// expression in exactly the same order as lib/mathfn.ts. Requirements on the build: no
// -ffast-math, -ffp-contract=off (no fused multiply-add), SSE2 doubles (no x87 extended
// precision). Any change here must be mirrored in lib/mathfn.ts; test/mathfn.test.ts checks the
// two agree bit for bit.
//
//   log   : fdlibm __ieee754_log algorithm (argument reduction to [sqrt(2)/2, sqrt(2)], then a
//           degree-14 minimax polynomial in s = f/(2+f)); error < 1 ulp.
//   exp   : fdlibm __ieee754_exp algorithm (reduction by k*ln2 with a two-word ln2, degree-5
//           Remez polynomial in r^2 and the rational correction); error < 1 ulp.
//   ndtri : inverse standard normal CDF, Wichura (1988) AS 241 PPND16 (three rational
//           approximations of degree 7/7), using log and sqrt above; relative error ~1e-16.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace spearsim {
namespace mathfn {

namespace detail {

inline int32_t hiWord(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return static_cast<int32_t>(static_cast<uint32_t>(b >> 32));
}

inline uint32_t loWord(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return static_cast<uint32_t>(b);
}

inline double withHiWord(double x, uint32_t hi) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  b = (static_cast<uint64_t>(hi) << 32) | (b & 0xffffffffULL);
  double r;
  std::memcpy(&r, &b, sizeof r);
  return r;
}

// Shared constants (bit patterns in the comments).
constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 3fe62e42 fee00000
constexpr double kLn2Lo = 1.90821492927058770002e-10;  // 3dea39ef 35793c76
constexpr double kTwo54 = 1.80143985094819840000e+16;  // 43500000 00000000

// log polynomial
constexpr double kLg1 = 6.666666666666735130e-01;  // 3fe55555 55555593
constexpr double kLg2 = 3.999999999940941908e-01;  // 3fd99999 9997fa04
constexpr double kLg3 = 2.857142874366239149e-01;  // 3fd24924 94229359
constexpr double kLg4 = 2.222219843214978396e-01;  // 3fcc71c5 1d8e78af
constexpr double kLg5 = 1.818357216161805012e-01;  // 3fc74664 96cb03de
constexpr double kLg6 = 1.531383769920937332e-01;  // 3fc39a09 d078c69f
constexpr double kLg7 = 1.479819860511658591e-01;  // 3fc2f112 df3e5244

// exp
constexpr double kOverflow = 7.09782712893383973096e+02;    // 40862e42 fefa39ef
constexpr double kUnderflow = -7.45133219101941108420e+02;  // c0874910 d52d3051
constexpr double kInvLn2 = 1.44269504088896338700e+00;      // 3ff71547 652b82fe
constexpr double kTwoM1000 = 9.33263618503218878990e-302;   // 01700000 00000000
constexpr double kP1 = 1.66666666666666019037e-01;          // 3fc55555 5555553e
constexpr double kP2 = -2.77777777770155933842e-03;         // bf66c16c 16bebd93
constexpr double kP3 = 6.61375632143793436117e-05;          // 3f11566a af25de2c
constexpr double kP4 = -1.65339022054652515390e-06;         // bebbbd41 c5d26bf1
constexpr double kP5 = 4.13813679705723846039e-08;          // 3e663769 72bea4d0

}  // namespace detail

// Natural logarithm. log(+-0) = -inf, log(x<0) = NaN, log(+inf) = +inf, log(NaN) = NaN.
inline double log(double x) {
  using namespace detail;
  int32_t hx = hiWord(x);
  const uint32_t lx = loWord(x);
  int32_t k = 0;
  if (hx < 0x00100000) {  // x < 2^-1022: zero, subnormal or negative
    if ((static_cast<uint32_t>(hx & 0x7fffffff) | lx) == 0) return -std::numeric_limits<double>::infinity();
    if (hx < 0) return std::numeric_limits<double>::quiet_NaN();
    k -= 54;
    x *= kTwo54;  // exact: scale the subnormal up
    hx = hiWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;  // +inf or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const int32_t i0 = (hx + 0x95f64) & 0x100000;
  x = withHiWord(x, static_cast<uint32_t>(hx | (i0 ^ 0x3ff00000)));  // normalise x or x/2
  k += (i0 >> 20);
  const double f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {  // -2^-20 <= f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      const double dk = static_cast<double>(k);
      return dk * kLn2Hi + dk * kLn2Lo;
    }
    const double R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const double dk = static_cast<double>(k);
    return dk * kLn2Hi - ((R - dk * kLn2Lo) - f);
  }
  const double s = f / (2.0 + f);
  const double dk = static_cast<double>(k);
  const double z = s * s;
  int32_t i = hx - 0x6147a;
  const double w = z * z;
  const int32_t j = 0x6b851 - hx;
  const double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  i |= j;
  const double R = t2 + t1;
  if (i > 0) {
    const double hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * kLn2Hi - ((hfsq - (s * (hfsq + R) + dk * kLn2Lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * kLn2Hi - ((s * (f - R) - dk * kLn2Lo) - f);
}

// Exponential. exp(+inf) = +inf, exp(-inf) = 0, exp(NaN) = NaN; overflow to +inf for
// x > 709.78..., underflow to 0 for x < -745.13...
inline double exp(double x) {
  using namespace detail;
  const uint32_t hxs = static_cast<uint32_t>(hiWord(x));
  const int32_t xsb = static_cast<int32_t>(hxs >> 31);  // sign bit of x
  const uint32_t hx = hxs & 0x7fffffffU;                 // high word of |x|

  if (hx >= 0x40862e42U) {  // |x| >= 709.78...
    if (hx >= 0x7ff00000U) {
      if (((hx & 0xfffffU) | loWord(x)) != 0) return x + x;  // NaN
      return (xsb == 0) ? x : 0.0;                             // exp(+-inf) = {inf, 0}
    }
    if (x > kOverflow) return std::numeric_limits<double>::infinity();
    if (x < kUnderflow) return 0.0;
  }

  double hi = 0.0;
  double lo = 0.0;
  int32_t k = 0;
  if (hx > 0x3fd62e42U) {    // |x| > 0.5 ln2
    if (hx < 0x3ff0a2b2U) {  // and |x| < 1.5 ln2
      if (xsb == 0) {
        hi = x - kLn2Hi;
        lo = kLn2Lo;
        k = 1;
      } else {
        hi = x + kLn2Hi;
        lo = -kLn2Lo;
        k = -1;
      }
    } else {
      k = static_cast<int32_t>(kInvLn2 * x + (xsb == 0 ? 0.5 : -0.5));  // truncation toward 0
      const double t = static_cast<double>(k);
      hi = x - t * kLn2Hi;  // t*ln2Hi is exact here
      lo = t * kLn2Lo;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000U) {  // |x| < 2^-28
    return 1.0 + x;
  }

  // x is now in the primary range [-0.5 ln2, 0.5 ln2]
  const double t = x * x;
  const double c = x - t * (kP1 + t * (kP2 + t * (kP3 + t * (kP4 + t * kP5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const double y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    return withHiWord(y, static_cast<uint32_t>(hiWord(y)) + (static_cast<uint32_t>(k) << 20));
  }
  const double yk = withHiWord(y, static_cast<uint32_t>(hiWord(y)) + (static_cast<uint32_t>(k + 1000) << 20));
  return yk * kTwoM1000;
}

// ndtri's central branch (|p - 0.5| <= 0.425): coefficients highest power first, shared with the
// batched version (normal_batch.cc), which must make the same operations.
constexpr double kNdtriCentralNum[8] = {2.5090809287301226727e+3, 3.3430575583588128105e+4, 6.7265770927008700853e+4,
                                       4.5921953931549871457e+4, 1.3731693765509461125e+4, 1.9715909503065514427e+3,
                                       1.3314166789178437745e+2, 3.3871328727963666080e+0};
constexpr double kNdtriCentralDen[8] = {5.2264952788528545610e+3, 2.8729085735721942674e+4, 3.9307895800092710610e+4,
                                       2.1213794301586595867e+4, 5.3941960214247511077e+3, 6.8718700749205790830e+2,
                                       4.2313330701600911252e+1, 1.0};

// Horner's rule, highest power first: ((c0 r + c1) r + c2) ...
template <int N>
inline double horner(const double (&c)[N], double r) {
  double acc = c[0];
  for (int k = 1; k < N; ++k) acc = acc * r + c[k];
  return acc;
}

// Inverse of the standard normal CDF (probit): ndtri(p) = x with Phi(x) = p.
// ndtri(0) = -inf, ndtri(1) = +inf, NaN outside [0, 1] and for NaN.
// Wichura, M. J. (1988) Algorithm AS 241, Applied Statistics 37(3), 477-484 (PPND16).
inline double ndtri(double p) {
  if (!(p >= 0.0 && p <= 1.0)) return std::numeric_limits<double>::quiet_NaN();
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  const double q = p - 0.5;
  if ((q < 0.0 ? -q : q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q * horner(kNdtriCentralNum, r) / horner(kNdtriCentralDen, r);
  }
  double r = q < 0.0 ? p : 1.0 - p;
  r = std::sqrt(-log(r));
  double x;
  if (r <= 5.0) {
    r = r - 1.6;
    const double num =
        (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r +
             1.27045825245236838258e+0) * r + 3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r +
          4.63033784615654529590e+0) * r + 1.42343711074968357734e+0);
    const double den =
        (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r +
             1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r +
          2.05319162663775882187e+0) * r + 1.0);
    x = num / den;
  } else {
    r = r - 5.0;
    const double num =
        (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r +
             2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r +
          5.46378491116411436990e+0) * r + 6.65790464350110377720e+0);
    const double den =
        (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r +
             7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
          5.99832206555887937690e-1) * r + 1.0);
    x = num / den;
  }
  return q < 0.0 ? -x : x;
}

}  // namespace mathfn
}  // namespace spearsim
