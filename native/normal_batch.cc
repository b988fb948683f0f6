#include "normal_batch.hpp"

#include "mathfn.hpp"
#include "vector_intrinsics.hpp"

namespace spearsim {

void ndtriInPlaceScalar(double* values, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) values[i] = mathfn::ndtri(values[i]);
}

#if defined(__x86_64__)

namespace {

// Horner's rule over coefficients from the highest power down, as mathfn::ndtri writes it.
template <int N>
__attribute__((target("avx512f"))) inline __m512d horner(const double (&c)[N], __m512d r) {
  __m512d acc = _mm512_set1_pd(c[0]);
  for (int k = 1; k < N; ++k) acc = _mm512_add_pd(_mm512_mul_pd(acc, r), _mm512_set1_pd(c[k]));
  return acc;
}

// mathfn::ndtri's central-branch coefficients, highest power first.
constexpr double kCentralNum[8] = {2.5090809287301226727e+3, 3.3430575583588128105e+4, 6.7265770927008700853e+4,
                                   4.5921953931549871457e+4, 1.3731693765509461125e+4, 1.9715909503065514427e+3,
                                   1.3314166789178437745e+2, 3.3871328727963666080e+0};
constexpr double kCentralDen[8] = {5.2264952788528545610e+3, 2.8729085735721942674e+4, 3.9307895800092710610e+4,
                                   2.1213794301586595867e+4, 5.3941960214247511077e+3, 6.8718700749205790830e+2,
                                   4.2313330701600911252e+1, 1.0};

}  // namespace

__attribute__((target("avx512f"))) void ndtriInPlaceAvx512(double* values, uint32_t n) {
  const __m512d half = _mm512_set1_pd(0.5);
  const __m512d limit = _mm512_set1_pd(0.425);
  const __m512d centre = _mm512_set1_pd(0.180625);
  uint32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    alignas(64) double p[8];
    const __m512d pv = _mm512_loadu_pd(values + i);
    _mm512_store_pd(p, pv);
    const __m512d q = _mm512_sub_pd(pv, half);
    // NaN and out-of-range p fail this test and take the scalar path, as do the tails
    const __mmask8 central = _mm512_cmp_pd_mask(_mm512_abs_pd(q), limit, _CMP_LE_OQ);
    const __m512d r = _mm512_sub_pd(centre, _mm512_mul_pd(q, q));
    const __m512d x = _mm512_div_pd(_mm512_mul_pd(q, horner(kCentralNum, r)), horner(kCentralDen, r));
    _mm512_storeu_pd(values + i, x);
    for (unsigned others = static_cast<unsigned>(~central) & 0xffu; others != 0; others &= others - 1) {
      const int lane = __builtin_ctz(others);
      values[i + lane] = mathfn::ndtri(p[lane]);
    }
  }
  ndtriInPlaceScalar(values + i, n - i);
}

#else

void ndtriInPlaceAvx512(double* values, uint32_t n) { ndtriInPlaceScalar(values, n); }

#endif

void ndtriInPlace(double* values, uint32_t n, SimdLevel simd) {
  if (simd == SimdLevel::kAvx512) {
    ndtriInPlaceAvx512(values, n);
  } else {
    ndtriInPlaceScalar(values, n);
  }
}

}  // namespace spearsim
