// Errors raised by kernels; the binding turns them into JS errors carrying `code`.
#pragma once
#include <stdexcept>
#include <string>

namespace spearsim {

// Codes shared with lib/errors.ts (ErrorCode).
namespace code {
constexpr const char* kInvalidType = "ERR_INVALID_TYPE";
constexpr const char* kOutOfRange = "ERR_OUT_OF_RANGE";
constexpr const char* kLengthMismatch = "ERR_LENGTH_MISMATCH";
constexpr const char* kMemoryLimit = "ERR_MEMORY_LIMIT";
constexpr const char* kAborted = "ERR_ABORTED";
constexpr const char* kInternal = "ERR_INTERNAL";
}  // namespace code

class KernelError : public std::runtime_error {
 public:
  KernelError(const char* errorCode, const std::string& message)
      : std::runtime_error(message), code_(errorCode) {}
  const char* code() const { return code_; }

 private:
  const char* code_;
};

// Throws ERR_OUT_OF_RANGE naming the option, its value and the valid range (the native backstop of
// the TypeScript validation).
template <typename T>
void requireInRange(const char* option, T value, T lo, T hi) {
  if (!(value >= lo && value <= hi)) {
    throw KernelError(code::kOutOfRange, std::string(option) + " must be in [" + std::to_string(lo) + ", " +
                                             std::to_string(hi) + "]; received " + std::to_string(value) +
                                             " (native check)");
  }
}

}  // namespace spearsim
