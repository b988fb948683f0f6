// Random streams shared bit for bit with lib/rng.ts.
//
// Seed tree: every stream is identified by a 64-bit key. The root key comes from the user's
// seed, and child keys are derived from a parent key and an integer label
// (scenario -> task -> rep -> purpose), so every consumer owns an independent stream that does
// not depend on how many numbers anybody else drew. Generator: xoshiro256** seeded from the
// key through SplitMix64.
#pragma once
#include <cstdint>
#include "mathfn.hpp"

namespace spearsim {

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kRootTag = 0x5350454152534d31ULL;  // "SPEARSM1"

// SplitMix64 finaliser: a bijection on 64-bit integers with good avalanche.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Child key `label` of `key`; distinct labels give distinct children (mix64 is a bijection).
inline uint64_t childKey(uint64_t key, uint64_t label) { return mix64(key ^ mix64(label + kGolden)); }

// Root key of a user seed.
inline uint64_t rootKey(uint64_t seed) { return childKey(kRootTag, seed); }

inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

class Rng {
 public:
  explicit Rng(uint64_t key) { seedState(key, s_); }

  // The xoshiro256** state of the generator with seed-tree key `key` (SplitMix64 expansion).
  static void seedState(uint64_t key, uint64_t state[4]) {
    uint64_t z = key;
    for (int i = 0; i < 4; ++i) {
      z += kGolden;
      state[i] = mix64(z);
    }
    if ((state[0] | state[1] | state[2] | state[3]) == 0) state[0] = kGolden;  // the all-zero state is a fixed point
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform double in (0, 1): never 0, so it can feed a quantile function.
  double uniformOpen() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  // 32-bit words: the high half of a fresh 64-bit output first, then its low half.
  uint32_t next32() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    const uint64_t v = next();
    spare_ = static_cast<uint32_t>(v);
    hasSpare_ = true;
    return static_cast<uint32_t>(v >> 32);
  }

  // Unbiased integer in [0, range), 1 <= range < 2^32 (Lemire's multiply-and-reject).
  uint32_t bounded(uint32_t range) {
    uint64_t m = static_cast<uint64_t>(next32()) * range;
    uint32_t low = static_cast<uint32_t>(m);
    if (low < range) {
      const uint32_t threshold = static_cast<uint32_t>(0u - range) % range;
      while (low < threshold) {
        m = static_cast<uint64_t>(next32()) * range;
        low = static_cast<uint32_t>(m);
      }
    }
    return static_cast<uint32_t>(m >> 32);
  }

  // Fisher-Yates shuffle in place.
  template <typename T>
  void shuffle(T* a, uint32_t n) {
    for (uint32_t i = n; i > 1; --i) {
      const uint32_t j = bounded(i);
      const T tmp = a[i - 1];
      a[i - 1] = a[j];
      a[j] = tmp;
    }
  }

  // Standard normal by inversion (one uniform per draw, no cached state).
  double normal() { return mathfn::ndtri(uniformOpen()); }

 private:
  uint64_t s_[4];
  uint32_t spare_ = 0;
  bool hasSpare_ = false;
};

}  // namespace spearsim
