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



-------------------------------------------------------------------------------
-- Lifecycle hygiene: snapshots, dropped projects, DROP EXTENSION.
-------------------------------------------------------------------------------



