#include "index_stream.hpp"

#include "rng.hpp"
#include "vector_intrinsics.hpp"

namespace spearsim {

ResampleIndexStream::ResampleIndexStream(uint64_t key, uint32_t range, SimdLevel simd)
    : range_(range), threshold_((0u - range) % range), simd_(simd) {
  for (int lane = 0; lane < kLanes; ++lane) {
    uint64_t s[4];
    Rng::seedState(childKey(key, static_cast<uint64_t>(lane)), s);
    for (int j = 0; j < 4; ++j) state_[j][lane] = s[j];
  }
}

size_t ResampleIndexStream::steps(uint32_t* out, size_t room) {
  switch (simd_) {
    case SimdLevel::kAvx512:
      return stepsAvx512(out, room);
    case SimdLevel::kAvx2:
      return stepsAvx2(out, room);
    default:
      return stepsScalar(out, room);
  }
}

void ResampleIndexStream::fill(uint32_t* out, size_t count) {
  size_t done = 0;
  while (pendingNext_ < pendingCount_ && done < count) out[done++] = pending_[pendingNext_++];
  done += steps(out + done, count - done);
  while (done < count) {
    pendingCount_ = static_cast<uint32_t>(steps(pending_, kWordsPerStep));
    pendingNext_ = 0;
    while (pendingNext_ < pendingCount_ && done < count) out[done++] = pending_[pendingNext_++];
  }
}

size_t ResampleIndexStream::stepsScalar(uint32_t* out, size_t room) {
  size_t written = 0;
  while (room - written >= kWordsPerStep) {
    for (int lane = 0; lane < kLanes; ++lane) {
      uint64_t& s0 = state_[0][lane];
      uint64_t& s1 = state_[1][lane];
      uint64_t& s2 = state_[2][lane];
      uint64_t& s3 = state_[3][lane];
      const uint64_t result = rotl(s1 * 5, 7) * 9;
      const uint64_t t = s1 << 17;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 45);
      const uint32_t words[2] = {static_cast<uint32_t>(result), static_cast<uint32_t>(result >> 32)};
      for (const uint32_t word : words) {
        const uint64_t product = static_cast<uint64_t>(word) * range_;
        if (static_cast<uint32_t>(product) >= threshold_) out[written++] = static_cast<uint32_t>(product >> 32);
      }
    }
  }
  return written;
}

#if SPEARSIM_X86_VECTORS

// Four lanes per register (multiplications by 5 and 9 as shifts and adds).
__attribute__((target("avx2"))) size_t ResampleIndexStream::stepsAvx2(uint32_t* out, size_t room) {
  auto* state = reinterpret_cast<__m256i*>(&state_[0][0]);  // word j of lanes 4h..4h+3 at 2j + h
  __m256i s0[2], s1[2], s2[2], s3[2];
  for (int h = 0; h < 2; ++h) {
    s0[h] = _mm256_load_si256(state + h);
    s1[h] = _mm256_load_si256(state + 2 + h);
    s2[h] = _mm256_load_si256(state + 4 + h);
    s3[h] = _mm256_load_si256(state + 6 + h);
  }
  const __m256i range = _mm256_set1_epi32(static_cast<int>(range_));
  const __m256i rangeMinusOne = _mm256_set1_epi32(static_cast<int>(range_ - 1));
  size_t written = 0;
  while (room - written >= kWordsPerStep) {
    for (int h = 0; h < 2; ++h) {
      const __m256i times5 = _mm256_add_epi64(_mm256_slli_epi64(s1[h], 2), s1[h]);
      const __m256i rotated = _mm256_or_si256(_mm256_slli_epi64(times5, 7), _mm256_srli_epi64(times5, 57));
      const __m256i result = _mm256_add_epi64(_mm256_slli_epi64(rotated, 3), rotated);
      const __m256i t = _mm256_slli_epi64(s1[h], 17);
      s2[h] = _mm256_xor_si256(s2[h], s0[h]);
      s3[h] = _mm256_xor_si256(s3[h], s1[h]);
      s1[h] = _mm256_xor_si256(s1[h], s2[h]);
      s0[h] = _mm256_xor_si256(s0[h], s3[h]);
      s2[h] = _mm256_xor_si256(s2[h], t);
      s3[h] = _mm256_or_si256(_mm256_slli_epi64(s3[h], 45), _mm256_srli_epi64(s3[h], 19));
      // 64-bit products of the low (even) and high (odd) words with the range
      const __m256i evenProduct = _mm256_mul_epu32(result, range);
      const __m256i oddProduct = _mm256_mul_epu32(_mm256_srli_epi64(result, 32), range);
      const __m256i index = _mm256_blend_epi32(_mm256_srli_epi64(evenProduct, 32), oddProduct, 0xAA);
      const __m256i lowHalf = _mm256_blend_epi32(evenProduct, _mm256_slli_epi64(oddProduct, 32), 0xAA);
      // a word may be skipped only if its low half is below range (threshold < range): rare
      const __m256i maybeSkipped = _mm256_cmpeq_epi32(_mm256_min_epu32(lowHalf, rangeMinusOne), lowHalf);
      if (_mm256_testz_si256(maybeSkipped, maybeSkipped)) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + written), index);
        written += 8;
      } else {
        alignas(32) uint32_t indices[8];
        alignas(32) uint32_t lows[8];
        _mm256_store_si256(reinterpret_cast<__m256i*>(indices), index);
        _mm256_store_si256(reinterpret_cast<__m256i*>(lows), lowHalf);
        for (int i = 0; i < 8; ++i) {
          if (lows[i] >= threshold_) out[written++] = indices[i];
        }
      }
    }
  }
  for (int h = 0; h < 2; ++h) {
    _mm256_store_si256(state + h, s0[h]);
    _mm256_store_si256(state + 2 + h, s1[h]);
    _mm256_store_si256(state + 4 + h, s2[h]);
    _mm256_store_si256(state + 6 + h, s3[h]);
  }
  return written;
}

