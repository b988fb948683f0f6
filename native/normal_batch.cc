#include "normal_batch.hpp"

#include "mathfn.hpp"
#include "vector_intrinsics.hpp"

namespace spearsim {

void ndtriInPlaceScalar(double* values, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) values[i] = mathfn::ndtri(values[i]);
}

#if SPEARSIM_X86_VECTORS

namespace {

// mathfn::horner on 8 lanes: the same operations in the same order.
template <int N>
__attribute__((target("avx512f"))) inline __m512d horner(const double (&c)[N], __m512d r) {
  __m512d acc = _mm512_set1_pd(c[0]);
  for (int k = 1; k < N; ++k) acc = _mm512_add_pd(_mm512_mul_pd(acc, r), _mm512_set1_pd(c[k]));
  return acc;
}

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
    const __m512d x = _mm512_div_pd(_mm512_mul_pd(q, horner(mathfn::kNdtriCentralNum, r)), horner(mathfn::kNdtriCentralDen, r));
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
