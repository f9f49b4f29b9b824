-- pgml 0.1.0 -> 0.2.0: PostgresML parity (the 1.0 suite replay, search, batch and joint
-- prediction, vector functions). A fresh install runs pgml--0.1.0.sql and then this script.
\echo Use "ALTER EXTENSION pgml UPDATE TO '0.2.0'" to load this file. \quit

CREATE FUNCTION pgml.torch_cuda_available() RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT false $$;
COMMENT ON FUNCTION pgml.torch_cuda_available() IS
'PostgresML 1.0 compatibility: always false, pgml has no torch and no GPU runtime.';

-- 2.x joint prediction takes real[] and returns real[]; the 1.0 double precision form stays.
CREATE FUNCTION pgml.predict_joint(project_name text, features real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(text, real[]) IS
'Predicts every output of the project''s deployed multi-target model.';
CREATE FUNCTION pgml.predict_joint(model_id bigint, features real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(bigint, real[]) IS
'Predicts every output of one multi-target model by id, deployed or not.';

-- Batch prediction: features holds several rows concatenated (length = rows x num_features).
CREATE FUNCTION pgml.predict_batch(project_name text, features real[]) RETURNS SETOF real
AS 'MODULE_PATHNAME', 'pgml_predict_batch' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION pgml.predict_batch(text, real[]) IS
'One prediction per row of features, which holds the rows concatenated; uses the project''s deployed model.';
CREATE FUNCTION pgml.predict_batch(model_id bigint, features real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_batch_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_batch(bigint, real[]) IS
'One prediction per row of features (the rows concatenated), with one model by id.';

-- With real[] and double precision[] forms, integer and numeric literal arrays would be
-- ambiguous ("function is not unique"): these resolve them (1.0 calls used numeric literals).
CREATE FUNCTION pgml.predict_joint(project_name text, features numeric[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(text, numeric[]) IS
'Predicts every output of the project''s deployed multi-target model; resolves calls written with numeric literals.';
CREATE FUNCTION pgml.predict_joint(project_name text, features integer[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(text, integer[]) IS
'Predicts every output of the project''s deployed multi-target model; resolves calls written with integer literals.';
CREATE FUNCTION pgml.predict_joint(project_name text, features smallint[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(text, smallint[]) IS
'Predicts every output of the project''s deployed multi-target model; multi-dimensional arrays are flattened.';
CREATE FUNCTION pgml.predict_joint(project_name text, features bigint[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_predict_joint' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict_joint(text, bigint[]) IS
'Predicts every output of the project''s deployed multi-target model.';

-- The row form (2.x): fields in the order of the snapshot's feature columns; text fields are
-- categories; the model's preprocessing (impute, encode, scale) is applied as at training.
CREATE FUNCTION pgml.predict(project_name text, "row" anyelement) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_row' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(text, anyelement) IS
'Predicts from a row (a, b, ...) of the training relation''s feature columns, text columns included; applies the model''s preprocessing.';
CREATE FUNCTION pgml.predict(model_id bigint, "row" anyelement) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_model_row' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(bigint, anyelement) IS
'Predicts from a row (a, b, ...) with one model by id; applies the model''s preprocessing.';
