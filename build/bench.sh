#!/usr/bin/env bash
# Prediction benchmark (make bench): the cost per row of pgml.predict on a 10-feature linear
# regression model over BENCH_ROWS rows, against a C floor (build/bench/floor.c: same
# arguments, a fixed linear model) and a baseline that only builds the feature array.
# Idempotent; runs as root (or a user with sudo). See build/bench/README.md.
#   BENCH_ROWS (default 200000), BENCH_RUNS (timed runs per query, default 11: a run of all
#   six queries takes about a second, and more runs buy a steadier median),
#   PGML_BENCH_PORT / PGML_BENCH_DIR (default 55439, /tmp/pgml-bench: set them when several
#   people benchmark on one machine).
# Exits non-zero if building, the cluster or any query fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH=/usr/local/go/bin:$PATH

rows=${BENCH_ROWS:-200000}
runs=${BENCH_RUNS:-11}

build/install-deps.sh
make
make install

# Our own throw-away cluster: never the one on the default port/dir that others may be using.
export PGML_PORT=${PGML_BENCH_PORT:-55439} PGML_CLUSTER_DIR=${PGML_BENCH_DIR:-/tmp/pgml-bench}
build/cluster.sh start
trap 'build/cluster.sh stop' EXIT
eval "$(build/cluster.sh env)"

# The floor is built out of tree, next to the cluster, and loaded by absolute path: nothing is
# installed into the server's lib directory. The cluster directory is readable by the server.
floor_dir=$PGML_CLUSTER_DIR/floor
mkdir -p "$floor_dir"
make -s -C "$floor_dir" -f "$root/build/bench/Makefile" VPATH="$root/build/bench" >/dev/null
floor_so=$floor_dir/pgml_bench_floor.so

psql_() { psql -X -v ON_ERROR_STOP=1 -q "$@"; }

features="c1, c2, c3, c4, c5, c6, c7, c8, c9, c10"

echo "bench: loading $rows rows and training"
psql_ <<SQL
CREATE EXTENSION pgml;
CREATE FUNCTION pgml_bench_floor(project_name text, features real[]) RETURNS real
AS '$floor_so', 'pgml_bench_floor' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- Features uniform in [-1, 1); the target uses the floor's weights (floor.c) plus a little
-- noise, so the trained model is close to the floor's and their predictions can be compared.
SELECT setseed(0.42);
CREATE TABLE bench_data AS
SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10,
       (4.0 + 1.5*c1 - 2.0*c2 + 0.75*c3 + 3.0*c4 - 1.25*c5 + 0.5*c6 + 2.25*c7 - 0.8*c8
        + 1.1*c9 - 0.3*c10 + 0.05*(random() - 0.5))::real AS target
FROM (SELECT (random()*2 - 1)::real AS c1, (random()*2 - 1)::real AS c2,
             (random()*2 - 1)::real AS c3, (random()*2 - 1)::real AS c4,
             (random()*2 - 1)::real AS c5, (random()*2 - 1)::real AS c6,
             (random()*2 - 1)::real AS c7, (random()*2 - 1)::real AS c8,
             (random()*2 - 1)::real AS c9, (random()*2 - 1)::real AS c10
      FROM generate_series(1, $rows)) s;
-- Hint bits set and statistics gathered now, not during the first timed scan.
VACUUM (FREEZE, ANALYZE) bench_data;

\pset footer off
SELECT project, task, algorithm, deployed FROM pgml.train('bench', 'regression', 'bench_data', 'target');
SQL

