-- PostgresML 1.0's examples/image_classification.sql, replayed unchanged: a SMALLINT[][]
-- (8x8 image) feature column. Statements whose output depends on the fitted models print to
-- /dev/null; the statements after them print what is stable.
\set ON_ERROR_STOP true
SET client_min_messages = warning;

SELECT pgml.load_dataset('digits');

-- view the dataset
SELECT left(image::text, 40) || ',...}', target FROM pgml.digits LIMIT 10;

-- train a simple model to classify the data
SELECT * FROM pgml.train('Handwritten Digits', 'classification', 'pgml.digits', 'target');

-- check out the predictions
\o /dev/null
SELECT target, pgml.predict('Handwritten Digits', image) AS prediction
FROM pgml.digits
LIMIT 10;
\o
SELECT count(*) AS rows, count(*) FILTER (WHERE prediction BETWEEN 0 AND 9 AND prediction = round(prediction)) AS valid_classes,
       avg((prediction = target)::int) > 0.9 AS accurate
FROM (SELECT target, pgml.predict('Handwritten Digits', image) AS prediction
FROM pgml.digits
) p;

-- linear models
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'ridge');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'stochastic_gradient_descent');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'perceptron');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'passive_aggressive');

-- support vector machines
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'svm');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'nu_svm');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'linear_svm');

-- ensembles
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'ada_boost');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'bagging');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'extra_trees', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'gradient_boosting_trees', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'random_forest', hyperparams => '{"n_estimators": 10}');

-- other
-- Gaussian Process is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'gaussian_process', hyperparams => '{"max_iter_predict": 100, "warm_start": true}');

-- gradient boosting
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'xgboost', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'xgboost_random_forest', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'lightgbm', hyperparams => '{"n_estimators": 1}');
-- Histogram Gradient Boosting is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Handwritten Digits', algorithm => 'hist_gradient_boosting', hyperparams => '{"max_iter": 2}');

-- Every train above stored a successful model with the 2.x classification metrics.
SELECT count(*) AS models, count(DISTINCT algorithm) AS algorithms,
       bool_and(status = 'successful') AS successful,
       bool_and(metrics ?& ARRAY['f1', 'precision', 'recall', 'accuracy', 'mcc']) AS metrics
FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Handwritten Digits');

-- check out all that hard work
\o /dev/null
SELECT trained_models.* FROM pgml.trained_models
JOIN pgml.models on models.id = trained_models.id
ORDER BY models.metrics->>'f1' DESC LIMIT 5;
\o

-- deploy the random_forest model for prediction use
SELECT * FROM pgml.deploy('Handwritten Digits', 'most_recent', 'random_forest');
-- check out that throughput
\o /dev/null
SELECT * FROM pgml.deployed_models ORDER BY deployed_at DESC LIMIT 5;
\o
SELECT name, algorithm FROM pgml.deployed_models WHERE name = 'Handwritten Digits';

-- do a hyperparam search on your favorite algorithm
\o /dev/null
SELECT pgml.train(
    'Handwritten Digits',
    algorithm => 'svm',
    hyperparams => '{"random_state": 0}',
    search => 'grid',
    search_params => '{
        "kernel": ["linear", "poly", "sigmoid"],
        "shrinking": [true, false]
    }'
);
\o
-- The search tried every combination with 5 folds and kept the best one's hyperparameters.
SELECT m.search, jsonb_array_length(m.metrics->'search_results'->'params') AS candidates,
       (m.metrics->'search_results'->>'n_splits')::int AS folds,
       m.hyperparams - 'random_state' = m.metrics->'search_results'->'params'->((m.metrics->'search_results'->>'best_index')::int) AS best_is_stored
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'Handwritten Digits' ORDER BY m.id DESC LIMIT 1;

-- deploy the "best" model for prediction use
\o /dev/null
SELECT * FROM pgml.deploy('Handwritten Digits', 'best_score');
\o
-- Several models can tie for the best score: the deployed one has the highest.
SELECT (m.metrics->>'f1')::float8 = (SELECT max((metrics->>'f1')::float8) FROM pgml.models WHERE project_id = d.project_id) AS best_deployed
FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id JOIN pgml.models m ON m.id = d.model_id
WHERE p.name = 'Handwritten Digits' ORDER BY d.id DESC LIMIT 1;
SELECT * FROM pgml.deploy('Handwritten Digits', 'most_recent');
\o /dev/null
SELECT * FROM pgml.deploy('Handwritten Digits', 'rollback');
\o
-- rollback switches to the previously deployed model.
SELECT (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC LIMIT 1)
    <> (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC OFFSET 1 LIMIT 1) AS switched
FROM pgml.projects p WHERE p.name = 'Handwritten Digits';
SELECT * FROM pgml.deploy('Handwritten Digits', 'best_score', 'svm');

-- check out the improved predictions
\o /dev/null
SELECT target, pgml.predict('Handwritten Digits', image) AS prediction
FROM pgml.digits
LIMIT 10;
\o
SELECT count(*) AS rows, count(*) FILTER (WHERE prediction BETWEEN 0 AND 9 AND prediction = round(prediction)) AS valid_classes
FROM (SELECT target, pgml.predict('Handwritten Digits', image) AS prediction
FROM pgml.digits
LIMIT 10) p;
