-- PostgresML 2.x's utility functions: dump_all / load_all, validate_shared_library,
-- xgboost_version, python_pip_freeze, activate_venv, and the sklearn_* metric helpers.
SET client_min_messages = warning;

-- pgml is never in shared_preload_libraries (its _PG_init refuses): nothing to validate.
SELECT pgml.validate_shared_library();
SELECT current_setting('shared_preload_libraries') !~ 'pgml' AS not_preloaded;

-- The XGBoost C library pgml dlopens; python3-xgboost comes from the same Debian source.
SELECT pgml.xgboost_version() ~ '^[0-9]+\.[0-9]+\.[0-9]+$' AS xgboost_version;
SELECT pgml.xgboost_version() = pgml.python_package_version('xgboost') AS same_as_python;

-------------------------------------------------------------------------------
-- Metric helpers (native; the figures are scikit-learn 1.2's, see algorithms/metrics).
-------------------------------------------------------------------------------
SELECT pgml.sklearn_f1_score(ARRAY[0, 1, 1, 0, 1, 1, 0, 0, 1, 1], ARRAY[0, 1, 0, 0, 1, 1, 1, 0, 1, 0]);
-- Binary scores are those of the label 1, even when it is the smaller label.
SELECT pgml.sklearn_f1_score(ARRAY[1, 2, 2, 1, 2], ARRAY[1, 2, 1, 1, 1]);
SELECT pgml.sklearn_f1_score(ARRAY[0, 0, 0], ARRAY[0, 0, 0]);
SELECT pgml.sklearn_r2_score(ARRAY[3, -0.5, 2, 7, 4.25], ARRAY[2.5, 0, 2, 8, 3.5]);
SELECT pgml.sklearn_r2_score(ARRAY[1], ARRAY[1]);
SELECT pgml.sklearn_r2_score(ARRAY[1, 1], ARRAY[1, 2]);
SELECT pgml.sklearn_regression_metrics(ARRAY[3, -0.5, 2, 7, 4.25], ARRAY[2.5, 0, 2, 8, 3.5]);
-- r2 of a single value is NaN: null in JSON.
SELECT pgml.sklearn_regression_metrics(ARRAY[2], ARRAY[3]);
SELECT pgml.sklearn_classification_metrics(ARRAY[0, 1, 1, 0, 1, 1, 0, 0, 1, 1], ARRAY[0, 1, 0, 0, 1, 1, 1, 0, 1, 0], 2);
SELECT pgml.sklearn_classification_metrics(ARRAY[0, 1, 1, 0, 1, 1, 0, 0, 1, 1], ARRAY[0, 1, 0, 0, 1, 1, 1, 0, 1, 0], 3);
-- More than two labels: macro averages, no roc_auc.
SELECT pgml.sklearn_classification_metrics(ARRAY[0, 1, 2, 2, 1, 0, 2, 1, 0, 2], ARRAY[0, 2, 2, 2, 1, 0, 1, 1, 1, 2], 3);
SELECT pgml.sklearn_classification_metrics(ARRAY[-1, 1, 1, -1], ARRAY[1, 1, -1, -1], 2);
-- real[] arguments (the literals above are numeric[] and integer[], cast implicitly).
SELECT pgml.sklearn_f1_score('{1, 0, 1}'::real[], '{1, 1, 1}'::real[]);
SELECT pgml.sklearn_r2_score(ARRAY[1.5, 2.5, 3.5]::real[], ARRAY[1.5, 2.5, 3]::real[]);
SELECT pgml.sklearn_f1_score(NULL, ARRAY[1]) IS NULL AS strict;

-- Errors: lengths, empty arrays, NULL and non-finite elements, inputs sklearn refuses.
SELECT pgml.sklearn_f1_score(ARRAY[0, 1, 1], ARRAY[0, 1]);
SELECT pgml.sklearn_r2_score('{}', '{}');
SELECT pgml.sklearn_regression_metrics(ARRAY[1, NULL, 3]::real[], ARRAY[1, 2, 3]);
SELECT pgml.sklearn_classification_metrics(ARRAY[0, 1], ARRAY[0, NULL]::real[], 2);
SELECT pgml.sklearn_r2_score(ARRAY[1, 'NaN', 3]::real[], ARRAY[1, 2, 3]);
SELECT pgml.sklearn_regression_metrics(ARRAY[1, 2, 3], ARRAY[1, 'Infinity', 3]::real[]);
SELECT pgml.sklearn_f1_score(ARRAY[0, 1, 2], ARRAY[0, 1, 1]);
SELECT pgml.sklearn_f1_score(ARRAY[0, 2, 2], ARRAY[0, 2, 0]);
SELECT pgml.sklearn_classification_metrics(ARRAY[0, 2, 2], ARRAY[0, 2, 0], 2);
SELECT pgml.sklearn_f1_score(ARRAY[0, 1, 0.5], ARRAY[0, 1, 1]);
SELECT pgml.sklearn_classification_metrics(ARRAY[0, 1, 1], ARRAY[0, 1, 0.25], 2);
SELECT pgml.sklearn_classification_metrics(ARRAY[1, 1, 1], ARRAY[0, 1, 1], 2);
SELECT pgml.sklearn_classification_metrics(ARRAY[0, 1, 2], ARRAY[0, 1, 1], 2);
-- 100,000 distinct labels: scored in memory proportional to the labels (a confusion matrix of
-- 100,000² cells would be 80 GB and aborted the backend).
SELECT (m ->> 'accuracy')::float8 AS accuracy, (m ->> 'recall')::float8 BETWEEN 0.7 AND 0.8 AS macro_recall
FROM (SELECT pgml.sklearn_classification_metrics(array_agg(((g * 7919) % 100003)::real ORDER BY g),
             array_agg(((g * 7919) % 100003 + (g % 4 = 0)::int)::real ORDER BY g), 100000) AS m
      FROM generate_series(1, 100000) g) s;
SELECT pgml.sklearn_f1_score(array_agg(g::real), array_agg(g::real)) FROM generate_series(1, 100000) g;

-------------------------------------------------------------------------------
-- dump_all / load_all round trip. Server-side COPY: the files are the server's.
-------------------------------------------------------------------------------
-- Scratch files go to a directory of this cluster's own: several clusters may run the suites
-- at once. Paths shown in the output are fixed ones that are never created.
SELECT '/tmp/pgml-regress-' || left(md5(current_setting('data_directory')), 12) AS scratch \gset
SELECT :'scratch' || '/dump' AS dumpdir,
       'rm -rf ' || :'scratch' || ' && mkdir -p ' || :'scratch' || '/dump' AS make_scratch \gset
COPY (SELECT 1) TO PROGRAM :'make_scratch';
-- A trained and deployed model gives every table rows (files holds bytea).
CREATE TABLE utility_data AS SELECT x::real AS x, (2 * x + 1)::real AS y FROM generate_series(1, 40) x;
SELECT project, task, algorithm, deployed FROM pgml.train('Utility dump', 'regression', 'utility_data', 'y', algorithm => 'linear');
SELECT round(pgml.sklearn_r2_score(array_agg(y ORDER BY x), array_agg(pgml.predict('Utility dump', ARRAY[x]) ORDER BY x))::numeric, 4) AS r2
FROM utility_data;

CREATE TEMP VIEW utility_checksums AS
          SELECT 'projects' AS tbl, count(*) AS n, md5(string_agg(t::text, '|' ORDER BY id)) AS sum FROM pgml.projects t
UNION ALL SELECT 'snapshots', count(*), md5(string_agg(t::text, '|' ORDER BY id)) FROM pgml.snapshots t
UNION ALL SELECT 'models', count(*), md5(string_agg(t::text, '|' ORDER BY id)) FROM pgml.models t
UNION ALL SELECT 'files', count(*), md5(string_agg(concat_ws(',', id, model_id, path, part, md5(data), created_at, updated_at), '|' ORDER BY id))
          FROM pgml.files t
UNION ALL SELECT 'deployments', count(*), md5(string_agg(t::text, '|' ORDER BY id)) FROM pgml.deployments t;
CREATE TEMP TABLE utility_before AS SELECT * FROM utility_checksums;

SELECT pgml.dump_all(:'dumpdir');
-- One CSV file per table, each with a header line.
SELECT f, (pg_stat_file(:'dumpdir' || '/' || f)).size > 0 AS written
FROM unnest(ARRAY['projects.csv', 'snapshots.csv', 'models.csv', 'files.csv', 'deployments.csv']) f;
SELECT split_part(pg_read_file(:'dumpdir' || '/projects.csv'), E'\n', 1) AS projects_header;

BEGIN;
TRUNCATE pgml.projects, pgml.snapshots, pgml.models, pgml.files, pgml.deployments RESTART IDENTITY;
SELECT pgml.load_all(:'dumpdir');
-- Every row is back, unchanged.
CREATE TEMP TABLE utility_after AS SELECT * FROM utility_checksums;
SELECT tbl, n > 0 AS has_rows FROM utility_after ORDER BY tbl;
SELECT count(*) AS differing_tables FROM (
    (SELECT * FROM utility_after EXCEPT SELECT * FROM utility_before)
    UNION ALL (SELECT * FROM utility_before EXCEPT SELECT * FROM utility_after)) d;
-- The id sequences were moved to the largest loaded ids (2.x leaves them behind).
SELECT (SELECT last_value FROM pgml.projects_id_seq) = (SELECT max(id) FROM pgml.projects) AS projects_seq,
       (SELECT last_value FROM pgml.snapshots_id_seq) = (SELECT max(id) FROM pgml.snapshots) AS snapshots_seq,
       (SELECT last_value FROM pgml.models_id_seq) = (SELECT max(id) FROM pgml.models) AS models_seq,
       (SELECT last_value FROM pgml.files_id_seq) = (SELECT max(id) FROM pgml.files) AS files_seq,
       (SELECT last_value FROM pgml.deployments_id_seq) = (SELECT max(id) FROM pgml.deployments) AS deployments_seq;
-- The loaded model predicts, and training again takes fresh ids.
SELECT round(pgml.predict('Utility dump', ARRAY[10]::real[])::numeric, 2) AS prediction;
SELECT project FROM pgml.train('Utility dump', 'regression', 'utility_data', 'y', algorithm => 'ridge');
ROLLBACK;

-- dump_all of pgml 0.2.0 wrote no digests: such files load, with a warning, and their models
-- are refused until a superuser vouches for them. (The project of this suite only.)
SELECT :'scratch' || '/old' AS olddir, 'mkdir -p ' || :'scratch' || '/old' AS make_old \gset
COPY (SELECT 1) TO PROGRAM :'make_old';
CREATE TEMP TABLE utility_old_models AS
SELECT m.id, m.project_id, m.snapshot_id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Utility dump';
SELECT format('COPY (SELECT * FROM pgml.projects WHERE id IN (SELECT project_id FROM utility_old_models)) TO %L CSV HEADER', :'olddir' || '/projects.csv') AS old_projects,
       format('COPY (SELECT * FROM pgml.snapshots WHERE id IN (SELECT snapshot_id FROM utility_old_models)) TO %L CSV HEADER', :'olddir' || '/snapshots.csv') AS old_snapshots,
       format('COPY (SELECT * FROM pgml.models WHERE id IN (SELECT id FROM utility_old_models)) TO %L CSV HEADER', :'olddir' || '/models.csv') AS old_models,
       format('COPY (SELECT id, model_id, path, part, data, created_at, updated_at FROM pgml.files WHERE model_id IN (SELECT id FROM utility_old_models)) TO %L CSV HEADER', :'olddir' || '/files.csv') AS old_files,
       format('COPY (SELECT * FROM pgml.deployments WHERE model_id IN (SELECT id FROM utility_old_models)) TO %L CSV HEADER', :'olddir' || '/deployments.csv') AS old_deployments \gset
:old_projects;
:old_snapshots;
:old_models;
:old_files;
:old_deployments;
BEGIN;
TRUNCATE pgml.projects, pgml.snapshots, pgml.models, pgml.files, pgml.deployments RESTART IDENTITY;
SELECT pgml.load_all(:'olddir');
SELECT count(*) AS refused, count(*) FILTER (WHERE problem = 'no digest') AS for_no_digest,
       count(*) = (SELECT count(*) FROM pgml.files) AS every_row FROM pgml.verify_models();
SELECT pgml.sign_models() AS signed;
SELECT count(*) AS refused FROM pgml.verify_models();
ROLLBACK;

-- Loading over existing rows fails on the primary keys, and changes nothing.
\set VERBOSITY terse
SELECT pgml.load_all(:'dumpdir');
\set VERBOSITY default
SELECT count(*) AS differing_tables FROM (SELECT * FROM utility_checksums EXCEPT SELECT * FROM utility_before) d;
-- dump_all makes a missing directory; one it cannot make is an error naming it. A missing
-- directory to load from is PostgreSQL's COPY error.
SELECT pgml.dump_all('/dev/null/pgml-regress');
SELECT pgml.load_all('/tmp/pgml-regress-no-such-dir');

-------------------------------------------------------------------------------
-- Python: installed distributions and virtual environments.
-------------------------------------------------------------------------------
SELECT count(*) > 10 AS many, count(*) = count(DISTINCT package) AS distinct_rows,
       bool_and(package ~ '^[^=]+==[^=]+$') AS name_version
FROM pgml.python_pip_freeze();
SELECT package ~ '^scikit-learn==[0-9]' AS sklearn FROM pgml.python_pip_freeze() WHERE package LIKE 'scikit-learn==%';
SELECT package ~ '^numpy==[0-9]' AS numpy FROM pgml.python_pip_freeze() WHERE package LIKE 'numpy==%';
-- Also as a set-returning function in the select list.
SELECT count(*) = (SELECT count(*) FROM pgml.python_pip_freeze()) AS same_rows FROM (SELECT pgml.python_pip_freeze()) f;

-- No bin/activate_this.py: false, nothing changes.
SELECT pgml.activate_venv('/tmp/pgml-regress-no-such-venv');
-- A virtualenv (for the embedded Python 3.11) holding one module and its distribution record.
SELECT :'scratch' || '/venv' AS venv,
       'v=' || :'scratch' || '/venv && s=$v/lib/python3.11/site-packages && mkdir -p $v/bin $s/pgml_regress_probe-1.2.3.dist-info'
       ' && touch $v/bin/activate_this.py && echo "__version__ = \"1.2.3\"" > $s/pgml_regress_probe.py'
       ' && printf "Metadata-Version: 2.1\nName: pgml-regress-probe\nVersion: 1.2.3\n" > $s/pgml_regress_probe-1.2.3.dist-info/METADATA'
       AS make_venv \gset
COPY (SELECT 1) TO PROGRAM :'make_venv';
SELECT pgml.python_package_version('pgml_regress_probe');
SELECT pgml.activate_venv(:'venv');
SELECT pgml.python_package_version('pgml_regress_probe');
SELECT package FROM pgml.python_pip_freeze() WHERE package LIKE 'pgml-regress-probe%';
-- Activating again is harmless.
SELECT pgml.activate_venv(:'venv');
SELECT count(*) AS probes FROM pgml.python_pip_freeze() WHERE package LIKE 'pgml-regress-probe%';
-- A virtualenv without site-packages for this Python.
-- (Created idempotently at a fixed path, shown in the error.)
COPY (SELECT 1) TO PROGRAM 'v=/tmp/pgml-regress-venv-python3.99 && mkdir -p $v/bin $v/lib/python3.99/site-packages && touch $v/bin/activate_this.py';
SELECT pgml.activate_venv('/tmp/pgml-regress-venv-python3.99');
SELECT pgml.activate_venv(NULL) IS NULL AS strict;

-------------------------------------------------------------------------------
-- Privileges: activate_venv is for superusers; dump_all and load_all are granted, and need
-- the right to use server files as the server's COPY does.
-------------------------------------------------------------------------------
CREATE ROLE regress_pgml_utility;
SET ROLE regress_pgml_utility;
SELECT pgml.activate_venv('/tmp/pgml-regress-no-such-venv');
SELECT pgml.dump_all('/tmp/pgml-regress-no-such-dir');
SELECT pgml.load_all('/tmp/pgml-regress-no-such-dir');
RESET ROLE;
GRANT EXECUTE ON FUNCTION pgml.dump_all, pgml.load_all TO regress_pgml_utility;
SET ROLE regress_pgml_utility;
SELECT pgml.dump_all('/tmp/pgml-regress-no-such-dir');
SELECT pgml.load_all('/tmp/pgml-regress-no-such-dir');
-- Everyone may compute metrics.
SELECT pgml.sklearn_r2_score(ARRAY[1, 2, 3], ARRAY[1, 2, 4]);
RESET ROLE;
REVOKE EXECUTE ON FUNCTION pgml.dump_all, pgml.load_all FROM regress_pgml_utility;
DROP ROLE regress_pgml_utility;

DROP TABLE utility_data;