model_id=$(psql_ -Atc "SELECT d.model_id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id
	WHERE p.name = 'bench' ORDER BY d.id DESC LIMIT 1")
[ -n "$model_id" ] || { echo "bench: no deployed model for project bench" >&2; exit 1; }

# How the time is measured: EXPLAIN (ANALYZE, TIMING OFF)'s "Execution Time", read back as
# JSON by a PL/pgSQL function, so the whole measurement runs inside one server session.
# - It is the server's own clock around ExecutorStart..ExecutorEnd: no client, socket or
#   psql overhead, no parse/plan time (constant per query, not per row).
# - TIMING OFF drops the per-node clock reads that EXPLAIN ANALYZE otherwise adds per row;
#   what remains (row counting) is identical in every query and cancels in the marginal
#   figures.
# - Each query returns one row (an aggregate), so result transfer is nil; the aggregate
#   forces every call to be evaluated.
# - The baseline builds the same ARRAY[...] per row and only counts it: count()'s transition
#   stands in for sum()'s and no function is called on the array. (The obvious
#   sum(cardinality(ARRAY[...])) adds an fmgr call costing about what the whole floor costs,
#   which leaves the floor's marginal cost at zero or below.) So "marginal" is the function
#   call itself, the same accounting for the floor and for pgml.
# - Parallel query and JIT are off: we want the per-row cost of one backend, not a plan
#   choice or LLVM compile time that varies between runs.
# - Noise (a shared 2-vCPU VM): one warm-up run of every query, then BENCH_RUNS rounds in
#   which every query runs once, in an order that rotates each round, so drift hits all
#   queries alike; the table reports medians, and marginal figures are medians of per-round
#   differences with the baseline. Noise on a shared VM only ever adds time, so the ratio of
#   the fastest runs is printed too, as a cross-check of the median ratio. The table is small
#   enough to stay in shared buffers after the warm-up.
echo
echo "bench: timing, $runs runs per query after a warm-up (median reported)"
psql_ <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;

CREATE TEMP TABLE q (ord int, name text, sql text);
INSERT INTO q VALUES
  (1, 'baseline: count(ARRAY[...])',             'SELECT count(ARRAY[$features]) FROM bench_data'),
  (2, 'floor: pgml_bench_floor(text, real[])',  'SELECT sum(pgml_bench_floor(''bench'', ARRAY[$features])) FROM bench_data'),
  (3, 'pgml.predict(text, real[])',             'SELECT sum(pgml.predict(''bench'', ARRAY[$features])) FROM bench_data'),
  (4, 'pgml.predict(bigint, real[])',           'SELECT sum(pgml.predict($model_id::bigint, ARRAY[$features])) FROM bench_data'),
  -- The row forms: the table's row matched by name (target is an extra field, ignored), and
  -- an anonymous ROW(...) by position; both apply the model's preprocessing.
  (5, 'pgml.predict(text, row) by name',        'SELECT sum(pgml.predict(''bench'', b)) FROM bench_data b'),
  (6, 'pgml.predict(text, ROW(...)) by position', 'SELECT sum(pgml.predict(''bench'', ROW($features))) FROM bench_data');

-- This backend's CPU time in ms (/proc/<pid>/schedstat: ns spent on a CPU; superuser read).
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8 LANGUAGE sql AS \$\$
  SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat'), ' ', 1)::float8 / 1e6 \$\$;
CREATE FUNCTION pg_temp.exec_ms(query text, OUT wall float8, OUT cpu float8) LANGUAGE plpgsql AS \$\$
DECLARE plan json;
BEGIN
  cpu := pg_temp.cpu_ms();
  EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON) ' || query INTO plan;
  cpu := pg_temp.cpu_ms() - cpu;
  wall := (plan->0->>'Execution Time')::float8;
END \$\$;

CREATE TEMP TABLE t (ord int, run int, wall float8, cpu float8);
DO \$\$
DECLARE
  nq int := (SELECT count(*) FROM q);
  r record;
BEGIN
  FOR r IN SELECT * FROM q ORDER BY ord LOOP          -- warm-up: caches, model load
    PERFORM pg_temp.exec_ms(r.sql);
  END LOOP;
  FOR run IN 1..$runs LOOP
    FOR r IN SELECT * FROM q ORDER BY (ord - 1 + run) % nq LOOP
      INSERT INTO t SELECT r.ord, run, e.wall, e.cpu FROM pg_temp.exec_ms(r.sql) e;
    END LOOP;
  END LOOP;
END \$\$;

-- The report, from one clock: 'wall' (the server's Execution Time) or 'cpu' (the backend's own
-- CPU time, which other processes of a shared machine do not inflate; EXPLAIN's own work is in
-- it, the same for every query, and cancels in the marginal figures).
-- Marginal figures are paired: each run's time minus the baseline's time in the same round
-- (adjacent in time, so slow drift cancels), then the median over rounds.
CREATE FUNCTION pg_temp.report(clock text) RETURNS TABLE (query text, "total ms" numeric, "min..max ms" text,
    "µs/row" numeric, "marginal µs/row" text, "÷ floor" text, "÷ floor (min)" text, "marginal ÷ floor" text)
