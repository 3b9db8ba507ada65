#!/usr/bin/env bash
# Installs what the build needs on Debian 12 when it is missing (cmake, a C compiler,
# pkg-config, cmocka, libyaml; g++ and SystemC for the SystemC adapter; clang for the
# CI's second compiler).
set -euo pipefail
need=()
command -v cmake >/dev/null || need+=(cmake)
command -v cc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
command -v pkg-config >/dev/null || need+=(pkg-config)
dpkg -s libcmocka-dev >/dev/null 2>&1 || need+=(libcmocka-dev)
dpkg -s libyaml-dev >/dev/null 2>&1 || need+=(libyaml-dev)
command -v c++ >/dev/null || need+=(g++)
dpkg -s libsystemc-dev >/dev/null 2>&1 || need+=(libsystemc-dev)
if [ "${SMMUV3_WANT_CLANG:-0}" = 1 ]; then command -v clang >/dev/null || need+=(clang); fi
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "deps: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
