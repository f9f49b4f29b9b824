-- pgml 0.1.0 -> 0.2.0: PostgresML parity (the 1.0 suite replay, search, batch, joint and row
-- prediction, snapshots, vector functions and aggregates, 2.x utility functions, and the
-- out-of-scope transformer functions as clear errors). A fresh install runs pgml--0.1.0.sql
-- and then this script.
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

-- pgml.snapshot (2.x): a materialized copy of a relation, recorded in pgml.snapshots. It is
-- not linked to a project, so pgml.train never reuses it (as in PostgresML).
-- The copy is made by a PL/pgSQL helper: PL/pgSQL cannot have an argument and a result
-- column both named y_column_name, which the 2.x signature has.
CREATE FUNCTION pgml.snapshot_copy(
    relation_name text,
    y_column_name text[],
    test_size real,
    test_sampling text,
    preprocess jsonb
) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    source regclass;
    label text;
    new_id bigint;
BEGIN
    IF relation_name IS NULL OR y_column_name IS NULL THEN
        RAISE EXCEPTION 'pgml.snapshot needs a relation_name and a y_column_name' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    source := pg_catalog.to_regclass(relation_name);
    IF source IS NULL THEN
        RAISE EXCEPTION 'relation "%" does not exist', relation_name USING ERRCODE = 'undefined_table',
            HINT = 'Unqualified names are looked up through search_path; quote names that have capitals or spaces.';
    END IF;
    FOREACH label IN ARRAY y_column_name LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = source
                       AND a.attname = label AND a.attnum > 0 AND NOT a.attisdropped) THEN
            RAISE EXCEPTION 'Column `%` not found. Did you pass the correct `y_column_name`?', label
                USING ERRCODE = 'undefined_column';
        END IF;
    END LOOP;
    IF test_sampling IS NULL OR test_sampling NOT IN ('random', 'first', 'last', 'stratified') THEN
        RAISE EXCEPTION 'unknown test_sampling `%`, available options are: random, first, last, stratified', test_sampling
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF test_size IS NULL OR test_size = 'NaN'::real OR test_size <= 0 THEN
        RAISE EXCEPTION 'test_size must be a positive fraction (<= 1) or row count (> 1), got %', test_size
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF preprocess IS NOT NULL AND preprocess <> '{}'::jsonb THEN
        RAISE EXCEPTION 'pgml.snapshot does not keep preprocess; pass it to pgml.train, which applies it'
            USING ERRCODE = 'feature_not_supported';
    END IF;
    INSERT INTO pgml.snapshots (relation_name, y_column_name, test_size, test_sampling, status, materialized)
    VALUES (snapshot_copy.relation_name, snapshot_copy.y_column_name, snapshot_copy.test_size, snapshot_copy.test_sampling, 'created', true)
    RETURNING id INTO new_id;
    EXECUTE pg_catalog.format('CREATE TABLE pgml.%I AS SELECT * FROM %s', 'snapshot_' || new_id, source);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION pgml.snapshot_copy(text, text[], real, text, jsonb) IS
'Internal to pgml.snapshot: validates the arguments, records the snapshot and copies the relation; returns the snapshot id.';
CREATE FUNCTION pgml.snapshot(
    relation_name text,
    y_column_name text,
    test_size real DEFAULT 0.25,
    test_sampling text DEFAULT 'stratified',
    preprocess jsonb DEFAULT '{}'
) RETURNS TABLE (relation text, y_column_name text)
LANGUAGE sql VOLATILE STRICT AS $$
    SELECT $1, $2 FROM (SELECT pgml.snapshot_copy($1, ARRAY[$2], $3, $4, $5)) copied;
$$;
COMMENT ON FUNCTION pgml.snapshot(text, text, real, text, jsonb) IS
'Copies relation_name into pgml.snapshot_<id> and records it in pgml.snapshots (not linked to a project: pgml.train does not reuse it).';
-- PostgresML 1.0's form: several label columns, the new snapshot's id as the result.
CREATE FUNCTION pgml.snapshot(
    relation_name text,
    y_column_name text[],
    test_size real DEFAULT 0.25,
    test_sampling text DEFAULT 'random'
) RETURNS TABLE (id text)
LANGUAGE sql VOLATILE AS $$
    SELECT pgml.snapshot_copy($1, $2, $3, $4, '{}')::text;
$$;
COMMENT ON FUNCTION pgml.snapshot(text, text[], real, text) IS
'PostgresML 1.0 form of pgml.snapshot: label columns as an array; returns the snapshot id.';

