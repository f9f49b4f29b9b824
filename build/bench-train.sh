#!/usr/bin/env bash
# Training benchmark (make bench-train): how long pgml.train takes natively (runtime 'go')
# against scikit-learn embedded in the backend (runtime 'python'), on synthetic data made in
# SQL with setseed, same hyperparameters, test_sampling 'last', automatic_deploy false; plus
# each model's test metric (r2 / f1) and the backend's peak RSS when training natively on a
# big table. Idempotent; runs as root (or a user with sudo). See build/bench/README.md.
#   BENCH_TRAIN_ROWS        rows of the main tables (default 100000; 20 real features)
#   BENCH_TRAIN_SVM_ROWS    rows for linear_svm (default 20000)
#   BENCH_TRAIN_RUNS        timed runs per algorithm, task and runtime (default 3; median shown)
#   BENCH_TRAIN_WARM_ROWS   rows of the warm-up tables (default 2000)
#   BENCH_TRAIN_ALGORITHMS  comma-separated subset of the algorithms (default: all)
#   BENCH_TRAIN_BIG         0 skips the peak-RSS section (default 1)
#   BENCH_TRAIN_BIG_ROWS    rows of its table (default 1000000)
# An algorithm that fails (in either runtime, even by crashing the backend) is printed as n/a
# with its error's first line. Exits non-zero only if building, the cluster or the setup fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH=/usr/local/go/bin:$PATH

rows=${BENCH_TRAIN_ROWS:-100000}
svm_rows=${BENCH_TRAIN_SVM_ROWS:-20000}
runs=${BENCH_TRAIN_RUNS:-3}
warm_rows=${BENCH_TRAIN_WARM_ROWS:-2000}
only=${BENCH_TRAIN_ALGORITHMS:-}
big=${BENCH_TRAIN_BIG:-1}
big_rows=${BENCH_TRAIN_BIG_ROWS:-1000000}
[ "$big" != 0 ] || big_rows=0
for v in rows svm_rows runs warm_rows big_rows; do
	[[ ${!v} =~ ^[0-9]+$ ]] || { echo "bench-train: $v must be a whole number, not '${!v}'" >&2; exit 2; }
done

build/install-deps.sh
make
make install

# Our own throw-away cluster: never the one on the default port/dir that others may be using.
export PGML_PORT=55441 PGML_CLUSTER_DIR=/tmp/pgml-bench-train
build/cluster.sh start
trap 'build/cluster.sh stop' EXIT
eval "$(build/cluster.sh env)"

psql_() { psql -X -v ON_ERROR_STOP=1 -q "$@"; }
# pgml.train reports every call at INFO, which always reaches the client: keep our own
# progress lines (NOTICE) and everything else, drop those.
filter() { sed -u -e '/^INFO:  /d' -e 's/^NOTICE:  //'; }

sizes="$rows, $svm_rows, $warm_rows"
[ "$big_rows" -eq 0 ] || sizes+=", $big_rows"
echo "bench-train: generating tables of $sizes rows × 20 features"
psql_ -v rows="$rows" -v svm_rows="$svm_rows" -v warm_rows="$warm_rows" -v big_rows="$big_rows" \
	-v only="$only" -f build/bench/train.sql
njobs=$(psql_ -Atc "SELECT count(*) FROM bench_jobs")
[ "$njobs" -gt 0 ] || { echo "bench-train: no algorithm matches BENCH_TRAIN_ALGORITHMS='$only'" >&2; exit 2; }
echo "bench-train: pgml $(psql_ -Atc "SELECT pgml.version()"), scikit-learn $(psql_ -Atc \
	"SELECT pgml.python_package_version('sklearn')" 2>/dev/null || echo 'unavailable (the python column will say why)')"

# All jobs in one session, each one statement (so its results commit as it ends). If the
# backend dies, the job in progress is recorded as crashed and a new session takes the rest.
echo "bench-train: $njobs jobs, a warm-up then $runs timed runs per runtime each"
settings="SET max_parallel_workers_per_gather = 0; SET jit = off;"
next="SELECT format('SELECT bench_run_job(%s, $runs)', ord) FROM bench_jobs
      WHERE ord NOT IN (SELECT ord FROM bench_done) ORDER BY ord"
for ((attempt = 0; attempt <= njobs; attempt++)); do
	if printf '%s\n%s \\gexec\n' "$settings" "$next" | psql_ -o /dev/null 2>&1 | filter; then
		break
	fi
	echo "bench-train: the session ended early (see $PGML_CLUSTER_DIR/server.log); going on in a new one"
	for ((i = 0; i < 60; i++)); do psql_ -Atc 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
	left=$(psql_ -Atc "INSERT INTO bench_done SELECT min(ord), 'the session ended during this job (backend crash?)'
		FROM bench_jobs WHERE ord NOT IN (SELECT ord FROM bench_done) HAVING min(ord) IS NOT NULL RETURNING ord") || {
		echo "bench-train: the server did not come back" >&2; exit 1; }
	[ -n "$left" ] || break
