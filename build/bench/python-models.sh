# Sourced by build/bench.sh (its cluster, psql_, median and runs): python-trained models with
# native forms (issue 11, docs/native-inference.md) against the interpreter and native models.
#   (a) connect + first pgml.predict in a fresh connection, ms, and the backend's CPU time for
#       that predict (all threads; median of BENCH_RUNS connections);
#   (b) VmRSS / Pss of that backend after predicting;
#   (c) per-row predict of a python-trained model with native form ÷ a native model of the
#       same algorithm and size: random_forest (100 trees, diabetes) once the python random
#       forest converts (its native_inference says 'native'), linear (ridge) until then.
# Targets: first predict <= 20 ms, RSS <= 40 MB, per-row ratio <= 1.2.
py_rows=${BENCH_PY_ROWS:-20000}

echo
echo "bench: python-trained models (training them: python ridge, logistic, random_forest 100 trees; native ridge, random_forest 100 trees)"
psql_ <<'SQL'
SET client_min_messages = warning;
SELECT count(*) > 0 AS loaded FROM pgml.load_dataset('diabetes') \g /dev/null
SELECT count(*) > 0 AS loaded FROM pgml.load_dataset('iris') \g /dev/null
SELECT * FROM pgml.train('bench py ridge', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', runtime => 'python') \g /dev/null
SELECT * FROM pgml.train('bench py logistic', 'classification', 'pgml.iris', 'target', algorithm => 'linear', runtime => 'python',
    hyperparams => '{"max_iter": 5000}') \g /dev/null
SELECT * FROM pgml.train('bench py interpreted', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', runtime => 'python') \g /dev/null
SELECT * FROM pgml.train('bench go ridge', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', runtime => 'go') \g /dev/null
SELECT * FROM pgml.train('bench py forest', 'regression', 'pgml.diabetes', 'target', algorithm => 'random_forest', runtime => 'python',
    hyperparams => '{"n_estimators": 100}') \g /dev/null
SELECT * FROM pgml.train('bench go forest', 'regression', 'pgml.diabetes', 'target', algorithm => 'random_forest', runtime => 'go',
    hyperparams => '{"n_estimators": 100}') \g /dev/null
-- The contrast: a python model as stored before native forms (its pickle only) predicts
-- through the interpreter.
DELETE FROM pgml.files WHERE path = 'estimator.pgml' AND model_id =
    (SELECT m.id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'bench py interpreted');
SQL
py_model() { psql_ -Atc "SELECT m.id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = '$1' ORDER BY m.id DESC LIMIT 1"; }
py_status() { psql_ -Atc "SELECT coalesce(m.metrics->>'native_inference', '<none>') FROM pgml.models m WHERE m.id = $1"; }
py_ridge=$(py_model 'bench py ridge') py_logistic=$(py_model 'bench py logistic') py_interpreted=$(py_model 'bench py interpreted')
go_ridge=$(py_model 'bench go ridge') py_forest=$(py_model 'bench py forest') go_forest=$(py_model 'bench go forest')
printf '  native_inference: python ridge %s, logistic %s, random_forest %s; interpreted ridge: %s files\n' \
	"$(py_status "$py_ridge")" "$(py_status "$py_logistic")" "$(py_status "$py_forest")" \
	"$(psql_ -Atc "SELECT string_agg(path, ', ' ORDER BY path) FROM pgml.files WHERE model_id = $py_interpreted")"
[ "$(py_status "$py_ridge")" = native ] || { echo "bench: the python ridge model has no native form" >&2; exit 1; }

diabetes_row="ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]::real[]"
iris_row="ARRAY[6.7, 3.0, 5.2, 2.3]::real[]"
py_native_cases=("python ridge, native form=SELECT pgml.predict($py_ridge, $diabetes_row)")
if [ "$(py_status "$py_forest")" = native ]; then
	py_native_cases+=("python random_forest, native form=SELECT pgml.predict($py_forest, $diabetes_row)"
		"python ridge + logistic + forest, native forms=SELECT pgml.predict($py_ridge, $diabetes_row);SELECT pgml.predict_proba($py_logistic, $iris_row);SELECT pgml.predict($py_forest, $diabetes_row)")
else
	py_native_cases+=("python ridge + logistic, native forms=SELECT pgml.predict($py_ridge, $diabetes_row);SELECT pgml.predict_proba($py_logistic, $iris_row)")
fi
echo
echo "bench: a fresh connection predicts once (build/bench/firstpredict, median of $runs connections)"
first_out=$(go run ./build/bench/firstpredict -runs "$runs" \
	"connection only (SELECT 1)=SELECT 1" \
	"native ridge (runtime go)=SELECT pgml.predict($go_ridge, $diabetes_row)" \
	"${py_native_cases[@]}" \
	"python ridge, interpreter (no native form)=SELECT pgml.predict($py_interpreted, $diabetes_row)") ||
	{ echo "bench: firstpredict failed" >&2; exit 1; }
# Columns: connect + first predict (client wall), the first predict alone (client wall), the
# backend's CPU time during it over all its threads (library load, Go runtime start, model read
# and decode), then the backend's memory once every statement of the case ran.
printf '  %-48s %14s %10s %12s %10s %10s\n' "model(s) predicted" "connect+1st ms" "1st ms" "1st CPU ms" "VmRSS MB" "Pss MB"
awk -F'\t' '{ printf "  %-48s %14.2f %10.2f %12.2f %10.1f %10.1f\n", $1, $2, $3, $4, $5 / 1024, $6 / 1024 }' <<<"$first_out"
awk -F'\t' '
	$1 ~ /^native ridge/ { base_ms = $3; base_cpu = $4; base_rss = $5 }
	$1 ~ /native form/ && !($1 ~ /interpreter/) { if ($3 > worst_ms) worst_ms = $3; if ($4 > worst_cpu) worst_cpu = $4; if ($5 > worst_rss) worst_rss = $5 }
	$1 ~ /interpreter/ { py_ms = $3; py_cpu = $4; py_rss = $5 }
	END {
		printf "  python-trained with native forms: first predict <= %.2f ms wall, <= %.2f ms backend CPU (target <= 20 ms; native model %.2f ms wall, %.2f ms CPU), VmRSS <= %.1f MB (target <= 40; native model %.1f MB)\n", worst_ms, worst_cpu, base_ms, base_cpu, worst_rss / 1024, base_rss / 1024
		printf "  through the interpreter: first predict %.0f ms wall, %.0f ms backend CPU, VmRSS %.1f MB\n", py_ms, py_cpu, py_rss / 1024
	}' <<<"$first_out"

# (c) Per-row cost, as the first table measures it: EXPLAIN (ANALYZE, TIMING OFF) of a scan that
# predicts every row by model id, the backend's CPU time, BENCH_RUNS rotating rounds, marginal
# = minus a baseline that builds the same arrays.
if [ "$(py_status "$py_forest")" = native ]; then
	pair=random_forest py_id=$py_forest go_id=$go_forest
else
	pair="ridge (random_forest: python model not native yet: $(py_status "$py_forest"))" py_id=$py_ridge go_id=$go_ridge
fi
echo
echo "bench: per-row predict, python-trained with native form ÷ native, $pair; $py_rows rows, median of $runs runs, CPU time"
psql_ <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TABLE bench_py_rows AS SELECT d.age, d.sex, d.bmi, d.bp, d.s1, d.s2, d.s3, d.s4, d.s5, d.s6
FROM pgml.diabetes d, generate_series(1, ($py_rows + 441) / 442) LIMIT $py_rows;
VACUUM (FREEZE, ANALYZE) bench_py_rows;
CREATE TEMP TABLE pq (ord int, name text, sql text);
INSERT INTO pq VALUES
  (1, 'baseline: count(ARRAY[...])', 'SELECT count(ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) FROM bench_py_rows'),
  (2, 'native model (runtime go)',   'SELECT sum(pgml.predict($go_id::bigint, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6])) FROM bench_py_rows'),
  (3, 'python-trained, native form', 'SELECT sum(pgml.predict($py_id::bigint, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6])) FROM bench_py_rows');
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8 LANGUAGE sql AS \$\$
  SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat'), ' ', 1)::float8 / 1e6 \$\$;
CREATE FUNCTION pg_temp.exec_cpu_ms(query text) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE t0 float8 := pg_temp.cpu_ms();
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || query;
  RETURN pg_temp.cpu_ms() - t0;
END \$\$;
CREATE TEMP TABLE pt (ord int, run int, ms float8);
DO \$\$
DECLARE r record; nq int := (SELECT count(*) FROM pq);
BEGIN
  FOR r IN SELECT * FROM pq ORDER BY ord LOOP PERFORM pg_temp.exec_cpu_ms(r.sql); END LOOP;   -- warm-up, model loads
  FOR run IN 1..$runs LOOP
    FOR r IN SELECT * FROM pq ORDER BY (ord - 1 + run) % nq LOOP
      INSERT INTO pt VALUES (r.ord, run, pg_temp.exec_cpu_ms(r.sql));
    END LOOP;
  END LOOP;
END \$\$;
\pset footer off
WITH d AS (SELECT t.ord, t.ms, t.ms - b.ms AS dms FROM pt t JOIN pt b ON b.run = t.run AND b.ord = 1),
m AS (SELECT ord, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, percentile_cont(0.5) WITHIN GROUP (ORDER BY dms) AS dms FROM d GROUP BY ord)
SELECT pq.name AS query, round((1000 * m.ms / $py_rows)::numeric, 3) AS "µs/row",
       CASE WHEN m.ord = 1 THEN '' ELSE round((1000 * m.dms / $py_rows)::numeric, 3)::text END AS "marginal µs/row"
FROM m JOIN pq USING (ord) ORDER BY ord;
WITH d AS (SELECT t.run, t.ms - b.ms AS dms, t.ord FROM pt t JOIN pt b ON b.run = t.run AND b.ord = 1),
m AS (SELECT ord, percentile_cont(0.5) WITHIN GROUP (ORDER BY dms) AS dms FROM d GROUP BY ord)
SELECT round((p.dms / n.dms)::numeric, 2) AS "python-trained native ÷ native (marginal; target <= 1.2)"
FROM m p, m n WHERE p.ord = 3 AND n.ord = 2;
DROP TABLE bench_py_rows;
SQL
