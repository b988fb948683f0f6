#!/usr/bin/env bash
# Runs a small workload through the library on a normal (uninstrumented, -O3) build of the addon
# under valgrind memcheck and fails on any definite leak or memory error whose stack goes through
# the addon (Node/V8 have their own leaks and valgrind noise at exit; those are not ours).
#
# Needs: valgrind (e.g. apt-get install valgrind), cmake >= 3.18, a C++17 compiler with OpenMP, the
# npm dev dependencies (cmake-js, typescript). Linux.
#
#   scripts/valgrind.sh [--skip-build] [--fuzz N]   (N native fuzz iterations after the workload, default 0)
#
# The addon is built into build-valgrind/ (never touching build/, which running tests load).
set -euo pipefail
cd "$(dirname "$0")/.."

SKIP_BUILD=0
FUZZ=0
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-build) SKIP_BUILD=1 ;;
    --fuzz) FUZZ="$2"; shift ;;
    *) echo "usage: $0 [--skip-build] [--fuzz N]" >&2; exit 2 ;;
  esac
  shift
done
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)" >&2; exit 2; }

OUT=build-valgrind
if [ "$SKIP_BUILD" = 0 ]; then
  echo "valgrind: building the addon (normal flags) into $OUT/ ..." >&2
  npx --no-install cmake-js compile --log-level warn -O "$OUT" >&2
  npx --no-install tsc -p tsconfig.json --outDir "$OUT/dist" >&2 || true
  cp package.json "$OUT/package.json"
fi
ADDON="$OUT/Release/spearsim.node"
[ -f "$ADDON" ] || { echo "valgrind: $ADDON is missing (run without --skip-build)" >&2; exit 2; }

LOG="$OUT/valgrind.log"
if [ "$FUZZ" = 0 ]; then WORKLOAD_ARGS=(--quick); else WORKLOAD_ARGS=(--fuzz "$FUZZ"); fi
# worker stops run under ASan only (workload.js, --no-worker-stops: their unsettled promises are Node's 8-byte leaks)
WORKLOAD_ARGS+=(--no-worker-stops)
echo "valgrind: running the workload under memcheck (slow; log: $LOG) ..." >&2
set +e
# --jitless: no V8 JIT code for valgrind to chase; the addon runs exactly as usual.
valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --num-callers=40 --error-limit=no --log-file="$LOG" \
  node --jitless --expose-gc test/native-checks/workload.js --addon "$ADDON" --lib "$OUT/dist" "${WORKLOAD_ARGS[@]}" >"$LOG.stdout" 2>"$LOG.stderr"
STATUS=$?
set -e

# Split the log into records (blank "==pid== " lines separate them) and keep those whose stack
# mentions the addon: its file name or the spearsim:: namespace.
python3 - "$LOG" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
lines = [re.sub(r"^==\d+== ?", "", l) for l in text.splitlines()]
records, cur = [], []
for l in lines:
    if l.strip() == "":
        if cur: records.append(cur)
        cur = []
    else:
        cur.append(l)
if cur: records.append(cur)
ours = lambda r: any(("spearsim" in l) for l in r[1:])
definite = [r for r in records if "definitely lost" in r[0]]
HEADER = re.compile(r"(Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap)")
errors = []
for r in records:
    starts = [i for i, l in enumerate(r) if HEADER.match(l)]
    errors += [r[i:] for i in starts[:1]]
summary = next((l for l in lines if "definitely lost:" in l), "definitely lost: (no leak summary)")
print("valgrind: leak summary (whole process, Node included): " + summary.strip())
bad_leaks = [r for r in definite if ours(r)]
bad_errors = [r for r in errors if ours(r)]
print(f"valgrind: {len(definite)} definite-leak records in total, {len(bad_leaks)} through the addon; "
      f"{len(errors)} memory-error records in total, {len(bad_errors)} through the addon")
for r in (bad_leaks + bad_errors)[:20]:
    print("\n".join(r[:30]))
    print("---")
sys.exit(1 if bad_leaks or bad_errors else 0)
PY
VERDICT=$?
if [ "$STATUS" != 0 ]; then
  echo "valgrind: FAILED: the workload exited with $STATUS" >&2
  tail -30 "$LOG.stderr" >&2
  exit 1
fi
if [ "$VERDICT" != 0 ]; then
  echo "valgrind: FAILED: definite leaks or memory errors in the addon (see above, full log $LOG)" >&2
  exit 1
fi
echo "valgrind: 0 definite leaks and 0 memory errors in the addon" >&2
cat "$LOG.stdout"
