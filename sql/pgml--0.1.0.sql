-- pgml 0.1.0 install script. Loaded by CREATE EXTENSION pgml; not meant to be run by hand.
-- Hygiene (CVE-2022-2625): no CREATE OR REPLACE, no IF NOT EXISTS, every name schema-qualified.
\echo Use "CREATE EXTENSION pgml" to load this file. \quit

-------------------------------------------------------------------------------
-- Tables. Models are rows: backups, pg_dump and replicas carry every model.
-------------------------------------------------------------------------------

CREATE FUNCTION pgml.set_updated_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION pgml.set_updated_at() IS 'Trigger function: sets updated_at when a row changes.';

CREATE FUNCTION pgml.auto_updated_at(tbl regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    trigger_name text := (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = tbl) || '_auto_updated_at';
BEGIN
    EXECUTE pg_catalog.format(
        'CREATE TRIGGER %I BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION pgml.set_updated_at()',
        trigger_name, tbl);
END;
$$;
COMMENT ON FUNCTION pgml.auto_updated_at(regclass) IS 'Attaches the updated_at trigger to a table.';

CREATE TABLE pgml.projects (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    task       TEXT NOT NULL,
    created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE UNIQUE INDEX projects_name_idx ON pgml.projects (name);
SELECT pgml.auto_updated_at('pgml.projects');
COMMENT ON TABLE pgml.projects IS 'One row per project: a name and its task (regression, classification, clustering, decomposition).';

CREATE TABLE pgml.snapshots (
    id            BIGSERIAL PRIMARY KEY,
    relation_name TEXT NOT NULL,
    y_column_name TEXT[],
    test_size     REAL NOT NULL,
    test_sampling TEXT NOT NULL,
    status        TEXT NOT NULL,
    columns       JSONB,
    analysis      JSONB,
    materialized  BOOLEAN DEFAULT false,
    created_at    TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    updated_at    TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
SELECT pgml.auto_updated_at('pgml.snapshots');
COMMENT ON TABLE pgml.snapshots IS 'The relation, label columns and split a model was trained on.';

CREATE TABLE pgml.models (
    id            BIGSERIAL PRIMARY KEY,
    project_id    BIGINT NOT NULL REFERENCES pgml.projects (id) ON DELETE CASCADE,
    snapshot_id   BIGINT REFERENCES pgml.snapshots (id) ON DELETE SET NULL,
    num_features  INT NOT NULL,
    algorithm     TEXT NOT NULL,
    runtime       TEXT NOT NULL DEFAULT 'go',
    hyperparams   JSONB NOT NULL,
    status        TEXT NOT NULL,
    metrics       JSONB,
    search        TEXT,
    search_params JSONB NOT NULL,
    search_args   JSONB NOT NULL,
    created_at    TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    updated_at    TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE INDEX models_project_id_idx ON pgml.models (project_id);
CREATE INDEX models_snapshot_id_idx ON pgml.models (snapshot_id);
SELECT pgml.auto_updated_at('pgml.models');
COMMENT ON TABLE pgml.models IS 'One row per trained model: algorithm, runtime, hyperparameters and test metrics.';

CREATE TABLE pgml.deployments (
    id         BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES pgml.projects (id) ON DELETE CASCADE,
    model_id   BIGINT NOT NULL REFERENCES pgml.models (id) ON DELETE CASCADE,
    strategy   TEXT NOT NULL,
    created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE INDEX deployments_project_id_created_at_idx ON pgml.deployments (project_id);
CREATE INDEX deployments_model_id_created_at_idx ON pgml.deployments (model_id);
COMMENT ON TABLE pgml.deployments IS 'Deployment history: the latest row of a project names the model pgml.predict uses.';

CREATE TABLE pgml.files (
    id         BIGSERIAL PRIMARY KEY,
    model_id   BIGINT NOT NULL REFERENCES pgml.models (id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    part       INTEGER NOT NULL,
    data       BYTEA NOT NULL,
    created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE UNIQUE INDEX files_model_id_path_part_idx ON pgml.files (model_id, path, part);
SELECT pgml.auto_updated_at('pgml.files');
COMMENT ON TABLE pgml.files IS 'Serialized model bytes, one or more parts per model.';

-- pg_dump keeps user rows of extension tables only when they are registered.
SELECT pg_catalog.pg_extension_config_dump('pgml.projects', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.projects_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.snapshots', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.snapshots_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.models', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.models_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.deployments', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.deployments_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.files', '');
SELECT pg_catalog.pg_extension_config_dump('pgml.files_id_seq', '');

-- The per-backend prediction cache is dropped by a relcache invalidation of pgml.deployments:
-- it is sent at commit (never on rollback), replayed by hot standbys, and seen by every
-- session's next statement.
CREATE FUNCTION pgml.invalidate_deployments() RETURNS trigger
AS 'MODULE_PATHNAME', 'pgml_invalidate_deployments' LANGUAGE C;
COMMENT ON FUNCTION pgml.invalidate_deployments() IS 'Trigger function: tells every backend to drop its cached deployed models.';
CREATE TRIGGER deployments_invalidate_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pgml.deployments
    FOR EACH STATEMENT EXECUTE FUNCTION pgml.invalidate_deployments();
CREATE TRIGGER projects_invalidate_cache AFTER UPDATE OR DELETE OR TRUNCATE ON pgml.projects
    FOR EACH STATEMENT EXECUTE FUNCTION pgml.invalidate_deployments();

-------------------------------------------------------------------------------
-- Views (PostgresML 2.x columns).
-------------------------------------------------------------------------------

CREATE VIEW pgml.overview AS
SELECT p.name, d.created_at AS deployed_at, p.task, m.algorithm, m.runtime,
       s.relation_name, s.y_column_name, s.test_sampling, s.test_size
FROM pgml.projects p
INNER JOIN pgml.models m ON p.id = m.project_id
INNER JOIN pgml.deployments d ON d.project_id = p.id AND d.model_id = m.id
INNER JOIN pgml.snapshots s ON s.id = m.snapshot_id
ORDER BY d.created_at DESC;
COMMENT ON VIEW pgml.overview IS 'One row per deployment, newest first.';

CREATE VIEW pgml.trained_models AS
SELECT m.id, p.name, p.task, m.algorithm, m.runtime, m.created_at, s.test_sampling, s.test_size,
       d.model_id IS NOT NULL AS deployed
FROM pgml.projects p
INNER JOIN pgml.models m ON p.id = m.project_id
INNER JOIN pgml.snapshots s ON s.id = m.snapshot_id
LEFT OUTER JOIN (
    SELECT DISTINCT ON (project_id) project_id, model_id
    FROM pgml.deployments
    ORDER BY project_id, id DESC
) d ON d.model_id = m.id
ORDER BY m.created_at DESC;
COMMENT ON VIEW pgml.trained_models IS 'One row per model; deployed is true for the model each project currently serves.';

CREATE VIEW pgml.deployed_models AS
SELECT m.id, p.name, p.task, m.algorithm, m.runtime, d.created_at AS deployed_at
FROM pgml.projects p
INNER JOIN (
    SELECT DISTINCT ON (project_id) project_id, model_id, created_at
    FROM pgml.deployments
    ORDER BY project_id, id DESC
) d ON d.project_id = p.id
INNER JOIN pgml.models m ON m.id = d.model_id
ORDER BY p.name ASC;
COMMENT ON VIEW pgml.deployed_models IS 'One row per project: the model it currently serves.';

-------------------------------------------------------------------------------
-- Functions.
-------------------------------------------------------------------------------

CREATE FUNCTION pgml.version() RETURNS text
AS 'MODULE_PATHNAME', 'pgml_version' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.version() IS 'The pgml version and the commit it was built from.';

CREATE FUNCTION pgml.load_dataset(
    source text,
    subset text DEFAULT NULL,
    "limit" bigint DEFAULT NULL,
    kwargs jsonb DEFAULT '{}'
) RETURNS TABLE (table_name text, "rows" bigint)
AS 'MODULE_PATHNAME', 'pgml_load_dataset' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.load_dataset(text, text, bigint, jsonb) IS
'Creates (or refills) pgml.<source> from a toy dataset shipped inside the extension: breast_cancer, california_housing, diabetes, digits, iris, linnerud, wine.';

CREATE FUNCTION pgml.train(
    project_name text,
    task text DEFAULT NULL,
    relation_name text DEFAULT NULL,
    y_column_name text DEFAULT NULL,
    algorithm text DEFAULT 'linear',
    hyperparams jsonb DEFAULT '{}',
    search text DEFAULT NULL,
    search_params jsonb DEFAULT '{}',
    search_args jsonb DEFAULT '{}',
    test_size real DEFAULT 0.25,
    test_sampling text DEFAULT 'stratified',
    runtime text DEFAULT NULL,
    automatic_deploy boolean DEFAULT true,
    materialize_snapshot boolean DEFAULT false,
    preprocess jsonb DEFAULT '{}'
) RETURNS TABLE (project text, task text, algorithm text, deployed boolean)
AS 'MODULE_PATHNAME', 'pgml_train' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.train(text, text, text, text, text, jsonb, text, jsonb, jsonb, real, text, text, boolean, boolean, jsonb) IS
'Trains a model on relation_name to predict y_column_name, stores it in pgml.models and deploys it when it beats the deployed one.';

CREATE FUNCTION pgml.train_joint(
    project_name text,
    task text DEFAULT NULL,
    relation_name text DEFAULT NULL,
    y_column_name text[] DEFAULT NULL,
    algorithm text DEFAULT 'linear',
    hyperparams jsonb DEFAULT '{}',
    search text DEFAULT NULL,
    search_params jsonb DEFAULT '{}',
    search_args jsonb DEFAULT '{}',
    test_size real DEFAULT 0.25,
    test_sampling text DEFAULT 'stratified',
    runtime text DEFAULT NULL,
    automatic_deploy boolean DEFAULT true,
    materialize_snapshot boolean DEFAULT false,
    preprocess jsonb DEFAULT '{}'
) RETURNS TABLE (project text, task text, algorithm text, deployed boolean)
AS 'MODULE_PATHNAME', 'pgml_train_joint' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.train_joint(text, text, text, text[], text, jsonb, text, jsonb, jsonb, real, text, text, boolean, boolean, jsonb) IS
'Like pgml.train, with several label columns: one model predicts them all (multi-target regression).';

CREATE FUNCTION pgml.deploy(
    project_name text,
    strategy text DEFAULT 'best_score',
    algorithm text DEFAULT NULL
) RETURNS TABLE (project text, strategy text, algorithm text)
AS 'MODULE_PATHNAME', 'pgml_deploy_strategy' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.deploy(text, text, text) IS
'Deploys a model of the project chosen by strategy (best_score, most_recent, rollback), optionally among one algorithm.';

CREATE FUNCTION pgml.deploy(model_id bigint) RETURNS TABLE (project text, strategy text, algorithm text)
AS 'MODULE_PATHNAME', 'pgml_deploy_model' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION pgml.deploy(bigint) IS 'Deploys one model by id (strategy specific).';

-- Prediction: STABLE (they read pgml tables), never IMMUTABLE; STRICT, so NULL in gives NULL out.
CREATE FUNCTION pgml.predict(project_name text, features real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(text, real[]) IS 'Predicts with the project''s deployed model.';
CREATE FUNCTION pgml.predict(project_name text, features double precision[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(text, double precision[]) IS 'Predicts with the project''s deployed model.';
CREATE FUNCTION pgml.predict(project_name text, features smallint[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(text, smallint[]) IS 'Predicts with the project''s deployed model; multi-dimensional arrays are flattened.';
CREATE FUNCTION pgml.predict(project_name text, features integer[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(text, integer[]) IS 'Predicts with the project''s deployed model.';
CREATE FUNCTION pgml.predict(project_name text, features bigint[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(text, bigint[]) IS 'Predicts with the project''s deployed model.';
CREATE FUNCTION pgml.predict(project_name text, features numeric[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(text, numeric[]) IS 'Predicts with the project''s deployed model; resolves 1.0 calls written with numeric literals.';
CREATE FUNCTION pgml.predict(project_name text, features boolean[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(text, boolean[]) IS 'Predicts with the project''s deployed model; booleans are 0 and 1.';

CREATE FUNCTION pgml.predict(model_id bigint, features real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(bigint, real[]) IS 'Predicts with one model by id, deployed or not.';

CREATE FUNCTION pgml.model_predict(model_id bigint, features double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_model_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.model_predict(bigint, double precision[]) IS
'PostgresML 1.0 form: predicts with one model by id and returns every output as an array.';

CREATE FUNCTION pgml.predict_joint(project_name text, features double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(text, double precision[]) IS
'Predicts every output of the project''s deployed multi-target model; real[] features are cast implicitly.';

CREATE FUNCTION pgml.predict_proba(project_name text, features real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_proba' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_proba(text, real[]) IS
'Class probabilities from the project''s deployed classifier, in the order of its sorted class labels.';
CREATE FUNCTION pgml.predict_proba(model_id bigint, features real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_proba_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_proba(bigint, real[]) IS 'Class probabilities from one classifier by id.';

CREATE FUNCTION pgml.decompose(project_name text, vector real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_decompose' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.decompose(text, real[]) IS 'Every component of the vector under the project''s deployed decomposition (pca).';

CREATE FUNCTION pgml.python_version() RETURNS text
AS 'MODULE_PATHNAME', 'pgml_python_version' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.python_version() IS 'The version of the Python embedded in this backend (starts it if needed).';
CREATE FUNCTION pgml.python_package_version(name text) RETURNS text
AS 'MODULE_PATHNAME', 'pgml_python_package_version' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION pgml.python_package_version(text) IS 'The __version__ of a Python package, e.g. sklearn.';
CREATE FUNCTION pgml.validate_python_dependencies() RETURNS boolean
AS 'MODULE_PATHNAME', 'pgml_validate_python_dependencies' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.validate_python_dependencies() IS
'Reports (INFO) each Python package pgml can use with its version or why it is missing; true when the python runtime can train.';

-- Reading is for everyone (prediction needs the model rows); writing stays with the owner,
-- because stored models are code that pgml loads.
GRANT USAGE ON SCHEMA pgml TO PUBLIC;
GRANT SELECT ON pgml.projects, pgml.snapshots, pgml.models, pgml.deployments, pgml.files,
    pgml.overview, pgml.trained_models, pgml.deployed_models TO PUBLIC;
