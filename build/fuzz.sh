#!/usr/bin/env bash
# The long fuzz run (make fuzz): every SQL function of schema pgml called with generated
# arguments, every algorithm × task × runtime, every data shape × native algorithm, and
# PGML_FUZZ_CALLS (default 8000) random calls, with a time-based seed printed at the start.
# The CI runs a short form with a fixed seed (go test ./regress/..., from build/test.sh).
#   PGML_FUZZ_SEED, PGML_FUZZ_CALLS, PGML_FUZZ_CASE, PGML_FUZZ_KNOWN, PGML_FUZZ_LOG: see
#   regress/harness/fuzz_test.go.
# With a libpq environment (PGHOST set) it runs against that server; without one it builds,
# installs and uses a throw-away cluster (PGML_CLUSTER_DIR, default /tmp/pgml-fuzz-long;
# PGML_PORT, default 55442).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
if [ -z "${PGHOST:-}" ]; then
	build/install-deps.sh
	make
	make install
	export PGML_CLUSTER_DIR=${PGML_CLUSTER_DIR:-/tmp/pgml-fuzz-long} PGML_PORT=${PGML_PORT:-55442}
	build/cluster.sh start
	trap 'build/cluster.sh stop' EXIT
	eval "$(build/cluster.sh env)"
fi
PGML_FUZZ_LONG=${PGML_FUZZ_LONG:-1} go test -count=1 -timeout 0 -v -run 'TestFuzzSQLFunctions$' ./regress/harness
