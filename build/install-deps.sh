#!/usr/bin/env bash
# Installs the Debian 12 packages that building and testing pgml need. Idempotent: it runs
# apt-get only when something is missing. Run as root (or it uses sudo when present).
set -euo pipefail

packages=(
	postgresql-15              # the server the tests and the demo run, and pgbench (build/soak.sh)
	postgresql-server-dev-15   # headers and PGXS
	libopenblas-dev            # static libopenblas.a for libpgml_blas.so
	libgfortran5               # OpenBLAS's LAPACK part needs the Fortran runtime
	gcc make git ca-certificates
	binutils                   # nm, for the exported-symbol check
	libpython3.11-dev          # builds libpgml_python.so (pgml.so itself never links libpython)
	python3-numpy python3-scipy python3-sklearn python3-xgboost   # the python runtime
	libxgboost-dev libxgboost0 # native xgboost: headers to build, the library pgml loads on first use
	libipc-run-perl            # PostgreSQL::Test::Cluster, for the TAP tests in t/ (make tapcheck)
	chromium                   # headless browser of the dashboard's browser test (dashboard/browser_test.go)
)

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
