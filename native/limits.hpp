// Size limits of the native backstop checks; the same maxima as the option schema in
// lib/config.ts (nReps, nSims <= 1e9; nBoot, nPre <= 1e8).
#pragma once
#include <cstdint>

namespace spearsim {

constexpr uint64_t kMaxReps = 1000000000;
constexpr uint64_t kMaxSims = 1000000000;
constexpr uint64_t kMaxBoot = 100000000;
constexpr uint64_t kMaxPre = 100000000;

}  // namespace spearsim