done

echo
echo "pgml.train, $rows rows (linear_svm $svm_rows) × 20 real features, 25% test rows (the last ones);"
echo "time = server clock around each call (read + fit + score + store), median of $runs runs after a warm-up;"
echo "metric = the model's test r2 (regression) or f1 (classification, 3 classes)"
psql_ -v rows="$rows" -v svm_rows="$svm_rows" -f build/bench/train-report.sql

# Peak RSS: a fresh session per algorithm (so VmHWM is that training's peak plus the backend's
# own), native training on the big table. VmHWM is read before (after loading pgml.so) and after.
if [ "$big_rows" -gt 0 ]; then
	echo
	echo "peak RSS of the backend training natively on $big_rows rows × 20 features (a fresh session each)"
	psql_ -c "CREATE TABLE bench_big (algorithm text, secs float8, metric numeric, hwm0_kb bigint, hwm_kb bigint, rss_kb bigint, err text)"
	for spec in 'linear|{}' 'random_forest|{"n_estimators": 10}'; do
		alg=${spec%%|*} hp=${spec#*|}
		psql_ 2>&1 <<SQL | filter || echo "bench-train: $alg: the session failed (see above)"
SET max_parallel_workers_per_gather = 0; SET jit = off;
CREATE FUNCTION pg_temp.kb(field text) RETURNS bigint LANGUAGE sql AS
\$\$ SELECT substring(pg_read_file('/proc/self/status') FROM field || ':\s+(\d+) kB')::bigint \$\$;
SELECT pgml.version() \g /dev/null
DO \$\$
DECLARE hwm0 bigint := pg_temp.kb('VmHWM'); t0 timestamptz := clock_timestamp(); secs float8; m jsonb;
BEGIN
  BEGIN
    PERFORM * FROM pgml.train('bench-train big', 'regression', 'bench_reg_big', 'target', algorithm => '$alg',
                              hyperparams => '$hp', test_sampling => 'last', runtime => 'go', automatic_deploy => false);
    secs := extract(epoch FROM clock_timestamp() - t0);
    SELECT metrics INTO m FROM pgml.models ORDER BY id DESC LIMIT 1;
    INSERT INTO bench_big VALUES ('$alg', secs, round((m->>'r2')::numeric, 4), hwm0, pg_temp.kb('VmHWM'), pg_temp.kb('VmRSS'), NULL);
  EXCEPTION WHEN OTHERS THEN
    INSERT INTO bench_big VALUES ('$alg', NULL, NULL, hwm0, pg_temp.kb('VmHWM'), pg_temp.kb('VmRSS'), split_part(SQLERRM, E'\n', 1));
  END;
END \$\$;
SQL
	done
	psql_ <<SQL
\pset footer off
SELECT a.algorithm, coalesce(to_char(b.secs, 'FM999990.000'), 'n/a') AS "go s", coalesce(b.metric::text, 'n/a') AS r2,
       round(b.hwm0_kb / 1024.0) AS "VmHWM before MiB", round(b.hwm_kb / 1024.0) AS "VmHWM after MiB",
       round(b.rss_kb / 1024.0) AS "VmRSS after MiB",
       round((b.hwm_kb - b.hwm0_kb) / 1024.0) AS "peak growth MiB",
       round((b.hwm_kb - b.hwm0_kb) * 1024.0 / ($big_rows * 20 * 8), 2) AS "growth ÷ data",
       coalesce(b.err, CASE WHEN b.algorithm IS NULL THEN 'the session failed' END) AS "n/a because"
FROM (VALUES (1, 'linear'), (2, 'random_forest')) a(o, algorithm) LEFT JOIN bench_big b USING (algorithm)
ORDER BY a.o;
SQL
	echo "(for scale: the features as float64 are $((big_rows * 20 * 8 / 1048576)) MiB, as float32 $((big_rows * 20 * 4 / 1048576)) MiB;"
	echo " growth ÷ data is the peak growth over that float64 size; the Go side alone, without the backend's"
	echo " reading and storing: go test -run X -bench TrainPeak -benchtime 1x ./algorithms/native)"
fi

# A crashed backend is reported (its job shows n/a), not a reason to fail the run.
if grep -E 'terminated by signal|server process .* was terminated' "$PGML_CLUSTER_DIR/server.log"; then
	echo "bench-train: WARNING: a backend crashed during the benchmark (see $PGML_CLUSTER_DIR/server.log)" >&2
fi
