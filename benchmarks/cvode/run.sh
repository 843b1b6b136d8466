#!/usr/bin/env bash
# Build and run the native CVODE baseline (benchmarks/cvode/stiff.c).
# Prints one JSON object per (problem, rtol) line on stdout.
# Installs Debian's libsundials-dev if the headers are missing (needs root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/build/cvode"
cfg=/usr/include/sundials/sundials_config.h

if [[ ! -f /usr/include/cvode/cvode.h || ! -f $cfg ]]; then
  echo "run.sh: SUNDIALS headers missing, installing libsundials-dev" >&2
  if ! { apt-get update -qq && apt-get install -y -qq libsundials-dev; } >/dev/null 2>&1; then
    echo "run.sh: could not install libsundials-dev with apt-get (not root, or no Debian package index reachable)" >&2
    exit 3
  fi
fi

major="$(sed -n 's/^#define SUNDIALS_VERSION_MAJOR \([0-9]*\).*/\1/p' "$cfg")"
version="$(sed -n 's/^#define SUNDIALS_VERSION "\(.*\)".*/\1/p' "$cfg")"
libs=(-lsundials_cvode -lsundials_nvecserial -lsundials_sunmatrixdense -lsundials_sunlinsoldense)
# SUNDIALS >= 7 moved the shared pieces (SUNContext, logger, ...) into sundials_core;
# 5.x and 6.x build them into every package library.
if [[ -n $major && $major -ge 7 ]]; then libs+=(-lsundials_core); fi

mkdir -p "$out"
echo "run.sh: SUNDIALS $version, linking ${libs[*]}" >&2
# -std=c11 (not gnu11) plus -ffp-contract=off: no FMA contraction in the RHS/Jacobian,
# like WebAssembly; CVODE's step counts move by up to ~10% with FMA on.
gcc -O3 -march=native -std=c11 -ffp-contract=off -Wall -Wextra -o "$out/stiff" "$here/stiff.c" "${libs[@]}" -lm
exec "$out/stiff"
