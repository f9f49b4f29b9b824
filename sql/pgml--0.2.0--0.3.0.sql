-- pgml 0.2.0 -> 0.3.0: safe inside a production database (issue 9). A fresh install runs
-- pgml--0.1.0.sql, pgml--0.1.0--0.2.0.sql and then this script.
-- Each part below belongs to one concern; keep additions inside their part.
\echo Use "ALTER EXTENSION pgml UPDATE TO '0.3.0'" to load this file. \quit

-------------------------------------------------------------------------------
-- Resource limits and fault injection (settings are defined by the library).
-------------------------------------------------------------------------------



-------------------------------------------------------------------------------
-- Prediction cache.
-------------------------------------------------------------------------------

-- Predict by name reads the project's latest deployment with each statement's snapshot, through
-- this index backwards (newest first), so it uses exactly the deployment the statement sees. It
-- replaces the index on (project_id) alone, and the triggers that made every backend drop its
-- cached deployments at commit: an invalidation arrives after the commit is visible, so a
-- statement could see a new deployment and still predict with the old one.
CREATE INDEX deployments_project_id_id_idx ON pgml.deployments (project_id, id);
DROP INDEX pgml.deployments_project_id_created_at_idx;
DROP TRIGGER deployments_invalidate_cache ON pgml.deployments;
DROP TRIGGER projects_invalidate_cache ON pgml.projects;
DROP FUNCTION pgml.invalidate_deployments();

