#!/usr/bin/env bash
# Installs the Debian 12 packages that building and testing pgml need. Idempotent: it runs
# apt-get only when something is missing. Run as root (or it uses sudo when present).
# --runtime: only what a server running pgml needs, not what building and testing it need.
set -euo pipefail

# Run time: what a server that loads pgml needs (docker/Dockerfile's server image installs
# only these, with --runtime).
runtime_packages=(
	postgresql-15              # the server the tests and the demo run, and pgbench (build/soak.sh)
	libgfortran5               # OpenBLAS's LAPACK part needs the Fortran runtime
	libpython3.11              # libpgml_python.so, loaded on first python use only
	python3-numpy python3-scipy python3-sklearn python3-xgboost   # the python runtime
	libxgboost0                # native xgboost: the library pgml loads on first use
	pgpool2                    # the scale-out topology (build/scale-out.sh, docker/)
)
build_packages=(
	postgresql-server-dev-15   # headers and PGXS
	libopenblas-dev            # static libopenblas.a for libpgml_blas.so
	gcc make git ca-certificates
	binutils                   # nm, for the exported-symbol check
	libpython3.11-dev          # builds libpgml_python.so (pgml.so itself never links libpython)
	libxgboost-dev             # native xgboost headers
	libipc-run-perl            # PostgreSQL::Test::Cluster, for the TAP tests in t/ (make tapcheck)
	python3-yaml               # build/lint-docker.sh reads docker/compose.yaml
)
packages=("${runtime_packages[@]}")
[ "${1:-}" = "--runtime" ] || packages+=("${build_packages[@]}")

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
	echo "install-deps: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	echo "install-deps: Go is at /usr/local/go/bin; add it to PATH" >&2
fi
command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || {
	echo "install-deps: a Go toolchain (1.26+) is required and was not found" >&2
	exit 1
}
