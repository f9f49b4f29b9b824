-- The privilege model (docs/privileges.md): PUBLIC predicts; training, deploying, snapshots,
-- datasets and dump/load are granted. pgml reads what a caller names as the caller (table and
-- column privileges, row-level security, security_invoker views apply) and writes its own
-- tables itself. Model files are verified (keyed digest) before anything decodes them.
SET client_min_messages = notice;

CREATE ROLE regress_pgml_trainer;
CREATE ROLE regress_pgml_deployer;
CREATE ROLE regress_pgml_columns;
CREATE ROLE regress_pgml_user;
CREATE SCHEMA regress_pgml_data;
GRANT USAGE ON SCHEMA regress_pgml_data TO PUBLIC;
CREATE TABLE regress_pgml_data.points AS
SELECT x::real AS x, (x % 3)::real AS z, (2 * x + 1)::real AS y, CASE WHEN x <= 20 THEN 'low' ELSE 'high' END AS band
FROM generate_series(1, 40) x;
GRANT SELECT ON regress_pgml_data.points TO regress_pgml_trainer;
-- Runs a statement and reports its error with the run-dependent numbers (ids) replaced.
CREATE FUNCTION regress_pgml_data.try(statement text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    state text;
    message text;
    detail text;
    hint text;
BEGIN
    EXECUTE statement;
    RAISE NOTICE 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RAISE NOTICE '%: %', state, regexp_replace(message, '[0-9]+', 'N', 'g');
    IF detail <> '' THEN
        RAISE NOTICE 'detail: %', regexp_replace(detail, '[0-9]+', 'N', 'g');
    END IF;
    IF hint <> '' THEN
        RAISE NOTICE 'hint: %', regexp_replace(hint, '[0-9]+', 'N', 'g');
    END IF;
END $$;

-------------------------------------------------------------------------------
-- Defaults: what a role with no grant may do.
-------------------------------------------------------------------------------
SELECT f AS function, has_function_privilege('regress_pgml_user', f, 'EXECUTE') AS public_may_execute
FROM unnest(ARRAY[
    'pgml.train(text, text, text, text, text, jsonb, text, jsonb, jsonb, real, text, text, boolean, boolean, jsonb)',
    'pgml.train_joint(text, text, text, text[], text, jsonb, text, jsonb, jsonb, real, text, text, boolean, boolean, jsonb)',
    'pgml.deploy(text, text, text)', 'pgml.deploy(bigint)',
    'pgml.snapshot(text, text, real, text, jsonb)', 'pgml.snapshot(text, text[], real, text)',
    'pgml.load_dataset(text, text, bigint, jsonb)', 'pgml.dump_all(text)', 'pgml.load_all(text)',
    'pgml.sign_models(bigint)', 'pgml.verify_models()', 'pgml.adopt_relations()', 'pgml.nativize(bigint)',
    'pgml.predict(text, real[])', 'pgml.predict(bigint, real[])', 'pgml.predict_proba(text, real[])',
    'pgml.predict_batch(text, real[])', 'pgml.predict(text, anyelement)', 'pgml.decompose(text, real[])']) f;
SELECT t AS relation, has_table_privilege('regress_pgml_user', t, 'SELECT') AS may_select,
       has_table_privilege('regress_pgml_user', t, 'INSERT, UPDATE, DELETE, TRUNCATE') AS may_write
FROM unnest(ARRAY['pgml.projects', 'pgml.models', 'pgml.deployments', 'pgml.snapshots', 'pgml.files',
                  'pgml.overview', 'pgml.trained_models', 'pgml.deployed_models']) t;
-- Snapshots: the description yes, the statistics and categories (training data values) no.
SELECT c AS snapshots_column, has_column_privilege('regress_pgml_user', 'pgml.snapshots', c, 'SELECT') AS may_select
FROM unnest(ARRAY['id', 'relation_name', 'y_column_name', 'analysis', 'status', 'columns']) c;

-------------------------------------------------------------------------------
-- A trainer needs only EXECUTE; deploying is a privilege of its own.
-------------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION pgml.train, pgml.train_joint, pgml.snapshot(text, text, real, text, jsonb),
    pgml.snapshot(text, text[], real, text), pgml.load_dataset TO regress_pgml_trainer;
GRANT EXECUTE ON FUNCTION pgml.deploy(text, text, text), pgml.deploy(bigint) TO regress_pgml_deployer;

SET ROLE regress_pgml_trainer;
SELECT * FROM pgml.train('Privileges', 'regression', 'regress_pgml_data.points', 'y');
SELECT name, algorithm, deployed FROM pgml.trained_models WHERE name = 'Privileges';
SELECT relation_name, y_column_name, status, (analysis->>'samples')::int AS samples
FROM pgml.snapshots WHERE relation_name = 'regress_pgml_data.points';
-- Neither the model bytes nor the training statistics are readable, and nothing is writable.
SELECT count(*) FROM pgml.files;
SELECT columns FROM pgml.snapshots;
INSERT INTO pgml.files (model_id, path, part, data) VALUES (1, 'estimator.pickle', 0, '\x80');
UPDATE pgml.models SET runtime = 'python';
SELECT * FROM pgml.deploy('Privileges', 'most_recent');
-- The toy datasets are readable by everyone who may train.
SELECT * FROM pgml.load_dataset('linnerud');
SELECT count(*) AS linnerud_rows FROM pgml.linnerud;
RESET ROLE;

SET ROLE regress_pgml_deployer;
SELECT * FROM pgml.deploy('Privileges', 'most_recent');
SELECT * FROM pgml.train('Privileges', algorithm => 'ridge');
RESET ROLE;

-- PUBLIC predicts with no privilege on any table: pgml reads the model rows itself.
\set ON_ERROR_ROLLBACK on
BEGIN;
REVOKE SELECT ON pgml.projects, pgml.models, pgml.deployments FROM PUBLIC;
SET ROLE regress_pgml_user;
SELECT count(*) FROM pgml.models;
SELECT round(pgml.predict('Privileges', ARRAY[10, 1, 0])::numeric, 2) AS prediction;
SELECT * FROM pgml.train('Privileges', algorithm => 'ridge');
SELECT * FROM pgml.snapshot('regress_pgml_data.points', 'y');
RESET ROLE;
ROLLBACK;
\set ON_ERROR_ROLLBACK off

-------------------------------------------------------------------------------
-- The caller never reads through pgml's rights what it could not read itself.
-------------------------------------------------------------------------------
-- No SELECT at all: refused before anything is recorded.
SET ROLE regress_pgml_deployer;
SELECT * FROM pgml.deploy('Privileges', 'best_score');
RESET ROLE;
GRANT EXECUTE ON FUNCTION pgml.train, pgml.snapshot(text, text, real, text, jsonb) TO regress_pgml_columns;
SELECT count(*) AS snapshots_before FROM pgml.snapshots \gset
SET ROLE regress_pgml_columns;
SELECT * FROM pgml.train('Columns', 'regression', 'regress_pgml_data.points', 'y');
SELECT * FROM pgml.snapshot('regress_pgml_data.points', 'y');
RESET ROLE;
-- Column privileges: refused, naming the columns the role may not read.
GRANT SELECT (x, y) ON regress_pgml_data.points TO regress_pgml_columns;
SET ROLE regress_pgml_columns;
SELECT * FROM pgml.train('Columns', 'regression', 'regress_pgml_data.points', 'y');
RESET ROLE;
SELECT count(*) = :snapshots_before AS nothing_recorded FROM pgml.snapshots;
-- A security_invoker view of the readable columns works; one of the others fails as the
-- role's own query would.
CREATE VIEW regress_pgml_data.readable WITH (security_invoker) AS SELECT x, y FROM regress_pgml_data.points;
CREATE VIEW regress_pgml_data.unreadable WITH (security_invoker) AS SELECT x, z, y FROM regress_pgml_data.points;
GRANT SELECT ON regress_pgml_data.readable, regress_pgml_data.unreadable TO regress_pgml_columns;
SET ROLE regress_pgml_columns;
SELECT * FROM pgml.train('Columns', 'regression', 'regress_pgml_data.readable', 'y');
SELECT * FROM pgml.train('Columns', 'regression', 'regress_pgml_data.unreadable', 'y');
RESET ROLE;
-- With every column granted, the table itself works.
GRANT SELECT (z, band) ON regress_pgml_data.points TO regress_pgml_columns;
SET ROLE regress_pgml_columns;
SELECT * FROM pgml.train('Columns', 'regression', 'regress_pgml_data.points', 'y');
RESET ROLE;

-- Row-level security: a training, and its materialized snapshot, see the caller's rows only.
CREATE TABLE regress_pgml_data.secret AS
SELECT x::real AS x, (3 * x - 2)::real AS y, x <= 25 AS visible FROM generate_series(1, 40) x;
ALTER TABLE regress_pgml_data.secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible_rows ON regress_pgml_data.secret FOR SELECT USING (visible);
GRANT SELECT ON regress_pgml_data.secret TO regress_pgml_trainer;
SET ROLE regress_pgml_trainer;
SELECT * FROM pgml.train('Secret', 'regression', 'regress_pgml_data.secret', 'y', materialize_snapshot => true);
SELECT id AS secret_snapshot, (analysis->>'samples')::int AS samples FROM pgml.snapshots
WHERE relation_name = 'regress_pgml_data.secret' \gset
SELECT :samples AS samples;
-- The copy is the trainer's to read, and holds only its rows.
SELECT count(*) AS copied, max(x) AS largest_x FROM pgml.snapshot_:secret_snapshot;
SELECT relation FROM pgml.snapshot('regress_pgml_data.secret', 'y');
RESET ROLE;
SELECT tableowner = (SELECT r.rolname FROM pg_extension e JOIN pg_roles r ON r.oid = e.extowner WHERE e.extname = 'pgml') AS owned_by_extension_owner
FROM pg_tables WHERE schemaname = 'pgml' AND tablename = 'snapshot_' || :secret_snapshot;
SELECT count(*) AS rows_in_table, count(*) FILTER (WHERE visible) AS visible_rows FROM regress_pgml_data.secret;
-- Another role may not read the copy, nor retrain from it.
GRANT EXECUTE ON FUNCTION pgml.train TO regress_pgml_user;
SET ROLE regress_pgml_user;
SELECT regress_pgml_data.try('SELECT count(*) FROM pgml.snapshot_' || :secret_snapshot);
SELECT regress_pgml_data.try($$SELECT * FROM pgml.train('Secret', algorithm => 'ridge')$$);
RESET ROLE;
REVOKE EXECUTE ON FUNCTION pgml.train FROM regress_pgml_user;

-------------------------------------------------------------------------------
-- Model files changed outside pgml are refused before they are decoded.
-------------------------------------------------------------------------------
SELECT m.id AS model_id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'Privileges' ORDER BY m.id LIMIT 1 \gset
SELECT m.id AS other_model_id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'Columns' ORDER BY m.id LIMIT 1 \gset
CREATE TABLE regress_pgml_data.predictions (label text, prediction real, error text);
CREATE FUNCTION regress_pgml_data.try_predict(label text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO regress_pgml_data.predictions
    VALUES (label, pgml.predict((SELECT min(m.id) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Privileges'),
                                ARRAY[10, 1, 0]), NULL);
EXCEPTION WHEN OTHERS THEN
    INSERT INTO regress_pgml_data.predictions VALUES (label, NULL, SQLSTATE || ': ' || regexp_replace(SQLERRM, '[0-9]+', 'N', 'g'));
END $$;
SELECT regress_pgml_data.try_predict('intact');
SELECT * FROM pgml.verify_models();

-- One byte more. A new session for each check: a session keeps the models it loaded.
UPDATE pgml.files SET data = data || '\x00'::bytea WHERE model_id = :model_id AND path = 'estimator.pgml';
SELECT model_id = :model_id AS tampered_model, path, part, problem FROM pgml.verify_models();
\c -
SELECT regress_pgml_data.try_predict('one byte more');
-- The message names the file, the hint says what to do.
SELECT regress_pgml_data.try('SELECT pgml.predict(' || :model_id || ', ARRAY[10, 1, 0])');
UPDATE pgml.files SET data = substring(data FROM 1 FOR length(data) - 1) WHERE model_id = :model_id AND path = 'estimator.pgml';
\c -
SELECT regress_pgml_data.try_predict('restored');

-- The path is signed: a native file relabelled as a pickle is refused, not unpickled.
UPDATE pgml.files SET path = 'estimator.pickle' WHERE model_id = :model_id AND path = 'estimator.pgml';
\c -
SELECT regress_pgml_data.try_predict('relabelled as a pickle');
UPDATE pgml.files SET path = 'estimator.pgml' WHERE model_id = :model_id AND path = 'estimator.pickle';
-- The decoder follows the signed path, not pgml.models.runtime.
UPDATE pgml.models SET runtime = 'python' WHERE id = :model_id;
\c -
SELECT regress_pgml_data.try_predict('runtime says python');
UPDATE pgml.models SET runtime = 'go' WHERE id = :model_id;
-- Another model's file, digest and all, does not verify as this model's.
CREATE TABLE regress_pgml_data.saved_file AS SELECT data, digest FROM pgml.files WHERE model_id = :model_id AND path = 'estimator.pgml';
UPDATE pgml.files f SET data = o.data, digest = o.digest
FROM pgml.files o WHERE f.model_id = :model_id AND o.model_id = :other_model_id AND f.path = o.path AND f.path = 'estimator.pgml';
\c -
SELECT regress_pgml_data.try_predict('another model''s file');
-- A row without a digest.
UPDATE pgml.files f SET data = s.data, digest = NULL FROM regress_pgml_data.saved_file s
WHERE f.model_id = :model_id AND f.path = 'estimator.pgml';
\c -
SELECT regress_pgml_data.try_predict('no digest');
-- Only a superuser may vouch for a row.
GRANT EXECUTE ON FUNCTION pgml.sign_models TO regress_pgml_trainer;
SET ROLE regress_pgml_trainer;
SELECT pgml.sign_models(:model_id);
RESET ROLE;
SELECT pgml.sign_models(:model_id) AS signed;
SELECT pgml.sign_models(:model_id) AS signed_again;
\c -
SELECT regress_pgml_data.try_predict('signed by a superuser');
SELECT label, prediction IS NOT NULL AS predicted,
       prediction = (SELECT prediction FROM regress_pgml_data.predictions WHERE label = 'intact') AS same_as_intact, error
FROM regress_pgml_data.predictions;
SELECT count(*) AS unverified FROM pgml.verify_models();

-------------------------------------------------------------------------------
-- Clean up: the roles' grants include the snapshot copies made for them.
-------------------------------------------------------------------------------
\set VERBOSITY terse
DROP ROLE regress_pgml_trainer;
\set VERBOSITY default
DROP SCHEMA regress_pgml_data CASCADE;
DROP OWNED BY regress_pgml_trainer, regress_pgml_deployer, regress_pgml_columns, regress_pgml_user;
DROP ROLE regress_pgml_trainer, regress_pgml_deployer, regress_pgml_columns, regress_pgml_user;
