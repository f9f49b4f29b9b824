-- Soak test fixture (build/soak.sh): project soak (ridge regression) trained on one of three
-- overlapping slices of soak_data; the inputs the predicting clients use; the tables the
-- scripts log to.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION pgml;

CREATE TABLE soak_data AS
SELECT i AS id, ((i * 37) % 101) / 10.0::real AS x1, ((i * 11) % 13)::real AS x2, (i % 7)::real AS x3,
       (3 * ((i * 37) % 101) / 10.0 - 2 * ((i * 11) % 13) + (i % 7) + ((i * 7919) % 17) / 4.0)::real AS y
FROM generate_series(1, 600) i;
-- Three training relations: each leaves out another third of the rows.
CREATE VIEW soak_train_0 AS SELECT x1, x2, x3, y FROM soak_data WHERE id % 3 <> 0;
CREATE VIEW soak_train_1 AS SELECT x1, x2, x3, y FROM soak_data WHERE id % 3 <> 1;
CREATE VIEW soak_train_2 AS SELECT x1, x2, x3, y FROM soak_data WHERE id % 3 <> 2;
-- The churning projects train on a small slice.
CREATE VIEW soak_churn_data AS SELECT x1, x2, x3, y FROM soak_data WHERE id <= 60;

CREATE TABLE soak_inputs AS
SELECT i AS id, ARRAY[((i * 13) % 101) / 10.0, ((i * 5) % 13), (i % 7)]::real[] AS features
FROM generate_series(1, 200) i;
ALTER TABLE soak_inputs ADD PRIMARY KEY (id);

-- One row per prediction: the model the statement saw deployed (by id, in the same statement
-- and snapshot as the prediction) and what pgml.predict by name gave.
CREATE TABLE soak_log (
    id bigserial PRIMARY KEY,
    statement bigint NOT NULL DEFAULT txid_current(), -- each pgbench statement is its own transaction
    input_id int NOT NULL,
    seen_model bigint,
    prediction real,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- Errors the training, deploying and churning scripts caught.
CREATE TABLE soak_errors (
    script text NOT NULL,
    sqlstate text NOT NULL,
    message text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Wrappers: a caught error is logged, so that one error does not end a pgbench client and
-- every error is judged afterwards (build/soak/check.sql).
CREATE FUNCTION soak_log_error(script text, state text, message text) RETURNS void
LANGUAGE sql AS $$ INSERT INTO soak_errors (script, sqlstate, message) VALUES (script, state, message) $$;

-- Every model predicts differently: a slice of the data and a ridge penalty drawn from a
-- million values, so that a prediction tells which model made it.
CREATE FUNCTION soak_retrain(slice int, alpha float8, deploy boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM * FROM pgml.train('soak', relation_name => 'soak_train_' || slice, y_column_name => 'y',
                              algorithm => 'ridge', hyperparams => jsonb_build_object('alpha', alpha),
                              automatic_deploy => deploy);
EXCEPTION WHEN OTHERS THEN
    PERFORM soak_log_error('retrain', SQLSTATE, SQLERRM);
END $$;

CREATE FUNCTION soak_deploy(strategy text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM * FROM pgml.deploy('soak', strategy);
EXCEPTION WHEN OTHERS THEN
    PERFORM soak_log_error('deploy ' || strategy, SQLSTATE, SQLERRM);
END $$;

CREATE FUNCTION soak_churn(client int, n bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    project text := 'churn ' || client || ' ' || n;
BEGIN
    PERFORM * FROM pgml.train(project, 'regression', 'soak_churn_data', 'y', algorithm => 'linear');
    PERFORM pgml.predict(project, ARRAY[1, 2, 3]::real[]);
    DELETE FROM pgml.projects WHERE name = project;
EXCEPTION WHEN OTHERS THEN
    PERFORM soak_log_error('churn', SQLSTATE, SQLERRM);
END $$;

-- The first model, deployed: every prediction has a deployment to see.
SELECT count(*) FROM pgml.train('soak', 'regression', 'soak_train_0', 'y', algorithm => 'ridge');