-- Vector functions and aggregates (PostgresML 2.x names and parameter names, including
-- subtract's "subtahend"). Implemented in C (extension/shim_vector.c): real[] in gives real
-- results, every other element type gives double precision. NULL elements are an ERROR,
-- multi-dimensional arrays are read flattened, functions of two arrays stop at the shorter
-- one, and division by zero gives Infinity or NaN. The numeric[], integer[] and bigint[]
-- overloads exist so that calls written with literals (PostgresML 1.0's ARRAY[1.0, 2.0, 3.0])
-- resolve to one function; they compute in double precision.

-- pgml.add
CREATE FUNCTION pgml.add(vector real[], addend real) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_add_scalar_s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(real[], real) IS
    'Adds addend to every element of vector.';
CREATE FUNCTION pgml.add(vector double precision[], addend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_add_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(double precision[], double precision) IS
    'Adds addend to every element of vector.';
CREATE FUNCTION pgml.add(vector numeric[], addend numeric) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_add_scalar_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(numeric[], numeric) IS
    'Adds addend to every element of vector. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.add(vector integer[], addend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_add_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(integer[], double precision) IS
    'Adds addend to every element of vector. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.add(vector bigint[], addend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_add_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(bigint[], double precision) IS
    'Adds addend to every element of vector. Computed in double precision.';
CREATE FUNCTION pgml.add(vector real[], addend real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(real[], real[]) IS
    'Adds addend to vector element by element. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.add(vector double precision[], addend double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(double precision[], double precision[]) IS
    'Adds addend to vector element by element. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.add(vector numeric[], addend numeric[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(numeric[], numeric[]) IS
    'Adds addend to vector element by element. Stops at the end of the shorter array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.add(vector integer[], addend integer[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(integer[], integer[]) IS
    'Adds addend to vector element by element. Stops at the end of the shorter array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.add(vector bigint[], addend bigint[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.add(bigint[], bigint[]) IS
    'Adds addend to vector element by element. Stops at the end of the shorter array. Computed in double precision.';

-- pgml.subtract
CREATE FUNCTION pgml.subtract(vector real[], subtahend real) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract_scalar_s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(real[], real) IS
    'Subtracts subtahend from every element of vector.';
CREATE FUNCTION pgml.subtract(vector double precision[], subtahend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(double precision[], double precision) IS
    'Subtracts subtahend from every element of vector.';
CREATE FUNCTION pgml.subtract(vector numeric[], subtahend numeric) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract_scalar_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(numeric[], numeric) IS
    'Subtracts subtahend from every element of vector. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.subtract(vector integer[], subtahend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(integer[], double precision) IS
    'Subtracts subtahend from every element of vector. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.subtract(vector bigint[], subtahend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(bigint[], double precision) IS
    'Subtracts subtahend from every element of vector. Computed in double precision.';
CREATE FUNCTION pgml.subtract(vector real[], subtahend real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(real[], real[]) IS
    'Subtracts subtahend from vector element by element. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.subtract(vector double precision[], subtahend double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(double precision[], double precision[]) IS
    'Subtracts subtahend from vector element by element. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.subtract(vector numeric[], subtahend numeric[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(numeric[], numeric[]) IS
    'Subtracts subtahend from vector element by element. Stops at the end of the shorter array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.subtract(vector integer[], subtahend integer[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(integer[], integer[]) IS
    'Subtracts subtahend from vector element by element. Stops at the end of the shorter array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.subtract(vector bigint[], subtahend bigint[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_subtract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.subtract(bigint[], bigint[]) IS
    'Subtracts subtahend from vector element by element. Stops at the end of the shorter array. Computed in double precision.';

-- pgml.multiply
CREATE FUNCTION pgml.multiply(vector real[], multiplicand real) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply_scalar_s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(real[], real) IS
    'Multiplies every element of vector by multiplicand.';
CREATE FUNCTION pgml.multiply(vector double precision[], multiplicand double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(double precision[], double precision) IS
    'Multiplies every element of vector by multiplicand.';
CREATE FUNCTION pgml.multiply(vector numeric[], multiplicand numeric) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply_scalar_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(numeric[], numeric) IS
    'Multiplies every element of vector by multiplicand. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.multiply(vector integer[], multiplicand double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(integer[], double precision) IS
    'Multiplies every element of vector by multiplicand. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.multiply(vector bigint[], multiplicand double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(bigint[], double precision) IS
    'Multiplies every element of vector by multiplicand. Computed in double precision.';
CREATE FUNCTION pgml.multiply(vector real[], multiplicand real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(real[], real[]) IS
    'Multiplies vector by multiplicand element by element. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.multiply(vector double precision[], multiplicand double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(double precision[], double precision[]) IS
    'Multiplies vector by multiplicand element by element. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.multiply(vector numeric[], multiplicand numeric[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(numeric[], numeric[]) IS
    'Multiplies vector by multiplicand element by element. Stops at the end of the shorter array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.multiply(vector integer[], multiplicand integer[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(integer[], integer[]) IS
    'Multiplies vector by multiplicand element by element. Stops at the end of the shorter array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.multiply(vector bigint[], multiplicand bigint[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_multiply' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.multiply(bigint[], bigint[]) IS
    'Multiplies vector by multiplicand element by element. Stops at the end of the shorter array. Computed in double precision.';

-- pgml.divide
CREATE FUNCTION pgml.divide(vector real[], dividend real) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide_scalar_s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(real[], real) IS
    'Divides every element of vector by dividend (the divisor, named as in PostgresML); division by zero gives Infinity or NaN.';
CREATE FUNCTION pgml.divide(vector double precision[], dividend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(double precision[], double precision) IS
    'Divides every element of vector by dividend (the divisor, named as in PostgresML); division by zero gives Infinity or NaN.';
CREATE FUNCTION pgml.divide(vector numeric[], dividend numeric) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide_scalar_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(numeric[], numeric) IS
    'Divides every element of vector by dividend (the divisor, named as in PostgresML); division by zero gives Infinity or NaN. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.divide(vector integer[], dividend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(integer[], double precision) IS
    'Divides every element of vector by dividend (the divisor, named as in PostgresML); division by zero gives Infinity or NaN. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.divide(vector bigint[], dividend double precision) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide_scalar_d' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(bigint[], double precision) IS
    'Divides every element of vector by dividend (the divisor, named as in PostgresML); division by zero gives Infinity or NaN. Computed in double precision.';
CREATE FUNCTION pgml.divide(vector real[], dividend real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(real[], real[]) IS
    'Divides vector by dividend element by element (dividend is the divisor, named as in PostgresML); division by zero gives Infinity or NaN. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.divide(vector double precision[], dividend double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(double precision[], double precision[]) IS
    'Divides vector by dividend element by element (dividend is the divisor, named as in PostgresML); division by zero gives Infinity or NaN. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.divide(vector numeric[], dividend numeric[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(numeric[], numeric[]) IS
    'Divides vector by dividend element by element (dividend is the divisor, named as in PostgresML); division by zero gives Infinity or NaN. Stops at the end of the shorter array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.divide(vector integer[], dividend integer[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(integer[], integer[]) IS
    'Divides vector by dividend element by element (dividend is the divisor, named as in PostgresML); division by zero gives Infinity or NaN. Stops at the end of the shorter array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.divide(vector bigint[], dividend bigint[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_divide' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.divide(bigint[], bigint[]) IS
    'Divides vector by dividend element by element (dividend is the divisor, named as in PostgresML); division by zero gives Infinity or NaN. Stops at the end of the shorter array. Computed in double precision.';

-- pgml.norm_l0
CREATE FUNCTION pgml.norm_l0(vector real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l0' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l0(real[]) IS
    'The L0 norm: how many elements are not zero (NaN counts); 0 for an empty array.';
CREATE FUNCTION pgml.norm_l0(vector double precision[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l0' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l0(double precision[]) IS
    'The L0 norm: how many elements are not zero (NaN counts); 0 for an empty array.';
CREATE FUNCTION pgml.norm_l0(vector numeric[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l0' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l0(numeric[]) IS
    'The L0 norm: how many elements are not zero (NaN counts); 0 for an empty array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.norm_l0(vector integer[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l0' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l0(integer[]) IS
    'The L0 norm: how many elements are not zero (NaN counts); 0 for an empty array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.norm_l0(vector bigint[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l0' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l0(bigint[]) IS
    'The L0 norm: how many elements are not zero (NaN counts); 0 for an empty array. Computed in double precision.';

-- pgml.norm_l1
CREATE FUNCTION pgml.norm_l1(vector real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l1(real[]) IS
    'The L1 norm: the sum of absolute values; 0 for an empty array.';
CREATE FUNCTION pgml.norm_l1(vector double precision[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l1(double precision[]) IS
    'The L1 norm: the sum of absolute values; 0 for an empty array.';
CREATE FUNCTION pgml.norm_l1(vector numeric[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l1(numeric[]) IS
    'The L1 norm: the sum of absolute values; 0 for an empty array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.norm_l1(vector integer[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l1(integer[]) IS
    'The L1 norm: the sum of absolute values; 0 for an empty array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.norm_l1(vector bigint[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l1(bigint[]) IS
    'The L1 norm: the sum of absolute values; 0 for an empty array. Computed in double precision.';

-- pgml.norm_l2
CREATE FUNCTION pgml.norm_l2(vector real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l2(real[]) IS
    'The L2 (Euclidean) norm: the square root of the sum of squares, without overflow for large values; 0 for an empty array.';
CREATE FUNCTION pgml.norm_l2(vector double precision[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l2(double precision[]) IS
    'The L2 (Euclidean) norm: the square root of the sum of squares, without overflow for large values; 0 for an empty array.';
CREATE FUNCTION pgml.norm_l2(vector numeric[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l2(numeric[]) IS
    'The L2 (Euclidean) norm: the square root of the sum of squares, without overflow for large values; 0 for an empty array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.norm_l2(vector integer[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l2(integer[]) IS
    'The L2 (Euclidean) norm: the square root of the sum of squares, without overflow for large values; 0 for an empty array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.norm_l2(vector bigint[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_l2(bigint[]) IS
    'The L2 (Euclidean) norm: the square root of the sum of squares, without overflow for large values; 0 for an empty array. Computed in double precision.';

-- pgml.norm_max
CREATE FUNCTION pgml.norm_max(vector real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_vector_norm_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_max(real[]) IS
    'The maximum norm: the largest absolute value (NaN if any element is NaN); 0 for an empty array.';
CREATE FUNCTION pgml.norm_max(vector double precision[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_max(double precision[]) IS
    'The maximum norm: the largest absolute value (NaN if any element is NaN); 0 for an empty array.';
CREATE FUNCTION pgml.norm_max(vector numeric[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_max(numeric[]) IS
    'The maximum norm: the largest absolute value (NaN if any element is NaN); 0 for an empty array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.norm_max(vector integer[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_max(integer[]) IS
    'The maximum norm: the largest absolute value (NaN if any element is NaN); 0 for an empty array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.norm_max(vector bigint[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_norm_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.norm_max(bigint[]) IS
    'The maximum norm: the largest absolute value (NaN if any element is NaN); 0 for an empty array. Computed in double precision.';

-- pgml.normalize_l1
CREATE FUNCTION pgml.normalize_l1(vector real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l1(real[]) IS
    'vector divided by its L1 norm; an all-zero vector gives NaNs, an empty one {}.';
CREATE FUNCTION pgml.normalize_l1(vector double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l1(double precision[]) IS
    'vector divided by its L1 norm; an all-zero vector gives NaNs, an empty one {}.';
CREATE FUNCTION pgml.normalize_l1(vector numeric[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l1(numeric[]) IS
    'vector divided by its L1 norm; an all-zero vector gives NaNs, an empty one {}. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.normalize_l1(vector integer[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l1(integer[]) IS
    'vector divided by its L1 norm; an all-zero vector gives NaNs, an empty one {}. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.normalize_l1(vector bigint[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l1(bigint[]) IS
    'vector divided by its L1 norm; an all-zero vector gives NaNs, an empty one {}. Computed in double precision.';

-- pgml.normalize_l2
CREATE FUNCTION pgml.normalize_l2(vector real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l2(real[]) IS
    'vector divided by its L2 norm (a unit vector); an all-zero vector gives NaNs, an empty one {}.';
CREATE FUNCTION pgml.normalize_l2(vector double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l2(double precision[]) IS
    'vector divided by its L2 norm (a unit vector); an all-zero vector gives NaNs, an empty one {}.';
CREATE FUNCTION pgml.normalize_l2(vector numeric[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l2(numeric[]) IS
    'vector divided by its L2 norm (a unit vector); an all-zero vector gives NaNs, an empty one {}. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.normalize_l2(vector integer[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l2(integer[]) IS
    'vector divided by its L2 norm (a unit vector); an all-zero vector gives NaNs, an empty one {}. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.normalize_l2(vector bigint[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_l2(bigint[]) IS
    'vector divided by its L2 norm (a unit vector); an all-zero vector gives NaNs, an empty one {}. Computed in double precision.';

-- pgml.normalize_max
CREATE FUNCTION pgml.normalize_max(vector real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_max(real[]) IS
    'vector divided by its largest absolute value; an all-zero vector gives NaNs, an empty one {}.';
CREATE FUNCTION pgml.normalize_max(vector double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_max(double precision[]) IS
    'vector divided by its largest absolute value; an all-zero vector gives NaNs, an empty one {}.';
CREATE FUNCTION pgml.normalize_max(vector numeric[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_max(numeric[]) IS
    'vector divided by its largest absolute value; an all-zero vector gives NaNs, an empty one {}. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.normalize_max(vector integer[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_max(integer[]) IS
    'vector divided by its largest absolute value; an all-zero vector gives NaNs, an empty one {}. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.normalize_max(vector bigint[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_normalize_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.normalize_max(bigint[]) IS
    'vector divided by its largest absolute value; an all-zero vector gives NaNs, an empty one {}. Computed in double precision.';

-- pgml.distance_l1
CREATE FUNCTION pgml.distance_l1(vector real[], other real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l1(real[], real[]) IS
    'The L1 (Manhattan) distance: the sum of absolute differences. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.distance_l1(vector double precision[], other double precision[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l1(double precision[], double precision[]) IS
    'The L1 (Manhattan) distance: the sum of absolute differences. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.distance_l1(vector numeric[], other numeric[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l1(numeric[], numeric[]) IS
    'The L1 (Manhattan) distance: the sum of absolute differences. Stops at the end of the shorter array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.distance_l1(vector integer[], other integer[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l1(integer[], integer[]) IS
    'The L1 (Manhattan) distance: the sum of absolute differences. Stops at the end of the shorter array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.distance_l1(vector bigint[], other bigint[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l1' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l1(bigint[], bigint[]) IS
    'The L1 (Manhattan) distance: the sum of absolute differences. Stops at the end of the shorter array. Computed in double precision.';

-- pgml.distance_l2
CREATE FUNCTION pgml.distance_l2(vector real[], other real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l2(real[], real[]) IS
    'The L2 (Euclidean) distance: the square root of the sum of squared differences. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.distance_l2(vector double precision[], other double precision[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l2(double precision[], double precision[]) IS
    'The L2 (Euclidean) distance: the square root of the sum of squared differences. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.distance_l2(vector numeric[], other numeric[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l2(numeric[], numeric[]) IS
    'The L2 (Euclidean) distance: the square root of the sum of squared differences. Stops at the end of the shorter array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.distance_l2(vector integer[], other integer[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l2(integer[], integer[]) IS
    'The L2 (Euclidean) distance: the square root of the sum of squared differences. Stops at the end of the shorter array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.distance_l2(vector bigint[], other bigint[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_distance_l2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.distance_l2(bigint[], bigint[]) IS
    'The L2 (Euclidean) distance: the square root of the sum of squared differences. Stops at the end of the shorter array. Computed in double precision.';

-- pgml.dot_product
CREATE FUNCTION pgml.dot_product(vector real[], other real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_vector_dot_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.dot_product(real[], real[]) IS
    'The dot product: the sum of element-wise products. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.dot_product(vector double precision[], other double precision[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_dot_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.dot_product(double precision[], double precision[]) IS
    'The dot product: the sum of element-wise products. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.dot_product(vector numeric[], other numeric[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_dot_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.dot_product(numeric[], numeric[]) IS
    'The dot product: the sum of element-wise products. Stops at the end of the shorter array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.dot_product(vector integer[], other integer[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_dot_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.dot_product(integer[], integer[]) IS
    'The dot product: the sum of element-wise products. Stops at the end of the shorter array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.dot_product(vector bigint[], other bigint[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_dot_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.dot_product(bigint[], bigint[]) IS
    'The dot product: the sum of element-wise products. Stops at the end of the shorter array. Computed in double precision.';

-- pgml.cosine_similarity
CREATE FUNCTION pgml.cosine_similarity(vector real[], other real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_vector_cosine_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.cosine_similarity(real[], real[]) IS
    'The cosine of the angle between vector and other, in [-1, 1]; NaN when either is all zeros or empty. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.cosine_similarity(vector double precision[], other double precision[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_cosine_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.cosine_similarity(double precision[], double precision[]) IS
    'The cosine of the angle between vector and other, in [-1, 1]; NaN when either is all zeros or empty. Stops at the end of the shorter array.';
CREATE FUNCTION pgml.cosine_similarity(vector numeric[], other numeric[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_cosine_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.cosine_similarity(numeric[], numeric[]) IS
    'The cosine of the angle between vector and other, in [-1, 1]; NaN when either is all zeros or empty. Stops at the end of the shorter array. Computed in double precision; resolves PostgresML 1.0 calls written with numeric literals (ARRAY[1.0, 2.0]).';
CREATE FUNCTION pgml.cosine_similarity(vector integer[], other integer[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_cosine_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.cosine_similarity(integer[], integer[]) IS
    'The cosine of the angle between vector and other, in [-1, 1]; NaN when either is all zeros or empty. Stops at the end of the shorter array. Computed in double precision; resolves calls written with integer literals (ARRAY[1, 2]).';
CREATE FUNCTION pgml.cosine_similarity(vector bigint[], other bigint[]) RETURNS double precision
AS 'MODULE_PATHNAME', 'pgml_vector_cosine_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.cosine_similarity(bigint[], bigint[]) IS
    'The cosine of the angle between vector and other, in [-1, 1]; NaN when either is all zeros or empty. Stops at the end of the shorter array. Computed in double precision.';

-- Element-wise aggregates over real[] and double precision[] rows. The state is the result
-- array itself (updated in place in the aggregate's memory), so they run in parallel without
-- serialization. NULL rows are ignored and no non-NULL rows give {}; the first non-NULL array
-- fixes the length: a later shorter array updates a prefix, a longer one is an ERROR.

-- aggregates over real[]
CREATE FUNCTION pgml.vector_sum_trans(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_sum_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_sum_trans(real[], real[]) IS
    'Transition function of pgml.sum(real[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_sum_combine(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_sum_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_sum_combine(real[], real[]) IS
    'Combine function of pgml.sum(real[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_min_trans(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_min_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_min_trans(real[], real[]) IS
    'Transition function of pgml.min(real[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_min_combine(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_min_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_min_combine(real[], real[]) IS
    'Combine function of pgml.min(real[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_max_trans(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_max_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_max_trans(real[], real[]) IS
    'Transition function of pgml.max(real[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_max_combine(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_max_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_max_combine(real[], real[]) IS
    'Combine function of pgml.max(real[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_min_abs_trans(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_min_abs_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_min_abs_trans(real[], real[]) IS
    'Transition function of pgml.min_abs(real[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_min_abs_combine(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_min_abs_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_min_abs_combine(real[], real[]) IS
    'Combine function of pgml.min_abs(real[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_max_abs_trans(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_max_abs_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_max_abs_trans(real[], real[]) IS
    'Transition function of pgml.max_abs(real[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_max_abs_combine(real[], real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_max_abs_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_max_abs_combine(real[], real[]) IS
    'Combine function of pgml.max_abs(real[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_agg_final(real[]) RETURNS real[]
AS 'MODULE_PATHNAME', 'pgml_vector_agg_final_s' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_agg_final(real[]) IS
    'Final function of the real[] vector aggregates: a copy of the state, or {} when no row was aggregated.';
CREATE AGGREGATE pgml.sum(real[]) (
    SFUNC = pgml.vector_sum_trans,
    STYPE = real[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_sum_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.sum(real[]) IS
    'Element-wise sum of the arrays (accumulated in real, as PostgresML does). There is no average aggregate: use pgml.divide(pgml.sum(v), count(v)). NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';
CREATE AGGREGATE pgml.min(real[]) (
    SFUNC = pgml.vector_min_trans,
    STYPE = real[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_min_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.min(real[]) IS
    'Element-wise minimum of the arrays (NaN only where every value is NaN). Call it as pgml.min unless pgml is on the search_path: min(array) alone is otherwise PostgreSQL''s min(anyarray), which compares whole arrays. NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';
CREATE AGGREGATE pgml.max(real[]) (
    SFUNC = pgml.vector_max_trans,
    STYPE = real[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_max_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.max(real[]) IS
    'Element-wise maximum of the arrays (NaN wherever any value is NaN). Call it as pgml.max unless pgml is on the search_path: max(array) alone is otherwise PostgreSQL''s max(anyarray), which compares whole arrays. NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';
CREATE AGGREGATE pgml.min_abs(real[]) (
    SFUNC = pgml.vector_min_abs_trans,
    STYPE = real[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_min_abs_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.min_abs(real[]) IS
    'Element-wise minimum of the absolute values of the arrays. NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';
CREATE AGGREGATE pgml.max_abs(real[]) (
    SFUNC = pgml.vector_max_abs_trans,
    STYPE = real[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_max_abs_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.max_abs(real[]) IS
    'Element-wise maximum of the absolute values of the arrays. NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';

-- aggregates over double precision[]
CREATE FUNCTION pgml.vector_sum_trans(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_sum_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_sum_trans(double precision[], double precision[]) IS
    'Transition function of pgml.sum(double precision[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_sum_combine(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_sum_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_sum_combine(double precision[], double precision[]) IS
    'Combine function of pgml.sum(double precision[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_min_trans(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_min_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_min_trans(double precision[], double precision[]) IS
    'Transition function of pgml.min(double precision[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_min_combine(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_min_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_min_combine(double precision[], double precision[]) IS
    'Combine function of pgml.min(double precision[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_max_trans(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_max_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_max_trans(double precision[], double precision[]) IS
    'Transition function of pgml.max(double precision[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_max_combine(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_max_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_max_combine(double precision[], double precision[]) IS
    'Combine function of pgml.max(double precision[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_min_abs_trans(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_min_abs_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_min_abs_trans(double precision[], double precision[]) IS
    'Transition function of pgml.min_abs(double precision[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_min_abs_combine(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_min_abs_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_min_abs_combine(double precision[], double precision[]) IS
    'Combine function of pgml.min_abs(double precision[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_max_abs_trans(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_max_abs_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_max_abs_trans(double precision[], double precision[]) IS
    'Transition function of pgml.max_abs(double precision[]); updates its state in place when called by the aggregate.';
CREATE FUNCTION pgml.vector_max_abs_combine(double precision[], double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_max_abs_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_max_abs_combine(double precision[], double precision[]) IS
    'Combine function of pgml.max_abs(double precision[]) for parallel aggregation; the longer state keeps its tail.';
CREATE FUNCTION pgml.vector_agg_final(double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'pgml_vector_agg_final_d' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pgml.vector_agg_final(double precision[]) IS
    'Final function of the double precision[] vector aggregates: a copy of the state, or {} when no row was aggregated.';
CREATE AGGREGATE pgml.sum(double precision[]) (
    SFUNC = pgml.vector_sum_trans,
    STYPE = double precision[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_sum_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.sum(double precision[]) IS
    'Element-wise sum of the arrays. There is no average aggregate: use pgml.divide(pgml.sum(v), count(v)). NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';
CREATE AGGREGATE pgml.min(double precision[]) (
    SFUNC = pgml.vector_min_trans,
    STYPE = double precision[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_min_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.min(double precision[]) IS
    'Element-wise minimum of the arrays (NaN only where every value is NaN). Call it as pgml.min unless pgml is on the search_path: min(array) alone is otherwise PostgreSQL''s min(anyarray), which compares whole arrays. NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';
CREATE AGGREGATE pgml.max(double precision[]) (
    SFUNC = pgml.vector_max_trans,
    STYPE = double precision[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_max_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.max(double precision[]) IS
    'Element-wise maximum of the arrays (NaN wherever any value is NaN). Call it as pgml.max unless pgml is on the search_path: max(array) alone is otherwise PostgreSQL''s max(anyarray), which compares whole arrays. NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';
CREATE AGGREGATE pgml.min_abs(double precision[]) (
    SFUNC = pgml.vector_min_abs_trans,
    STYPE = double precision[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_min_abs_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.min_abs(double precision[]) IS
    'Element-wise minimum of the absolute values of the arrays. NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';
CREATE AGGREGATE pgml.max_abs(double precision[]) (
    SFUNC = pgml.vector_max_abs_trans,
    STYPE = double precision[],
    FINALFUNC = pgml.vector_agg_final,
    COMBINEFUNC = pgml.vector_max_abs_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pgml.max_abs(double precision[]) IS
    'Element-wise maximum of the absolute values of the arrays. NULL rows are ignored and no rows give {}; the first array fixes the length: later arrays may be shorter (they update a prefix), not longer.';

-- predict(bigint, anyelement) (the row form) would make every array other than real[]
-- ambiguous for the model id form: these keep integer and numeric literal arrays resolving.
CREATE FUNCTION pgml.predict(model_id bigint, features double precision[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(bigint, double precision[]) IS 'Predicts with one model by id, deployed or not.';
CREATE FUNCTION pgml.predict(model_id bigint, features smallint[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(bigint, smallint[]) IS 'Predicts with one model by id; multi-dimensional arrays are flattened.';
CREATE FUNCTION pgml.predict(model_id bigint, features integer[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(bigint, integer[]) IS 'Predicts with one model by id, deployed or not.';
CREATE FUNCTION pgml.predict(model_id bigint, features bigint[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(bigint, bigint[]) IS 'Predicts with one model by id, deployed or not.';
CREATE FUNCTION pgml.predict(model_id bigint, features numeric[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(bigint, numeric[]) IS 'Predicts with one model by id; resolves calls written with numeric literals.';
CREATE FUNCTION pgml.predict(model_id bigint, features boolean[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_predict_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.predict(bigint, boolean[]) IS 'Predicts with one model by id; booleans are 0 and 1.';

-- PostgresML's transformer, embedding and LLM functions are out of scope (nothing can be
-- downloaded, and pgml runs no torch). Their names exist so that a call says so clearly
-- instead of "function does not exist".
CREATE FUNCTION pgml.not_supported(feature text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION 'pgml.% is not supported: pgml has no transformers, embeddings or LLM runtime', feature
        USING ERRCODE = 'feature_not_supported',
              HINT = 'pgml trains and serves tabular models (pgml.train, pgml.predict); see docs/differences-from-postgresml.md.';
END
$$;
COMMENT ON FUNCTION pgml.not_supported(text) IS 'Raises the "not supported" error of the out-of-scope PostgresML functions.';

CREATE FUNCTION pgml.embed(transformer text, text text, kwargs jsonb DEFAULT '{}') RETURNS real[]
LANGUAGE sql AS $$ SELECT pgml.not_supported('embed'); SELECT NULL::real[] $$;
COMMENT ON FUNCTION pgml.embed(text, text, jsonb) IS 'PostgresML 2.x embeddings: not supported by pgml (raises an error).';
CREATE FUNCTION pgml.embed(transformer text, inputs text[], kwargs jsonb DEFAULT '{}') RETURNS SETOF real[]
LANGUAGE sql AS $$ SELECT pgml.not_supported('embed'); SELECT NULL::real[] $$;
COMMENT ON FUNCTION pgml.embed(text, text[], jsonb) IS 'PostgresML 2.x embeddings: not supported by pgml (raises an error).';
CREATE FUNCTION pgml.transform(task jsonb, args jsonb DEFAULT '{}', inputs text[] DEFAULT ARRAY[]::text[], cache boolean DEFAULT false) RETURNS jsonb
LANGUAGE sql AS $$ SELECT pgml.not_supported('transform'); SELECT NULL::jsonb $$;
COMMENT ON FUNCTION pgml.transform(jsonb, jsonb, text[], boolean) IS 'PostgresML transformers pipeline: not supported by pgml (raises an error).';
CREATE FUNCTION pgml.transform(task text, args jsonb DEFAULT '{}', inputs text[] DEFAULT ARRAY[]::text[], cache boolean DEFAULT false) RETURNS jsonb
LANGUAGE sql AS $$ SELECT pgml.not_supported('transform'); SELECT NULL::jsonb $$;
COMMENT ON FUNCTION pgml.transform(text, jsonb, text[], boolean) IS 'PostgresML transformers pipeline: not supported by pgml (raises an error).';
CREATE FUNCTION pgml.generate(project_name text, inputs text, config jsonb DEFAULT '{}') RETURNS text
LANGUAGE sql AS $$ SELECT pgml.not_supported('generate'); SELECT NULL::text $$;
COMMENT ON FUNCTION pgml.generate(text, text, jsonb) IS 'PostgresML text generation: not supported by pgml (raises an error).';
CREATE FUNCTION pgml.generate(project_name text, inputs text[], config jsonb DEFAULT '{}') RETURNS SETOF text
LANGUAGE sql AS $$ SELECT pgml.not_supported('generate'); SELECT NULL::text $$;
COMMENT ON FUNCTION pgml.generate(text, text[], jsonb) IS 'PostgresML text generation: not supported by pgml (raises an error).';
CREATE FUNCTION pgml.tune(
    project_name text,
    task text DEFAULT NULL,
    relation_name text DEFAULT NULL,
    y_column_name text DEFAULT NULL,
    model_name text DEFAULT NULL,
    hyperparams jsonb DEFAULT '{}',
    test_size real DEFAULT 0.25,
    test_sampling text DEFAULT 'stratified',
    automatic_deploy boolean DEFAULT true,
    materialize_snapshot boolean DEFAULT false
) RETURNS TABLE (status text, task text, algorithm text, deployed boolean)
LANGUAGE sql AS $$ SELECT pgml.not_supported('tune'); SELECT NULL::text, NULL::text, NULL::text, NULL::boolean $$;
COMMENT ON FUNCTION pgml.tune(text, text, text, text, text, jsonb, real, text, boolean, boolean) IS
'PostgresML fine-tuning of transformers: not supported by pgml (raises an error).';
CREATE FUNCTION pgml.chunk(splitter text, text text, kwargs jsonb DEFAULT '{}') RETURNS TABLE (chunk_index bigint, chunk text)
LANGUAGE sql AS $$ SELECT pgml.not_supported('chunk'); SELECT NULL::bigint, NULL::text $$;
COMMENT ON FUNCTION pgml.chunk(text, text, jsonb) IS 'PostgresML LangChain text splitters: not supported by pgml (raises an error).';
CREATE FUNCTION pgml.rank(transformer text, query text, documents text[], kwargs jsonb DEFAULT '{}') RETURNS TABLE (corpus_id bigint, score double precision, text text)
LANGUAGE sql AS $$ SELECT pgml.not_supported('rank'); SELECT NULL::bigint, NULL::double precision, NULL::text $$;
COMMENT ON FUNCTION pgml.rank(text, text, text[], jsonb) IS 'PostgresML cross-encoder ranking: not supported by pgml (raises an error).';

-- PostgresML 2.x utility functions and metric helpers (docs/sql-reference.md, section 6).

-- dump_all / load_all: server-side COPY of pgml's tables, so the caller needs superuser or
-- pg_write_server_files / pg_read_server_files; PostgreSQL's own permission error surfaces.
CREATE FUNCTION pgml.dump_all(path text) RETURNS void
LANGUAGE plpgsql VOLATILE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'snapshots', 'models', 'files', 'deployments'] LOOP
        EXECUTE pg_catalog.format('COPY pgml.%I TO %L CSV HEADER', t, path || '/' || t || '.csv');
    END LOOP;
END
$$;
COMMENT ON FUNCTION pgml.dump_all(text) IS
'Writes pgml.projects, snapshots, models, files and deployments to <path>/<table>.csv (server-side COPY, CSV with a header); needs superuser or pg_write_server_files.';

CREATE FUNCTION pgml.load_all(path text) RETURNS void
LANGUAGE plpgsql VOLATILE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t text;
    max_id bigint;
BEGIN
    -- Referenced tables first: models need projects and snapshots, files and deployments models.
    FOREACH t IN ARRAY ARRAY['projects', 'snapshots', 'models', 'files', 'deployments'] LOOP
        EXECUTE pg_catalog.format('COPY pgml.%I FROM %L CSV HEADER', t, path || '/' || t || '.csv');
    END LOOP;
    -- Unlike 2.x, move each id sequence past the loaded ids, so that the next train or
    -- deploy does not collide with them.
    FOREACH t IN ARRAY ARRAY['projects', 'snapshots', 'models', 'files', 'deployments'] LOOP
        EXECUTE pg_catalog.format('SELECT max(id) FROM pgml.%I', t) INTO max_id;
        IF max_id IS NOT NULL THEN
            PERFORM pg_catalog.setval(pg_catalog.pg_get_serial_sequence(pg_catalog.format('pgml.%I', t), 'id')::pg_catalog.regclass, max_id);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION pgml.load_all(text) IS
'Loads <path>/<table>.csv files written by pgml.dump_all into projects, snapshots, models, files and deployments (server-side COPY; needs superuser or pg_read_server_files), then sets each id sequence to the largest id.';

-- pgml.so refuses to load from shared_preload_libraries (its Go runtime does not survive the
-- postmaster's fork): each backend loads it on first use. There is nothing to validate.
CREATE FUNCTION pgml.validate_shared_library() RETURNS void
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $$;
COMMENT ON FUNCTION pgml.validate_shared_library() IS
'PostgresML 2.x compatibility: succeeds. 2.x requires pgml in shared_preload_libraries; this pgml must not be preloaded (the Go runtime does not survive fork) and loads in each backend on first use.';

CREATE FUNCTION pgml.xgboost_version() RETURNS text
AS 'MODULE_PATHNAME', 'pgml_xgboost_version' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgml.xgboost_version() IS
'The version of the XGBoost C library (libxgboost.so.0) that pgml''s xgboost algorithms use; an error when it is not installed.';

CREATE FUNCTION pgml.python_pip_freeze() RETURNS TABLE (package text)
AS 'MODULE_PATHNAME', 'pgml_python_pip_freeze' LANGUAGE C VOLATILE ROWS 100;
COMMENT ON FUNCTION pgml.python_pip_freeze() IS
'One row name==version per Python distribution installed for the embedded interpreter (importlib.metadata), sorted by name.';

CREATE FUNCTION pgml.activate_venv(venv text) RETURNS boolean
AS 'MODULE_PATHNAME', 'pgml_activate_venv' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION pgml.activate_venv(text) IS
'Superuser only: puts <venv>/lib/python3.X/site-packages ahead of the system packages for this backend''s Python; false when <venv>/bin/activate_this.py is missing. Modules already imported are not reloaded.';

-- The metric helpers are computed natively (no Python), with scikit-learn's definitions.
CREATE FUNCTION pgml.sklearn_f1_score(ground_truth real[], y_hat real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_sklearn_f1_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.sklearn_f1_score(real[], real[]) IS
'scikit-learn''s f1_score with its default average=''binary'': the f1 score of the label 1; more than two labels are an error.';

CREATE FUNCTION pgml.sklearn_r2_score(ground_truth real[], y_hat real[]) RETURNS real
AS 'MODULE_PATHNAME', 'pgml_sklearn_r2_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.sklearn_r2_score(real[], real[]) IS
'scikit-learn''s r2_score (coefficient of determination); NaN for a single value.';

CREATE FUNCTION pgml.sklearn_regression_metrics(ground_truth real[], y_hat real[]) RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgml_sklearn_regression_metrics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.sklearn_regression_metrics(real[], real[]) IS
'{"r2", "mse", "mae"}: scikit-learn''s r2_score, mean_squared_error and mean_absolute_error, as real values.';

CREATE FUNCTION pgml.sklearn_classification_metrics(ground_truth real[], y_hat real[], num_classes bigint) RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgml_sklearn_classification_metrics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pgml.sklearn_classification_metrics(real[], real[], bigint) IS
'{"f1", "f1_micro", "precision", "recall", "accuracy", "mcc"} as scikit-learn computes them, plus "roc_auc" of the predicted labels when num_classes = 2; f1, precision and recall are binary (label 1) with up to two distinct labels, macro averages with more.';
