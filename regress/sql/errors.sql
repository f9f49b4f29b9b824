-- Every misuse is a clean ERROR and the backend survives it.
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.train('Errors', 'classification', 'pgml.iris', 'target');

-- Unknown project without a task.
SELECT * FROM pgml.train('No Such Project');
-- Missing relation, missing column, unknown task, unknown algorithm.
SELECT * FROM pgml.train('E1', 'regression', 'no_such_table', 'y');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'no_such_column');
SELECT * FROM pgml.train('E1', 'regresion', 'pgml.iris', 'target');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', algorithm => 'linear_regression');
-- Known algorithms that this build cannot train, and runtimes.
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', algorithm => 'theil_sen', runtime => 'go');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', algorithm => 'kmeans');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', algorithm => 'transformers', runtime => 'rust');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', runtime => 'java');
-- Unsupported argument values name the allowed ones.
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', test_sampling => 'middle');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', test_size => 0);
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', test_size => 150);
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', search => 'annealing');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', hyperparams => '{"fit_intercept": "maybe"}');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', hyperparams => '{"alpha": 1}');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', hyperparams => '[1, 2]');
-- A number beyond double precision is named with its key, not as a malformed object; values
-- are quoted as JSON, never in Go's notation.
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', algorithm => 'xgboost', hyperparams => '{"n_estimators": 1e400}');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', hyperparams => '{"fit_intercept": {"a": 1}}');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', algorithm => 'stochastic_gradient_descent', hyperparams => '{"learning_rate": 1}');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', algorithm => 'knn', hyperparams => '{"weights": ["uniform"]}');
-- An existing project with another task.
SELECT * FROM pgml.train('Errors', 'regression', 'pgml.iris', 'target');
-- First training without a relation, or a relation without a label.
SELECT * FROM pgml.train('E2', 'regression');
SELECT * FROM pgml.train('E2', 'regression', 'pgml.iris');
-- An empty training table, NULL labels, NULL features, text features.
CREATE TABLE empty_table (x real, y real);
SELECT * FROM pgml.train('E3', 'regression', 'empty_table', 'y');
CREATE TABLE null_label AS SELECT x::real AS x, CASE WHEN x % 10 = 0 THEN NULL ELSE x END::real AS y FROM generate_series(1, 50) x;
SELECT * FROM pgml.train('E3', 'regression', 'null_label', 'y');
CREATE TABLE null_feature AS SELECT CASE WHEN x % 10 = 0 THEN NULL ELSE x END::real AS x, x::real AS y FROM generate_series(1, 50) x;
SELECT * FROM pgml.train('E3', 'regression', 'null_feature', 'y');
CREATE TABLE text_feature AS SELECT x::text AS x, x::real AS y FROM generate_series(1, 50) x;
SELECT * FROM pgml.train('E3', 'regression', 'text_feature', 'y');
CREATE TABLE ragged AS SELECT ARRAY[x, x]::real[] AS x, x::real AS y FROM generate_series(1, 5) x
    UNION ALL SELECT ARRAY[1, 2, 3]::real[], 6;
SELECT * FROM pgml.train('E3', 'regression', 'ragged', 'y');
-- SQL in relation_name or y_column_name is a name that does not exist, never SQL.
SELECT * FROM pgml.train('E4', 'regression', 'pgml.iris; DROP TABLE pgml.models', 'target');
SELECT * FROM pgml.train('E4', 'regression', 'pgml.iris', 'target"; DROP TABLE pgml.models; --');
SELECT * FROM pgml.train('E4', 'regression', 'pgml.iris', 'target FROM pgml.iris; DROP TABLE pgml.models; --');
SELECT count(*) > 0 AS models_intact FROM pgml.models;
-- Quoting is respected: a mixed-case, spaced name works only when quoted.
CREATE TABLE "Mixed Case" ("Feature One" real, "Label" real);
INSERT INTO "Mixed Case" SELECT x, 2 * x + 1 FROM generate_series(1, 20) x;
SELECT * FROM pgml.train('Quoted', 'regression', 'Mixed Case', 'Label');
SELECT * FROM pgml.train('Quoted', 'regression', '"Mixed Case"', 'Label', test_sampling => 'last');
SELECT round(pgml.predict('Quoted', ARRAY[100])::numeric, 1) AS prediction;

-- Prediction misuse: wrong feature count, NULL feature, empty array, unknown project,
-- a project without deployments, an unknown model id.
SELECT pgml.predict('Errors', ARRAY[1, 2, 3]);
SELECT pgml.predict('Errors', ARRAY[1, 2, NULL, 4]);
SELECT pgml.predict('Errors', ARRAY[]::real[]);
SELECT pgml.predict('No Such Project', ARRAY[1, 2, 3, 4]);
INSERT INTO pgml.projects (name, task) VALUES ('Never Deployed', 'regression');
SELECT pgml.predict('Never Deployed', ARRAY[1, 2, 3, 4]);
SELECT pgml.predict(-1, ARRAY[1, 2, 3, 4]);
SELECT pgml.model_predict(-1, ARRAY[1, 2, 3, 4]);
SELECT pgml.predict_joint('Errors', ARRAY[1, 2, 3]);
-- Deploy misuse.
SELECT * FROM pgml.deploy('No Such Project', 'best_score');
SELECT * FROM pgml.deploy('Errors', 'worst_score');
SELECT * FROM pgml.deploy('Errors', 'new_score');
SELECT * FROM pgml.deploy('Errors', 'best_score', 'xgboost');
SELECT * FROM pgml.deploy('Errors', 'best_score', 'no_such_algorithm');
SELECT * FROM pgml.deploy('Errors', 'rollback');
SELECT * FROM pgml.deploy(-1);
-- Dataset misuse.
SELECT * FROM pgml.load_dataset('no_such_dataset');
SELECT * FROM pgml.load_dataset('iris', subset => 'x');

-- After all of that, the same backend still predicts.
SELECT pgml.predict('Errors', ARRAY[5.1, 3.5, 1.4, 0.2]) AS still_works;
-- More misuse (PostgresML's table of common errors): joint training without labels, an
-- algorithm the task cannot use, probabilities from a regression, joint from a classifier.
SELECT * FROM pgml.train_joint('E2', 'regression', 'pgml.iris');
SELECT * FROM pgml.train('E1', 'regression', 'pgml.iris', 'target', algorithm => 'perceptron');
SELECT pgml.predict_proba('Quoted', ARRAY[100]);
SELECT pgml.predict_joint('Errors', ARRAY[1, 2, 3, 4]);
SELECT pgml.decompose('Quoted', ARRAY[100]);
-- Out of scope: transformers, embeddings and LLM functions say so.
SELECT pgml.embed('intfloat/e5-small', 'hello');
SELECT * FROM pgml.embed('intfloat/e5-small', ARRAY['hello', 'world']);
SELECT pgml.transform('text-classification', inputs => ARRAY['I love it']);
SELECT pgml.transform('{"task": "text-generation"}'::jsonb, inputs => ARRAY['Once']);
SELECT pgml.generate('gpt2', 'Once upon a time');
SELECT * FROM pgml.tune('Reviews', 'text-classification', 'reviews', 'label', 'distilbert-base-uncased');
SELECT * FROM pgml.chunk('recursive_character', 'some text');
SELECT * FROM pgml.rank('cross-encoder', 'q', ARRAY['a', 'b']);