-- Model bytes are stored uncompressed, so that loading a model reads them in slices and a cancel
-- is honoured between slices (a compressed value is decompressed from its start for any slice).
ALTER TABLE pgml.files ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE FUNCTION pgml.model_cache(OUT model_id bigint, OUT project text, OUT algorithm text,
    OUT runtime text, OUT bytes bigint, OUT hits bigint, OUT last_used timestamptz, OUT loaded_at timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pgml_model_cache' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION pgml.model_cache() IS
'The models this backend keeps loaded, most recently used first: project (as named when loaded), estimated bytes, hits (calls served) and times; pgml.model_cache_size bounds the total.';



-------------------------------------------------------------------------------
-- Privileges and model integrity.
-------------------------------------------------------------------------------

-- pgml's functions run as their caller, except that the statements on pgml's own tables run
-- as the extension's owner (extension/shim_privileges.c); a relation the caller names is read
-- as the caller. No role needs a privilege on pgml's tables to train, deploy or predict, so
-- PUBLIC keeps reading the metadata but no longer the model bytes nor the training data values
-- that snapshots record (each feature's statistics and a text column's categories).
REVOKE SELECT ON pgml.files FROM PUBLIC;
REVOKE SELECT ON pgml.snapshots FROM PUBLIC;
GRANT SELECT (id, relation_name, y_column_name, test_size, test_sampling, status, analysis, materialized, created_at, updated_at)
    ON pgml.snapshots TO PUBLIC;

-- Model files are code (a pickle runs when loaded): each row carries an HMAC-SHA256 under a key
-- in the data directory, checked before anything decodes the row (extension/integrity.go).
ALTER TABLE pgml.files ADD COLUMN digest bytea;
COMMENT ON COLUMN pgml.files.digest IS
'HMAC-SHA256 of (model_id, path, part, number of parts, data) under the cluster''s key $PGDATA/pgml_model_hmac.key; pgml refuses to decode a row whose digest does not match.';

CREATE FUNCTION pgml.sign_models(model_id bigint DEFAULT NULL) RETURNS bigint
AS 'MODULE_PATHNAME', 'pgml_sign_models' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.sign_models(bigint) IS
'Superuser only: signs the rows of pgml.files (of one model, or all) with this cluster''s key, declaring them trusted; for a database restored from a trusted dump of another cluster. Returns the number of rows whose digest changed.';

CREATE FUNCTION pgml.verify_models() RETURNS TABLE (model_id bigint, path text, part integer, problem text)
AS 'MODULE_PATHNAME', 'pgml_verify_models' LANGUAGE C STABLE;
COMMENT ON FUNCTION pgml.verify_models() IS
'One row per row of pgml.files that pgml would refuse to decode (no digest, or a digest that does not match under this cluster''s key); none when every model verifies.';

-- Rows written until now were written by pgml, trusted then: sign them. This creates the
-- cluster's key if it has none, so base backups taken from now on carry it.
SELECT pgml.sign_models();

-- pgml.snapshot and dump_all / load_all write pgml's tables: they become C functions that do
-- so as the owner, reading the caller's relation (or checking its right to server files) as
-- the caller.
DROP FUNCTION pgml.snapshot(text, text, real, text, jsonb);
DROP FUNCTION pgml.snapshot(text, text[], real, text);
DROP FUNCTION pgml.snapshot_copy(text, text[], real, text, jsonb);
CREATE FUNCTION pgml.snapshot(
    relation_name text,
    y_column_name text,
    test_size real DEFAULT 0.25,
    test_sampling text DEFAULT 'stratified',
    preprocess jsonb DEFAULT '{}'
) RETURNS TABLE (relation text, y_column_name text)
AS 'MODULE_PATHNAME', 'pgml_snapshot' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION pgml.snapshot(text, text, real, text, jsonb) IS
'Copies relation_name (read as the caller) into pgml.snapshot_<id>, readable by the caller, and records it in pgml.snapshots (not linked to a project: pgml.train does not reuse it).';
CREATE FUNCTION pgml.snapshot(
    relation_name text,
    y_column_name text[],
    test_size real DEFAULT 0.25,
    test_sampling text DEFAULT 'random'
) RETURNS TABLE (id text)
AS 'MODULE_PATHNAME', 'pgml_snapshot_v1' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.snapshot(text, text[], real, text) IS
'PostgresML 1.0 form of pgml.snapshot: label columns as an array; returns the snapshot id.';

DROP FUNCTION pgml.dump_all(text);
DROP FUNCTION pgml.load_all(text);
CREATE FUNCTION pgml.dump_all(path text) RETURNS void
AS 'MODULE_PATHNAME', 'pgml_dump_all' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION pgml.dump_all(text) IS
'Writes pgml.projects, snapshots, models, files and deployments to <path>/<table>.csv (server-side COPY, CSV with a header); the caller needs superuser or pg_write_server_files.';
CREATE FUNCTION pgml.load_all(path text) RETURNS void
AS 'MODULE_PATHNAME', 'pgml_load_all' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION pgml.load_all(text) IS
'Loads <path>/<table>.csv files written by pgml.dump_all into projects, snapshots, models, files and deployments (server-side COPY; the caller needs superuser or pg_read_server_files), then sets each id sequence to the largest id; warns about model files that do not verify with this cluster''s key.';

-- Who may do what (docs/privileges.md): PUBLIC predicts; training, deploying, snapshots,
-- datasets and dump/load are granted explicitly (GRANT EXECUTE ON FUNCTION ...).
REVOKE EXECUTE ON FUNCTION
    pgml.train(text, text, text, text, text, jsonb, text, jsonb, jsonb, real, text, text, boolean, boolean, jsonb),
    pgml.train_joint(text, text, text, text[], text, jsonb, text, jsonb, jsonb, real, text, text, boolean, boolean, jsonb),
    pgml.deploy(text, text, text),
    pgml.deploy(bigint),
    pgml.snapshot(text, text, real, text, jsonb),
    pgml.snapshot(text, text[], real, text),
    pgml.load_dataset(text, text, bigint, jsonb),
    pgml.dump_all(text),
    pgml.load_all(text),
    pgml.sign_models(bigint),
    pgml.verify_models()
FROM PUBLIC;



-------------------------------------------------------------------------------
-- Native inference of python models (issue 11, docs/native-inference.md).
-------------------------------------------------------------------------------

-- Models trained with runtime => 'python' get a verified native form at training; this gives
-- it to models stored before, checked on their test split's rows as a training checks it.
CREATE FUNCTION pgml.nativize(model_id bigint) RETURNS text
AS 'MODULE_PATHNAME', 'pgml_nativize' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION pgml.nativize(bigint) IS
'Gives a model trained with runtime => ''python'' its native form (docs/native-inference.md): the signed pickle is loaded in the python worker, the native form is checked on the rows of the model''s test split (read again as the caller) and stored beside the pickle; every backend then predicts the model without Python. Returns the model''s native_inference: native, or why not. Owner and superusers by default (GRANT EXECUTE to others, who also need SELECT on the snapshot''s relation).';
REVOKE EXECUTE ON FUNCTION pgml.nativize(bigint) FROM PUBLIC;



-------------------------------------------------------------------------------
-- Lifecycle hygiene: snapshots, dropped projects, DROP EXTENSION.
-------------------------------------------------------------------------------

-- Tables pgml creates at run time (materialized snapshots, load_dataset tables) are not
-- members of the extension (pg_dump must dump them) but depend on it: DROP EXTENSION pgml
-- refuses while they exist and DROP EXTENSION pgml CASCADE drops them (extension/shim_lifecycle.c).
CREATE FUNCTION pgml.adopt_relations() RETURNS integer
AS 'MODULE_PATHNAME', 'pgml_adopt_relations_sql' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.adopt_relations() IS
'Records that every table of schema pgml that is not part of the extension depends on it, so that DROP EXTENSION pgml refuses without CASCADE; pgml does this whenever it creates a table or snapshot rows are restored. Returns how many it recorded.';
REVOKE EXECUTE ON FUNCTION pgml.adopt_relations() FROM PUBLIC;

-- pg_dump does not carry those dependencies, and pg_restore creates the tables before it
-- copies the snapshots: record them again then.
CREATE FUNCTION pgml.adopt_relations_trigger() RETURNS trigger
AS 'MODULE_PATHNAME', 'pgml_adopt_relations_trigger' LANGUAGE C;
COMMENT ON FUNCTION pgml.adopt_relations_trigger() IS 'Trigger function: pgml.adopt_relations() after rows are added to pgml.snapshots.';
CREATE TRIGGER snapshots_adopt_relations AFTER INSERT ON pgml.snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION pgml.adopt_relations_trigger();

-- A snapshot that pgml.train made is deleted with the last model trained on it (a deleted
-- project deletes its models). Snapshots of pgml.snapshot belong to their user: they stay
-- until deleted. A deleted snapshot takes its materialized table along. The functions run as
-- the owner, who owns the snapshot tables, whoever deletes the rows.
CREATE FUNCTION pgml.delete_orphan_snapshots() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM pgml.snapshots s
    WHERE s.id IN (SELECT d.snapshot_id FROM deleted_models d)
      AND NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.snapshot_id = s.id);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION pgml.delete_orphan_snapshots() IS