LANGUAGE sql AS \$\$
WITH r AS (
  SELECT ord, run, CASE clock WHEN 'cpu' THEN cpu ELSE wall END AS ms FROM t
), d AS (
  SELECT r.ord, r.ms, r.ms - b.ms AS dms
  FROM r JOIN r b ON b.run = r.run AND b.ord = 1
), m AS (
  SELECT ord, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY dms) AS dms, min(ms) AS lo, max(ms) AS hi
  FROM d GROUP BY ord
), c AS (
  SELECT q.ord, q.name, m.ms, m.lo, m.hi,
         1000 * m.ms / $rows AS us,
         1000 * m.dms / $rows AS marg,
         f.ms AS fms, f.lo AS flo, f.dms AS fmarg, m.dms AS mmarg
  FROM m JOIN q USING (ord), m f
  WHERE f.ord = 2
)
SELECT name,
       round(ms::numeric, 1),
       round(lo::numeric, 1) || '..' || round(hi::numeric, 1),
       round(us::numeric, 3),
       CASE WHEN ord = 1 THEN '' ELSE round(marg::numeric, 3)::text END,
       CASE WHEN ord = 1 THEN '' ELSE round((ms / fms)::numeric, 2)::text END,
       CASE WHEN ord = 1 THEN '' ELSE round((lo / flo)::numeric, 2)::text END,
       CASE WHEN ord = 1 THEN ''
            WHEN fmarg <= 0 THEN 'n/a (floor ≤ baseline)'
            ELSE round((mmarg / fmarg)::numeric, 2)::text END
FROM c ORDER BY ord
\$\$;

\pset footer off
\echo
\echo '$rows rows, 10 features; median of $runs runs; marginal = minus the baseline run of the same round'
\echo 'wall clock (EXPLAIN ANALYZE Execution Time)'
SELECT * FROM pg_temp.report('wall');
\echo 'CPU time of the backend (/proc/<pid>/schedstat): what the code costs, whatever else runs on the machine'
SELECT * FROM pg_temp.report('cpu');

\echo 'sanity: the trained model against the floor''s fixed weights (not timed)'
SELECT round(avg(pgml.predict('bench', ARRAY[$features]))::numeric, 4) AS "mean predict",
       round(avg(pgml_bench_floor('bench', ARRAY[$features]))::numeric, 4) AS "mean floor",
       round(max(abs(pgml.predict('bench', ARRAY[$features])
                     - pgml_bench_floor('bench', ARRAY[$features])))::numeric, 4) AS "max |predict - floor|"
FROM bench_data;
SQL

one_row="ARRAY[0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9, -1.0]::real[]"

# Per-statement cost: each PERFORM in a PL/pgSQL loop is a new statement (a new snapshot in
# READ COMMITTED) with a new call site, so every iteration resolves the model as the first row of
# a statement does: by name, the catalog identity and the deployment read through the indexes of
# pgml.projects and pgml.deployments; by id, the catalog identity. The floor resolves nothing.
# Figures: median CPU µs of the backend per statement over BENCH_RUNS rounds of 2,000 statements
# each, and the difference with the floor (what pgml adds per statement, once per call site).
echo
echo "bench: per-statement cost (2000 statements per run, median of $runs runs, CPU time of the backend)"
psql_ <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8 LANGUAGE sql AS \$\$
  SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat'), ' ', 1)::float8 / 1e6 \$\$;
CREATE FUNCTION pg_temp.statements_us(kind text, n int) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE
  f real[] := $one_row;
  t0 float8 := pg_temp.cpu_ms();
BEGIN
  FOR i IN 1..n LOOP
    IF kind = 'name' THEN PERFORM pgml.predict('bench', f);
    ELSIF kind = 'id' THEN PERFORM pgml.predict($model_id::bigint, f);
    ELSE PERFORM pgml_bench_floor('bench', f);
    END IF;
  END LOOP;
  RETURN (pg_temp.cpu_ms() - t0) * 1000 / n;
END \$\$;
CREATE TEMP TABLE s (kind text, run int, us float8);
DO \$\$
BEGIN
  PERFORM pg_temp.statements_us(k, 200) FROM unnest(ARRAY['floor', 'name', 'id']) k;   -- warm-up
  FOR run IN 1..$runs LOOP
    INSERT INTO s SELECT k, run, pg_temp.statements_us(k, 2000) FROM unnest(ARRAY['floor', 'name', 'id']) k;
  END LOOP;
END \$\$;
\pset footer off
WITH m AS (SELECT kind, percentile_cont(0.5) WITHIN GROUP (ORDER BY us) AS us FROM s GROUP BY kind)
SELECT CASE m.kind WHEN 'floor' THEN 'floor: pgml_bench_floor(text, real[])'
                   WHEN 'name' THEN 'pgml.predict(text, real[])' ELSE 'pgml.predict(bigint, real[])' END AS "per statement",
       round(m.us::numeric, 2) AS "µs/statement",
       CASE WHEN m.kind = 'floor' THEN '' ELSE round((m.us - f.us)::numeric, 2)::text END AS "minus floor µs"
FROM m, m f WHERE f.kind = 'floor'
ORDER BY array_position(ARRAY['floor', 'name', 'id'], m.kind);
SQL

