#!/usr/bin/env bash
# The TAP tests of t/ (PostgreSQL's PostgreSQL::Test::Cluster, Debian's libipc-run-perl): each
# test starts clusters of its own, from the installation that PG_CONFIG names (run `make
# install` first), so they never touch another server. initdb refuses root: as root, the tests
# run as the postgres OS user. PROVE_FLAGS (e.g. --verbose) and PROVE_TESTS (e.g.
# t/001_crash_training.pl) are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_config=${PG_CONFIG:-pg_config}
bindir=$("$pg_config" --bindir)
pgxs_src=$(dirname "$("$pg_config" --pgxs)")/..
perl_lib=$pgxs_src/test/perl
prove=${PROVE:-prove}
tests=${PROVE_TESTS:-t/*.pl}

workdir=$(mktemp -d /tmp/pgml-tap.XXXXXX)
trap 'rm -rf "$workdir"' EXIT
as_tester=()
if [ "$(id -u)" -eq 0 ]; then
	chown postgres: "$workdir"
	as_tester=(runuser -u postgres --)
fi

status=0
# shellcheck disable=SC2086 # PROVE_FLAGS and the test list are word lists
"${as_tester[@]}" env PATH="$bindir:$PATH" TESTDIR="$workdir" PG_REGRESS="$pgxs_src/test/regress/pg_regress" \
	"$prove" -I "$perl_lib" -I t ${PROVE_FLAGS:-} $tests || status=$?
if [ $status -ne 0 ]; then
	for log in "$workdir"/tmp_check/log/regress_log_*; do
		[ -f "$log" ] || continue
		echo "=== tail of $log"
		tail -n 60 "$log"
	done
fi
exit $status
