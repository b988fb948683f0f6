#include "async.hpp"

#include <omp.h>

#include <cmath>
#include <cstring>

namespace spearsim {
namespace binding {

Napi::Value CreateCancelToken(const Napi::CallbackInfo& info) {
  auto* holder = new TokenHolder(std::make_shared<CancelFlag>());
  return NewHandle(info.Env(), holder, kCancelTokenTag, [](Napi::Env, TokenHolder* h) { delete h; });
}

TokenHolder TokenFrom(const Napi::Value& value) {
  TokenHolder* holder = HandleData<TokenHolder>(value, kCancelTokenTag);
  return holder ? *holder : nullptr;
}

Napi::Value Cancel(const Napi::CallbackInfo& info) {
  TokenHolder token = TokenFrom(info[0]);
  if (!token) ThrowCoded(info.Env(), code::kInvalidType, "cancel expects a token from createCancelToken()");
  token->cancelled.store(true);
  return info.Env().Undefined();
}

Napi::Error CodedError(Napi::Env env, const char* errorCode, const std::string& message) {
  const std::string c(errorCode);
  Napi::Error error = c == code::kOutOfRange || c == code::kLengthMismatch || c == code::kMemoryLimit
                          ? Napi::RangeError::New(env, message)
                          : (c == code::kInvalidType ? Napi::TypeError::New(env, message) : Napi::Error::New(env, message));
  error.Set("code", Napi::String::New(env, c));
  return error;
}

void ThrowCoded(Napi::Env env, const char* errorCode, const std::string& message) {
  throw CodedError(env, errorCode, message);
}

Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsObject()) {
    ThrowCoded(info.Env(), code::kInvalidType, std::string(name) + " must be an object (native check)");
  }
  return info[index].As<Napi::Object>();
}

double NumberField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsNumber()) ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a number (native check)");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) ThrowCoded(o.Env(), code::kOutOfRange, std::string(name) + " must be finite (native check)");
  return d;
}

uint64_t IntegerField(const Napi::Object& o, const char* name, uint64_t lo, uint64_t hi) {
  const double d = NumberField(o, name);
  if (d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    ThrowCoded(o.Env(), code::kOutOfRange,
               std::string(name) + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                   "]; received " + std::to_string(d) + " (native check)");
  }
  return static_cast<uint64_t>(d);
}

uint64_t KeyField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsBigInt()) ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a BigInt (native check)");
  bool lossless = false;
  const uint64_t key = v.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) ThrowCoded(o.Env(), code::kOutOfRange, std::string(name) + " must be in [0, 2^64) (native check)");
  return key;
}

Napi::Float64Array Float64ArrayField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a Float64Array (native check)");
  }
  return v.As<Napi::Float64Array>();
}

std::vector<double> Float64Field(const Napi::Object& o, const char* name) {
  Napi::Float64Array a = Float64ArrayField(o, name);
  return std::vector<double>(a.Data(), a.Data() + a.ElementLength());
}

std::vector<uint32_t> Uint32Field(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a Uint32Array (native check)");
  }
  Napi::Uint32Array a = v.As<Napi::Uint32Array>();
  return std::vector<uint32_t>(a.Data(), a.Data() + a.ElementLength());
}

int ThreadsField(const Napi::Object& o) { return static_cast<int>(IntegerField(o, "threads", 1, 1024)); }

Napi::Float64Array ToFloat64Array(Napi::Env env, const double* data, size_t length) {
  Napi::Float64Array a = Napi::Float64Array::New(env, length);
  if (length) std::memcpy(a.Data(), data, length * sizeof(double));
  return a;
}

}  // namespace binding
}  // namespace spearsim