'Trigger function: deletes the snapshots that no model uses any more after models were deleted.';
CREATE TRIGGER models_delete_orphan_snapshots AFTER DELETE ON pgml.models
    REFERENCING OLD TABLE AS deleted_models
    FOR EACH STATEMENT EXECUTE FUNCTION pgml.delete_orphan_snapshots();

CREATE FUNCTION pgml.drop_snapshot_table(snapshot_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    copy regclass := pg_catalog.to_regclass(pg_catalog.format('pgml.%I', 'snapshot_' || snapshot_id));
BEGIN
    IF copy IS NOT NULL THEN
        EXECUTE pg_catalog.format('DROP TABLE %s', copy);
    END IF;
END
$$;
COMMENT ON FUNCTION pgml.drop_snapshot_table(bigint) IS 'Internal: drops the materialized table of a deleted snapshot, if it has one.';
REVOKE EXECUTE ON FUNCTION pgml.drop_snapshot_table(bigint) FROM PUBLIC;

CREATE FUNCTION pgml.drop_deleted_snapshot_tables() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- No transition table: drop the copy of every snapshot that is gone.
        PERFORM pgml.drop_snapshot_table(substr(c.relname, 10)::bigint)
        FROM pg_catalog.pg_class c
        WHERE c.relnamespace = 'pgml'::regnamespace AND c.relkind = 'r' AND c.relname ~ '^snapshot_[0-9]{1,18}$'
          AND NOT EXISTS (SELECT 1 FROM pgml.snapshots s WHERE s.id = substr(c.relname, 10)::bigint);
    ELSE
        PERFORM pgml.drop_snapshot_table(d.id) FROM deleted_snapshots d WHERE d.materialized;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION pgml.drop_deleted_snapshot_tables() IS
'Trigger function: drops the materialized tables of deleted (or truncated) snapshots.';
CREATE TRIGGER snapshots_drop_tables AFTER DELETE ON pgml.snapshots
    REFERENCING OLD TABLE AS deleted_snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION pgml.drop_deleted_snapshot_tables();
CREATE TRIGGER snapshots_drop_tables_on_truncate AFTER TRUNCATE ON pgml.snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION pgml.drop_deleted_snapshot_tables();

-- Until 0.3.0, deleting a project left its snapshots (and their tables) behind; snapshots of
-- pgml.snapshot have no columns recorded and stay.
DELETE FROM pgml.snapshots s
WHERE s.columns IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.snapshot_id = s.id);

