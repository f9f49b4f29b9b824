#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine, as root or as a user with sudo:
# installs what is missing, builds, checks exports, runs the Go tests, installs the
# extension, starts a throw-away cluster, runs pg_regress and the multi-session harness,
# stops the cluster, and runs the TAP tests (crashes, standbys) on clusters of their own.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH

build/install-deps.sh
make
build/check-exports.sh
make gotest
make install

build/cluster.sh start
trap 'build/cluster.sh stop' EXIT
eval "$(build/cluster.sh env)"
start_time=$(psql -XAtc 'SELECT pg_postmaster_start_time()')

status=0
if ! make installcheck; then
	status=1
	[ ! -f regress/regression.diffs ] || head -c 20000 regress/regression.diffs
fi
# The harness takes about 10 minutes on a busy shared machine: go test's default limit is 10.
if ! go test -count=1 -timeout 30m ./regress/...; then
	status=1
fi

# A crashed backend restarts the whole server: treat it as a failure of its own.
if [ "$(psql -XAtc 'SELECT pg_postmaster_start_time()')" != "$start_time" ] ||
	grep -E 'terminated by signal|server process .* was terminated' "${PGML_CLUSTER_DIR:-/tmp/pgml-cluster}/server.log"; then
	echo "test: the server restarted or a backend crashed during the tests"
	status=1
fi
build/cluster.sh stop
trap - EXIT
# They kill backends on purpose: on clusters of their own, after the check above.
if ! make tapcheck; then
	status=1
fi
# A primary, two standbys and pgpool-II on loopback (docs/scale-out.md), and docker/'s files.
if ! build/scale-out.sh --short; then
	status=1
fi
if ! build/lint-docker.sh; then
	status=1
fi
exit $status