# First call in a fresh session: library load (Go runtime start) + model load from
# pgml.files, measured by psql's \timing (client round trip included, connection excluded),
# against the second call in the same session and the floor's first call. Each figure is the
# median over BENCH_RUNS fresh sessions. "Cold" means a new backend, not an empty OS page
# cache: pgml.so is in memory after the first session.
first_call() { # $1 = expression; prints "first second" in ms
	local out
	out=$(printf '\\timing on\nSELECT %s;\nSELECT %s;\n' "$1" "$1" | psql_ -At) || return 1
	awk '/^Time:/ { printf "%s ", $2 } END { print "" }' <<<"$out"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A first second
for name in predict floor; do
	case $name in
	predict) expr="pgml.predict('bench', $one_row)" ;;
	floor) expr="pgml_bench_floor('bench', $one_row)" ;;
	esac
	f=() s=()
	for ((i = 0; i < runs; i++)); do
		read -r a b < <(first_call "$expr") && [ -n "${b:-}" ] || { echo "bench: first-call query failed: $expr" >&2; exit 1; }
		f+=("$a") s+=("$b")
	done
	first[$name]=$(printf '%s\n' "${f[@]}" | median)
	second[$name]=$(printf '%s\n' "${s[@]}" | median)
done
echo
echo "first call in a fresh session (median of $runs sessions, psql \\timing, ms)"
printf '  %-36s %10s %10s %12s\n' "function" "1st call" "2nd call" "cold extra"
for name in predict floor; do
	case $name in predict) label="pgml.predict(text, real[])" ;; floor) label="pgml_bench_floor(text, real[])" ;; esac
	printf '  %-36s %10.3f %10.3f %12.3f\n' "$label" "${first[$name]}" "${second[$name]}" \
		"$(awk -v a="${first[$name]}" -v b="${second[$name]}" 'BEGIN { print a - b }')"
done

# XGBoost models predict natively (algorithms/treeensemble): one row per call against pgml's own
# gradient boosting and against libxgboost's in-place predict on the same model, in one go test
# run (xgboost/predict_bench_test.go), for a model the go runtime trained and one the python
# runtime's code trained (its native form). Targets: ÷ boosting ≤ 1.2, ÷ libxgboost ≤ 1.0.
echo
echo "bench: xgboost per-row predict (go test -bench BenchmarkPredictRow -count ${BENCH_GO_COUNT:-5} ./xgboost)"
go_bench=$(go test -run '^$' -bench 'BenchmarkPredictRow$' -count "${BENCH_GO_COUNT:-5}" ./xgboost) ||
	{ echo "$go_bench" >&2; echo "bench: go benchmark failed" >&2; exit 1; }
declare -A go_ns
for engine in xgboost_native boosting_native libxgboost python_xgboost_native python_libxgboost; do
	go_ns[$engine]=$(awk -v e="BenchmarkPredictRow/$engine-" 'index($1, e) == 1 { print $3 }' <<<"$go_bench" | median)
done
printf '  %-46s %10s\n' "engine (100 trees of depth <= 5, 10 features)" "ns/row"
printf '  %-46s %10.0f\n' "xgboost model, native (algorithms/treeensemble)" "${go_ns[xgboost_native]}" \
	"native gradient boosting (algorithms/boosting)" "${go_ns[boosting_native]}" \
	"libxgboost XGBoosterPredictFromDense" "${go_ns[libxgboost]}"
awk -v x="${go_ns[xgboost_native]}" -v n="${go_ns[boosting_native]}" -v l="${go_ns[libxgboost]}" \
	'BEGIN { printf "  xgboost native ÷ boosting native %.2f (target <= 1.2), ÷ libxgboost %.2f (target <= 1.0)\n", x / n, x / l }'
if grep -q "BenchmarkPredictRow/python_xgboost_native-" <<<"$go_bench"; then
	printf '  %-46s %10.0f\n' "python-trained xgboost model, native form" "${go_ns[python_xgboost_native]}" \
		"the same model, libxgboost XGBoosterPredictFromDense" "${go_ns[python_libxgboost]}"
	awk -v x="${go_ns[python_xgboost_native]}" -v n="${go_ns[boosting_native]}" -v l="${go_ns[python_libxgboost]}" \
		'BEGIN { printf "  python-trained xgboost native ÷ boosting native %.2f (target <= 1.2), ÷ libxgboost on it %.2f (target <= 1.0)\n", x / n, x / l }'
else
	echo "  python-trained xgboost model: not measured (python3-xgboost missing?)"
fi

# Python-trained models with native forms: fresh-connection cost, backend memory, per-row ratio.
# shellcheck source=bench/python-models.sh
source "$root/build/bench/python-models.sh"

# A crashed backend restarts the server: that is a failure even if psql got its answers.
if grep -E 'terminated by signal|server process .* was terminated' "$PGML_CLUSTER_DIR/server.log"; then
	echo "bench: a backend crashed during the benchmark" >&2
	exit 1
fi