-- A DROP EXTENSION of pgml before 0.3.0 left its snapshot tables in schema pgml: keep new
-- snapshot ids clear of them, and make them (and any other leftover) depend on the extension.
SELECT pg_catalog.setval('pgml.snapshots_id_seq', leftover.id)
FROM (SELECT max(substr(c.relname, 10)::bigint) AS id FROM pg_catalog.pg_class c
      WHERE c.relnamespace = 'pgml'::regnamespace AND c.relname ~ '^snapshot_[0-9]{1,18}$') leftover
WHERE leftover.id > (SELECT coalesce(max(id), 0) FROM pgml.snapshots);
SELECT pgml.adopt_relations();

-- Row forms everywhere (0.3.0). A row with field names (a table or view row, a composite type,
-- a subquery's row) is matched to the training columns by name, extra fields ignored; an
-- anonymous ROW(...) by position. The argument is record rather than anyelement (as predict's
-- is) so that integer and numeric literal arrays keep resolving to the real[] forms. PUBLIC
-- predicts (docs/privileges.md): the functions keep the default EXECUTE.
CREATE FUNCTION pgml.predict_proba(project_name text, "row" record) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_proba_row' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_proba(text, record) IS
'Class probabilities of the project''s deployed classifier for a row: named fields matched to the training columns by name (extra fields ignored), ROW(...) by position; applies the model''s preprocessing.';
CREATE FUNCTION pgml.predict_proba(model_id bigint, "row" record) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_proba_model_row' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_proba(bigint, record) IS
'Class probabilities of one classifier by id for a row, matched by name (ROW(...) by position); applies the model''s preprocessing.';
CREATE FUNCTION pgml.predict_joint(project_name text, "row" record) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint_row' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(text, record) IS
'Every output of the project''s deployed multi-target model for a row, matched by name (ROW(...) by position); applies the model''s preprocessing.';
CREATE FUNCTION pgml.predict_joint(model_id bigint, "row" record) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint_model_row' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(bigint, record) IS
'Every output of one multi-target model by id for a row, matched by name (ROW(...) by position); applies the model''s preprocessing.';
CREATE FUNCTION pgml.decompose(project_name text, "row" record) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_decompose_row' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.decompose(text, record) IS
'The components of a row under the project''s deployed decomposition, matched by name (ROW(...) by position); applies the model''s preprocessing.';
CREATE FUNCTION pgml.predict_batch(project_name text, "rows" record[]) RETURNS SETOF real
AS 'MODULE_PATHNAME', 'pgml_predict_batch_rows' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION pgml.predict_batch(text, record[]) IS
'One prediction per row of an array of rows (e.g. array_agg(t)), each matched by name (ROW(...) by position), with the project''s deployed model; applies the model''s preprocessing.';
CREATE FUNCTION pgml.predict_batch(model_id bigint, "rows" record[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_batch_model_rows' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_batch(bigint, record[]) IS
'One prediction per row of an array of rows, each matched by name (ROW(...) by position), with one model by id; applies the model''s preprocessing.';
COMMENT ON FUNCTION pgml.predict(text, anyelement) IS
'Predicts from a row: named fields (a table or view row, a composite type) matched to the training columns by name, extra fields ignored; ROW(...) by position. Applies the model''s preprocessing.';
COMMENT ON FUNCTION pgml.predict(bigint, anyelement) IS
'Predicts from a row with one model by id: named fields matched by name, ROW(...) by position. Applies the model''s preprocessing.';

-- Issue 13: the analysis pgml.train stores with each model, from its test split
-- (docs/analysis.md): confusion matrix, ROC and precision-recall curves, predicted against
-- actual values, residual quantiles, feature importances. Models trained before have NULL.
ALTER TABLE pgml.models ADD COLUMN analysis jsonb;
COMMENT ON COLUMN pgml.models.analysis IS
'What pgml.train computed on the test split beside the metrics (docs/analysis.md): confusion_matrix, roc, precision_recall, predicted_vs_actual, residual_quantiles, feature_importance. NULL for models trained without a test split or before pgml 0.3.0.';

CREATE FUNCTION pgml.feature_importance(model_id bigint)
RETURNS TABLE (feature text, importance double precision, rank integer, method text)
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    stored jsonb;
BEGIN
    SELECT m.analysis -> 'feature_importance' INTO stored FROM pgml.models m WHERE m.id = feature_importance.model_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'pgml.models WHERE id = % does not exist', feature_importance.model_id
            USING ERRCODE = 'undefined_object';
    END IF;
    RETURN QUERY
    SELECT f.name, f.value::double precision,
           (row_number() OVER (ORDER BY f.value::double precision DESC, f.ord))::integer,
           stored ->> 'method'
    FROM ROWS FROM (jsonb_array_elements_text(stored -> 'features'), jsonb_array_elements_text(stored -> 'importance'))
         WITH ORDINALITY AS f(name, value, ord)
    ORDER BY 3;
END
$$;
COMMENT ON FUNCTION pgml.feature_importance(bigint) IS
'The feature importances pgml.train stored with a model (docs/analysis.md): one row per feature after preprocessing, rank 1 the most important; method is impurity, gain, standardized_coefficients or permutation. No rows for a model stored without them.';

CREATE FUNCTION pgml.feature_importance(project_name text)
RETURNS TABLE (feature text, importance double precision, rank integer, method text)
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    deployed bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pgml.projects p WHERE p.name = feature_importance.project_name) THEN
        RAISE EXCEPTION 'project "%" does not exist', feature_importance.project_name
            USING ERRCODE = 'undefined_object', HINT = 'SELECT name FROM pgml.projects lists the projects.';
    END IF;
    SELECT d.model_id INTO deployed
    FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id
    WHERE p.name = feature_importance.project_name
    ORDER BY d.id DESC LIMIT 1;
    IF deployed IS NULL THEN
        RAISE EXCEPTION 'project "%" has no deployed model', feature_importance.project_name
            USING ERRCODE = 'undefined_object', HINT = 'Deploy one with pgml.deploy, or name a model: pgml.feature_importance(model_id).';
    END IF;
    RETURN QUERY SELECT * FROM pgml.feature_importance(deployed);
END
$$;
COMMENT ON FUNCTION pgml.feature_importance(text) IS
'The feature importances of the model a project deploys (docs/analysis.md): one row per feature after preprocessing, rank 1 the most important; method is impurity, gain, standardized_coefficients or permutation.';

--------------------------------------------------------------------------------
-- Training progress from any session, and each model's metrics as columns.
--------------------------------------------------------------------------------

CREATE FUNCTION pgml.training_progress_rows(
    OUT pid integer, OUT usesysid oid, OUT datid oid, OUT project_id bigint, OUT project_name text, OUT algorithm text, OUT runtime text,
    OUT phase text, OUT fold integer, OUT folds integer, OUT candidate integer, OUT candidates integer,
    OUT unit text, OUT units_done bigint, OUT units_total bigint,
    OUT started_at timestamptz, OUT phase_started_at timestamptz, OUT estimated_phase_end timestamptz,
    OUT training_rows bigint, OUT features bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pgml_training_progress' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION pgml.training_progress_rows() IS
'The progress slots of the backends that run pgml.train, as published (pgml.training_progress shows them with names and durations). Other roles'' trainings show only pid and role, unless the caller has pg_read_all_stats.';

-- A project that the running training creates is not committed yet: the slot's copy of its
-- name (its first 40 bytes) stands in.
CREATE VIEW pgml.training_progress AS
SELECT t.pid, r.rolname AS usename, db.datname,
       coalesce(p.name, t.project_name) AS project,
       t.project_id, t.algorithm, t.runtime, t.phase, t.fold, t.folds, t.candidate, t.candidates,
       t.unit, t.units_done, t.units_total,
       CASE WHEN t.units_total > 0 THEN round(100.0 * t.units_done / t.units_total, 1) END AS percent_done,
       t.training_rows, t.features, t.started_at,
       pg_catalog.clock_timestamp() - t.started_at AS elapsed,
       pg_catalog.clock_timestamp() - t.phase_started_at AS phase_elapsed,
       CASE WHEN t.estimated_phase_end IS NOT NULL
            THEN greatest(t.estimated_phase_end - pg_catalog.clock_timestamp(), interval '0') END AS estimated_remaining
FROM pgml.training_progress_rows() t
LEFT JOIN pg_catalog.pg_roles r ON r.oid = t.usesysid
LEFT JOIN pg_catalog.pg_database db ON db.oid = t.datid
LEFT JOIN pgml.projects p ON p.id = t.project_id AND t.datid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
ORDER BY t.started_at, t.pid;
COMMENT ON VIEW pgml.training_progress IS
'One row per pgml.train running on the server: who, which project (named in its own database), algorithm and runtime, phase, search fold and candidate, units done of total (trees, rounds or fits), elapsed time and the estimated time left of the current fit or search. Published at least every second while a native fit advances; a row disappears when its training ends, fails, is cancelled or its backend exits.';

CREATE VIEW pgml.model_metrics AS
SELECT m.id, p.name AS project, p.task, m.algorithm, m.runtime, m.created_at,
       d.model_id IS NOT NULL AS deployed,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'r2') = 'number' THEN (m.metrics ->> 'r2')::float8 END AS r2,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'mean_squared_error') = 'number' THEN (m.metrics ->> 'mean_squared_error')::float8 END AS mean_squared_error,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'mean_absolute_error') = 'number' THEN (m.metrics ->> 'mean_absolute_error')::float8 END AS mean_absolute_error,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'f1') = 'number' THEN (m.metrics ->> 'f1')::float8 END AS f1,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'precision') = 'number' THEN (m.metrics ->> 'precision')::float8 END AS precision,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'recall') = 'number' THEN (m.metrics ->> 'recall')::float8 END AS recall,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'accuracy') = 'number' THEN (m.metrics ->> 'accuracy')::float8 END AS accuracy,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'mcc') = 'number' THEN (m.metrics ->> 'mcc')::float8 END AS mcc,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'roc_auc') = 'number' THEN (m.metrics ->> 'roc_auc')::float8 END AS roc_auc,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'log_loss') = 'number' THEN (m.metrics ->> 'log_loss')::float8 END AS log_loss,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'silhouette') = 'number' THEN (m.metrics ->> 'silhouette')::float8 END AS silhouette,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'cumulative_explained_variance') = 'number' THEN (m.metrics ->> 'cumulative_explained_variance')::float8 END AS cumulative_explained_variance,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'fit_time') = 'number' THEN (m.metrics ->> 'fit_time')::float8 END AS fit_time,
       CASE WHEN pg_catalog.jsonb_typeof(m.metrics -> 'score_time') = 'number' THEN (m.metrics ->> 'score_time')::float8 END AS score_time
FROM pgml.projects p
INNER JOIN pgml.models m ON p.id = m.project_id
LEFT OUTER JOIN (
    SELECT DISTINCT ON (project_id) project_id, model_id
    FROM pgml.deployments
    ORDER BY project_id, id DESC
) d ON d.model_id = m.id
ORDER BY m.created_at DESC, m.id DESC;
COMMENT ON VIEW pgml.model_metrics IS
'One row per model with its test metrics as columns (NULL when the task does not record one, or when it was not a number); deployed is true for the model each project currently serves.';

GRANT SELECT ON pgml.training_progress, pgml.model_metrics TO PUBLIC;
