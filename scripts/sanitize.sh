#!/usr/bin/env bash
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer (CMake option
# SPEARSIM_SANITIZE) into build-asan/ and runs a small workload through the whole library plus the
# native fuzz under it. Fails on any ASan or UBSan report.
#
# Needs: gcc/g++ with libasan and libubsan (e.g. Debian/Ubuntu: apt-get install g++ libasan8 libubsan1),
# cmake >= 3.18, the npm dev dependencies (cmake-js, typescript). Linux x86-64.
#
#   scripts/sanitize.sh [--skip-build] [--fuzz N]   (N native fuzz iterations, default 1500)
#
# Node itself is not instrumented and leaks at exit, so leak detection is off here
# (detect_leaks=0); scripts/valgrind.sh checks for leaks instead.
set -euo pipefail
cd "$(dirname "$0")/.."

SKIP_BUILD=0
FUZZ=1500
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-build) SKIP_BUILD=1 ;;
    --fuzz) FUZZ="$2"; shift ;;
    *) echo "usage: $0 [--skip-build] [--fuzz N]" >&2; exit 2 ;;
  esac
  shift
done

OUT=build-asan
if [ "$SKIP_BUILD" = 0 ]; then
  echo "sanitize: building the addon with -fsanitize=address,undefined into $OUT/ ..." >&2
  npx --no-install cmake-js compile --log-level warn -O "$OUT" --CDSPEARSIM_SANITIZE=ON >&2
  # a private compiled copy of lib/ (never touches dist/, which other tests use)
  npx --no-install tsc -p tsconfig.json --outDir "$OUT/dist" >&2 || true   # type errors elsewhere must not block the run
  cp package.json "$OUT/package.json"   # lib/version.ts reads ../package.json
fi
ADDON="$OUT/Release/spearsim.node"
[ -f "$ADDON" ] || { echo "sanitize: $ADDON is missing (run without --skip-build)" >&2; exit 2; }
[ -f "$OUT/dist/index.js" ] || { echo "sanitize: $OUT/dist/index.js is missing (run without --skip-build)" >&2; exit 2; }

LIBASAN="$(gcc -print-file-name=libasan.so)"
[ -f "$LIBASAN" ] || { echo "sanitize: libasan.so not found (gcc -print-file-name=libasan.so)" >&2; exit 2; }
if ! ldd "$ADDON" | grep -q libasan; then
  echo "sanitize: $ADDON is not linked against libasan (was it built with SPEARSIM_SANITIZE=ON?)" >&2
  exit 2
fi

LOG="$OUT/sanitize.log"
echo "sanitize: running the workload + $FUZZ native fuzz calls under ASan/UBSan (log: $LOG) ..." >&2
set +e
# The ASan runtime must be loaded before anything else (node is not instrumented): LD_PRELOAD.
# allocator_may_return_null=1: an allocation the sanitizer allocator refuses becomes std::bad_alloc
# (the addon's ERR_MEMORY_LIMIT path) instead of an ASan abort.
LD_PRELOAD="$LIBASAN" \
ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=0:print_summary=1" \
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  node test/native-checks/workload.js --addon "$ADDON" --lib "$OUT/dist" --fuzz "$FUZZ" >"$LOG.stdout" 2>"$LOG"
STATUS=$?
set -e

if grep -qE "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|UndefinedBehaviorSanitizer" "$LOG"; then
  echo "sanitize: FAILED: sanitizer report(s):" >&2
  grep -nE -A25 "ERROR: AddressSanitizer|runtime error:|UndefinedBehaviorSanitizer" "$LOG" | head -120 >&2
  exit 1
fi
if [ "$STATUS" != 0 ]; then
  echo "sanitize: FAILED: the workload exited with $STATUS" >&2
  tail -40 "$LOG" >&2
  exit 1
fi
echo "sanitize: clean (no ASan/UBSan report)" >&2
cat "$LOG.stdout"
