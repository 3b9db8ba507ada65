#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang (ASan + UBSan + libFuzzer), outside
# the CMake build: the main build never depends on libFuzzer.
#   tests/fuzz/build.sh [outdir]      (default: build-fuzz)
# Produces <outdir>/fuzz_model, <outdir>/fuzz_snapshot (and <outdir>/fuzz_vectors when libyaml is found).
# If -fsanitize=fuzzer fails to link: apt-get install -y libclang-rt-14-dev
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build-fuzz}
mkdir -p "$out"
CC=${CC:-clang}
flags=(-std=c11 -g -O1 -fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -Wall -Wextra -Werror -I"$root/include" -I"$root/src" -I"$root/tests/helpers")
# the core: every source outside src/vectors
mapfile -t core < <(find "$root/src" -name '*.c' -not -path '*/vectors/*' | sort)
"$CC" "${flags[@]}" "${core[@]}" "$root/tests/helpers/fuzz_interp.c" "$root/tests/helpers/fuzz_txn.c" "$root/tests/helpers/fuzz_world.c" "$root/tests/helpers/fuzz_snap.c" \
    "$root/tests/fuzz/fuzz_model.c" -o "$out/fuzz_model"
"$CC" "${flags[@]}" "${core[@]}" "$root/tests/helpers/fuzz_snap.c" "$root/tests/fuzz/fuzz_snapshot.c" \
    -o "$out/fuzz_snapshot"
if [ -f "$root/tests/fuzz/fuzz_vectors.c" ] && pkg-config --exists yaml-0.1; then
    "$CC" "${flags[@]}" -I"$root/src/vectors" "${core[@]}" "$root"/src/vectors/*.c \
        "$root/tests/fuzz/fuzz_vectors.c" $(pkg-config --cflags --libs yaml-0.1) -o "$out/fuzz_vectors"
fi
echo "built in $out"
