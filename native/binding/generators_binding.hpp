// Shared by the bindings that read a generator ({ generator, mixA, mixB, values }) from JS.
#pragma once
#include <napi.h>

#include <memory>

#include "generators.hpp"

namespace spearsim {
namespace binding {

Napi::Object ObjectField(const Napi::Object& o, const char* name);

// Generator of options.generator = { kind, xTemplate, rowMoments, mu, sigma, pool? }
// (lib/generators.ts nativeGeneratorSpec); validated by the Generator constructor.
std::shared_ptr<const Generator> GeneratorFrom(const Napi::Object& options);

// { mixA, mixB } of an options object.
Mix MixFrom(const Napi::Object& o);

}  // namespace binding
}  // namespace spearsim
