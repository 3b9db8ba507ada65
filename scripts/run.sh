#!/usr/bin/env bash
# The main job: installs what is missing, builds (quietly: the build's output
# is shown only when it fails), then runs the vector corpus through the DMA
# test device with the driver checker on (--check) and prints the report: a
# table per area (vectors/<area>: passed, failed, invalid), each failure with
# its detail, then "N passed, N failed".
# Usage: scripts/run.sh [-v] [smmuv3-run options] [vector files or folders...]
#   (default: vectors/; -v adds the per-vector list with every step traced)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build -j"$(nproc)"; } >"$log" 2>&1; then
  cat "$log"
  echo "run.sh: the build failed (its output is above)"
  exit 2
fi
if [ ! -x build/smmuv3-run ]; then
  echo "the vector runner is not built (libyaml missing?); the model's ID registers:"
  exec build/smmuv3-idregs
fi
# options alone (say -v) still run the whole corpus
args=("$@")
paths=0
skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in --junit) skip=1 ;; -*) ;; *) paths=1 ;; esac
done
[ "$paths" = 1 ] || args+=(vectors)
exec build/smmuv3-run --check "${args[@]}"
