-- PostgresML 1.0's examples/multi_classification.sql, replayed unchanged: training from an
-- unqualified view (resolved through search_path) whose rows are a random sample, so
-- statements whose output depends on the fitted models print to /dev/null; the statements
-- after them print what is stable.
\set ON_ERROR_STOP true
SET client_min_messages = warning;
-- The sample is drawn with random(): seeded here, so that pgml.train's label summary and
-- test metrics (INFO lines, which always reach the client) are the same at every run.
SELECT setseed(0.5);

SELECT pgml.load_dataset('iris');

-- view the dataset
SELECT * FROM pgml.iris LIMIT 10;

-- create a view of the dataset
DROP VIEW IF EXISTS iris_view;
CREATE VIEW iris_view AS SELECT * FROM pgml.iris ORDER BY random() LIMIT 100;

-- train a simple model to classify the data
\o /dev/null
SELECT * FROM pgml.train('Iris Flower Types', 'classification', 'iris_view', 'target');
\o
SELECT p.name, p.task, s.relation_name, m.algorithm, m.status
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id JOIN pgml.snapshots s ON s.id = m.snapshot_id
WHERE p.name = 'Iris Flower Types';

-- check out the predictions
\o /dev/null
SELECT target, pgml.predict('Iris Flower Types', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS prediction
FROM iris_view
LIMIT 10;
\o
SELECT count(*) AS rows, count(*) FILTER (WHERE prediction IN (0, 1, 2)) AS valid_classes
FROM (SELECT target, pgml.predict('Iris Flower Types', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS prediction
FROM iris_view
LIMIT 10) p;

\o /dev/null
-- linear models
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'ridge');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'stochastic_gradient_descent');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'perceptron');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'passive_aggressive');

-- support vector machines
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'svm');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'nu_svm');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'linear_svm');

-- ensembles
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'ada_boost');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'bagging');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'extra_trees', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'gradient_boosting_trees', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'random_forest', hyperparams => '{"n_estimators": 10}');

-- other
-- Gaussian Process is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'gaussian_process', hyperparams => '{"max_iter_predict": 100, "warm_start": true}');

-- gradient boosting
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'xgboost', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'xgboost_random_forest', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'lightgbm', hyperparams => '{"n_estimators": 1}');
\o
-- Gaussian Process is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'gaussian_process', hyperparams => '{"max_iter_predict": 100, "warm_start": true}');
-- Histogram Gradient Boosting is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Iris Flower Types', algorithim => 'hist_gradient_boosting', hyperparams => '{"max_iter": 2}');

-- Every train above stored a successful model with the 2.x classification metrics.
SELECT count(*) AS models, count(DISTINCT algorithm) AS algorithms,
       bool_and(status = 'successful') AS successful,
       bool_and(metrics ?& ARRAY['f1', 'precision', 'recall', 'accuracy', 'mcc']) AS metrics
FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Iris Flower Types');

-- check out all that hard work
\o /dev/null
SELECT trained_models.* FROM pgml.trained_models
JOIN pgml.models on models.id = trained_models.id
ORDER BY models.metrics->>'f1' DESC LIMIT 5;
\o

-- deploy the random_forest model for prediction use
\o /dev/null
SELECT * FROM pgml.deploy('Iris Flower Types', 'most_recent', 'random_forest');
\o
-- check out that throughput
\o /dev/null
SELECT * FROM pgml.deployed_models ORDER BY deployed_at DESC LIMIT 5;
\o
SELECT name, algorithm FROM pgml.deployed_models WHERE name = 'Iris Flower Types';

-- do a hyperparam search on your favorite algorithm
\o /dev/null
SELECT pgml.train(
    'Iris Flower Types',
    algorithm => 'gradient_boosting_trees',
    hyperparams => '{"random_state": 0}',
    search => 'grid',
    search_params => '{
        "n_estimators": [10, 20],
        "max_leaf_nodes": [2, 4],
        "criterion": ["friedman_mse", "squared_error"]
    }'
);
\o
-- The search tried every combination with 5 folds and kept the best one's hyperparameters.
SELECT m.search, jsonb_array_length(m.metrics->'search_results'->'params') AS candidates,
       (m.metrics->'search_results'->>'n_splits')::int AS folds,
       m.hyperparams - 'random_state' = m.metrics->'search_results'->'params'->((m.metrics->'search_results'->>'best_index')::int) AS best_is_stored
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'Iris Flower Types' ORDER BY m.id DESC LIMIT 1;

-- deploy the "best" model for prediction use
\o /dev/null
SELECT * FROM pgml.deploy('Iris Flower Types', 'best_score');
\o
-- Several models can tie for the best score: the deployed one has the highest.
SELECT (m.metrics->>'f1')::float8 = (SELECT max((metrics->>'f1')::float8) FROM pgml.models WHERE project_id = d.project_id) AS best_deployed
FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id JOIN pgml.models m ON m.id = d.model_id
WHERE p.name = 'Iris Flower Types' ORDER BY d.id DESC LIMIT 1;
SELECT * FROM pgml.deploy('Iris Flower Types', 'most_recent');
\o /dev/null
SELECT * FROM pgml.deploy('Iris Flower Types', 'rollback');
\o
-- rollback switches to the previously deployed model.
SELECT (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC LIMIT 1)
    <> (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC OFFSET 1 LIMIT 1) AS switched
FROM pgml.projects p WHERE p.name = 'Iris Flower Types';
SELECT * FROM pgml.deploy('Iris Flower Types', 'best_score', 'svm');

-- check out the improved predictions
\o /dev/null
SELECT target, pgml.predict('Iris Flower Types', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS prediction
FROM iris_view
LIMIT 10;
\o
SELECT count(*) AS rows, count(*) FILTER (WHERE prediction IN (0, 1, 2)) AS valid_classes
FROM (SELECT target, pgml.predict('Iris Flower Types', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS prediction
FROM iris_view
LIMIT 10) p;