// All eight lanes in one register; the rejection test is exact per word, and compress-store drops
// the skipped words.
__attribute__((target("avx512f,popcnt"))) size_t ResampleIndexStream::stepsAvx512(uint32_t* out, size_t room) {
  uint64_t* words = &state_[0][0];
  __m512i s0 = _mm512_load_si512(words);
  __m512i s1 = _mm512_load_si512(words + kLanes);
  __m512i s2 = _mm512_load_si512(words + 2 * kLanes);
  __m512i s3 = _mm512_load_si512(words + 3 * kLanes);
  const __m512i range = _mm512_set1_epi32(static_cast<int>(range_));
  const __m512i threshold = _mm512_set1_epi32(static_cast<int>(threshold_));
  size_t written = 0;
  while (room - written >= kWordsPerStep) {
    const __m512i times5 = _mm512_add_epi64(_mm512_slli_epi64(s1, 2), s1);
    const __m512i rotated = _mm512_rol_epi64(times5, 7);
    const __m512i result = _mm512_add_epi64(_mm512_slli_epi64(rotated, 3), rotated);
    const __m512i t = _mm512_slli_epi64(s1, 17);
    s2 = _mm512_xor_si512(s2, s0);
    s3 = _mm512_xor_si512(s3, s1);
    s1 = _mm512_xor_si512(s1, s2);
    s0 = _mm512_xor_si512(s0, s3);
    s2 = _mm512_xor_si512(s2, t);
    s3 = _mm512_rol_epi64(s3, 45);
    const __m512i evenProduct = _mm512_mul_epu32(result, range);
    const __m512i oddProduct = _mm512_mul_epu32(_mm512_srli_epi64(result, 32), range);
    const __m512i index = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(evenProduct, 32), oddProduct);
    const __m512i lowHalf = _mm512_mask_blend_epi32(0xAAAA, evenProduct, _mm512_slli_epi64(oddProduct, 32));
    const __mmask16 kept = _mm512_cmpge_epu32_mask(lowHalf, threshold);
    if (kept == 0xFFFF) {
      _mm512_storeu_si512(out + written, index);
      written += kWordsPerStep;
    } else {
      _mm512_mask_compressstoreu_epi32(out + written, kept, index);
      written += static_cast<uint32_t>(_mm_popcnt_u32(kept));
    }
  }
  _mm512_store_si512(words, s0);
  _mm512_store_si512(words + kLanes, s1);
  _mm512_store_si512(words + 2 * kLanes, s2);
  _mm512_store_si512(words + 3 * kLanes, s3);
  return written;
}

#else

size_t ResampleIndexStream::stepsAvx2(uint32_t* out, size_t room) { return stepsScalar(out, room); }
size_t ResampleIndexStream::stepsAvx512(uint32_t* out, size_t room) { return stepsScalar(out, room); }

#endif

}  // namespace spearsim
