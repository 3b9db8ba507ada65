#!/usr/bin/env bash
# The main job: installs what is missing, builds, then runs the vector corpus
# through the DMA test device and prints the report.
# Usage: scripts/run.sh [vector files or folders...]   (default: vectors/)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
if [ -x build/smmuv3-run ]; then
  exec build/smmuv3-run "${@:-vectors}"
fi
echo "the vector runner is not built yet; the model's ID registers:"
exec build/smmuv3-idregs
