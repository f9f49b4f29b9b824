#!/usr/bin/env bash
# Resident memory of one backend that predicts from many models, one statement per model, as a
# pooled connection serving many projects does: the figure that pgml.model_cache_size bounds.
# "private" is RssAnon, the backend's own memory; RSS also counts the pages of shared buffers
# the backend touched (up to shared_buffers, shared with every other backend).
# Runs against the server of the libpq environment (eval "$(build/cluster.sh env)"), as a
# superuser (it reads /proc/<backend>/status through pg_read_file); creates database pgml_rss.
#   MODELS (default 200), TREES (random_forest trees per model, default 100: about 4 MB each),
#   CACHE_SIZE (pgml.model_cache_size for the predicting session; default: the server's),
#   RUNTIME (go or python, default go), ALGORITHM (default random_forest), REUSE=1 (keep the
#   database and models of the previous run: compare builds on the same models).
# With a CACHE_SIZE that holds every model, the RSS growth per model against its stored size is
# how the cache's estimate for python and xgboost models was calibrated (lifecycle/load.go, loadedBytes).
set -euo pipefail
models=${MODELS:-200}
trees=${TREES:-100}
runtime=${RUNTIME:-go}
algorithm=${ALGORITHM:-random_forest}
db=pgml_rss

psql_() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

if [ "${REUSE:-}" != 1 ]; then
psql_ -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
echo "model-cache-rss: training $models $runtime $algorithm models ($trees trees for forests)"
psql_ -d $db 2> >(grep -v '^INFO:' >&2) <<SQL
SET client_min_messages = warning;
CREATE EXTENSION pgml;
SELECT setseed(0.25) \g /dev/null
CREATE TABLE rss_data AS
SELECT random() a, random() b, random() c, random() d, random() e, random() f, random() g, random() h,
       random() * 10 y
FROM generate_series(1, 2000);
DO \$\$
BEGIN
  FOR i IN 1..$models LOOP
    PERFORM * FROM pgml.train('rss_' || i, 'regression', 'rss_data', 'y', algorithm => '$algorithm', runtime => '$runtime',
                              hyperparams => CASE WHEN '$algorithm' IN ('random_forest', 'extra_trees', 'xgboost')
                                                  THEN '{"n_estimators": $trees}' ELSE '{}' END::jsonb);
  END LOOP;
END \$\$;
SQL
fi

script=$(mktemp)
trap 'rm -f "$script"' EXIT
{
	echo "SET client_min_messages = warning;"
	[ -z "${CACHE_SIZE:-}" ] || echo "SET pgml.model_cache_size = '$CACHE_SIZE';"
	echo "CREATE TEMP TABLE rss (step text, kb bigint, private_kb bigint, peak_kb bigint);"
	# kB figures of this backend from /proc/<pid>/status.
	echo "CREATE FUNCTION pg_temp.status_kb(field text) RETURNS bigint LANGUAGE sql AS \$\$
	  SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), field || ':\\s+(\\d+) kB'))[1]::bigint \$\$;"
	echo "\\o /dev/null"
	echo "SELECT pgml.predict('rss_1', ARRAY[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]::real[]);"
	echo "INSERT INTO rss SELECT 'after 1 model', pg_temp.status_kb('VmRSS'), pg_temp.status_kb('RssAnon'), pg_temp.status_kb('VmHWM');"
	for ((i = 2; i <= models; i++)); do
		echo "SELECT pgml.predict('rss_$i', ARRAY[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]::real[]);"
	done
	echo "INSERT INTO rss SELECT 'after $models models', pg_temp.status_kb('VmRSS'), pg_temp.status_kb('RssAnon'), pg_temp.status_kb('VmHWM');"
	echo "\\o"
	echo "\\pset footer off"
	echo "SELECT current_setting('pgml.model_cache_size', true) AS model_cache_size, step,
	        round(kb / 1024.0, 1) AS \"RSS MB\", round(private_kb / 1024.0, 1) AS \"private MB\",
	        round(peak_kb / 1024.0, 1) AS \"peak RSS MB\" FROM rss;"
	echo "SELECT round((l.private_kb - f.private_kb) / 1024.0 / greatest($models - 1, 1), 2) AS \"private growth MB per model\"
	      FROM rss f, rss l WHERE f.step = 'after 1 model' AND l.step = 'after $models models';"
	# pgml.model_cache() exists from 0.3.0 on.
	echo "SELECT to_regprocedure('pgml.model_cache()') IS NOT NULL AS has_model_cache \\gset"
	echo "\\if :has_model_cache"
	echo "SELECT count(*) AS cached_models, round(sum(bytes) / 1048576.0, 1) AS \"cached MB (estimated)\" FROM pgml.model_cache();"
	echo "\\endif"
	echo "SELECT round(avg(octet_length(data)) / 1048576.0, 2) AS \"stored MB per model\" FROM pgml.files WHERE path <> 'preprocess.pgml';"
	echo "\\if :has_model_cache"
	echo "SELECT round(avg(bytes) / 1048576.0, 2) AS \"estimated MB per model\" FROM pgml.model_cache();"
	echo "\\endif"
} >"$script"
echo "model-cache-rss: one session predicts from each model in turn ($models statements)"
psql_ -d $db -f "$script"
