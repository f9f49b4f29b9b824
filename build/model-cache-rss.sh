#!/usr/bin/env bash
# Resident memory of one backend that predicts from many models, one statement per model, as a
# pooled connection serving many projects does: the figure that pgml.model_cache_size bounds.
# Runs against the server of the libpq environment (eval "$(build/cluster.sh env)"), as a
# superuser (it reads /proc/<backend>/status through pg_read_file); creates database pgml_rss.
#   MODELS (default 200), TREES (random_forest trees per model, default 100: about 4 MB each),
#   CACHE_SIZE (pgml.model_cache_size for the predicting session; default: the server's).
set -euo pipefail
models=${MODELS:-200}
trees=${TREES:-100}
db=pgml_rss

psql_() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_ -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
echo "model-cache-rss: training $models random_forest models of $trees trees"
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
    PERFORM * FROM pgml.train('rss_' || i, 'regression', 'rss_data', 'y',
                              algorithm => 'random_forest', hyperparams => '{"n_estimators": $trees}');
  END LOOP;
END \$\$;
SQL

script=$(mktemp)
trap 'rm -f "$script"' EXIT
{
	echo "SET client_min_messages = warning;"
	[ -z "${CACHE_SIZE:-}" ] || echo "SET pgml.model_cache_size = '$CACHE_SIZE';"
	echo "CREATE TEMP TABLE rss (step text, kb bigint, peak_kb bigint);"
	# kB figures of this backend from /proc/<pid>/status.
	echo "CREATE FUNCTION pg_temp.status_kb(field text) RETURNS bigint LANGUAGE sql AS \$\$
	  SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), field || ':\\s+(\\d+) kB'))[1]::bigint \$\$;"
	echo "\\o /dev/null"
	echo "SELECT pgml.predict('rss_1', ARRAY[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]::real[]);"
	echo "INSERT INTO rss SELECT 'after 1 model', pg_temp.status_kb('VmRSS'), pg_temp.status_kb('VmHWM');"
	for ((i = 2; i <= models; i++)); do
		echo "SELECT pgml.predict('rss_$i', ARRAY[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]::real[]);"
	done
	echo "INSERT INTO rss SELECT 'after $models models', pg_temp.status_kb('VmRSS'), pg_temp.status_kb('VmHWM');"
	echo "\\o"
	echo "\\pset footer off"
	echo "SELECT current_setting('pgml.model_cache_size', true) AS model_cache_size, step,
	        round(kb / 1024.0, 1) AS \"RSS MB\", round(peak_kb / 1024.0, 1) AS \"peak RSS MB\" FROM rss;"
	# pgml.model_cache() exists from 0.3.0 on.
	echo "SELECT to_regprocedure('pgml.model_cache()') IS NOT NULL AS has_model_cache \\gset"
	echo "\\if :has_model_cache"
	echo "SELECT count(*) AS cached_models, round(sum(bytes) / 1048576.0, 1) AS \"cached MB (estimated)\" FROM pgml.model_cache();"
	echo "\\endif"
} >"$script"
echo "model-cache-rss: one session predicts from each model in turn ($models statements)"
psql_ -d $db -f "$script"
