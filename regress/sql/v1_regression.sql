-- PostgresML 1.0's examples/regression.sql, replayed unchanged (1.0 spelling
-- orthoganl_matching_pursuit, model_predict, grid search through SELECT pgml.train(...)).
-- Statements whose output depends on the fitted models print to /dev/null; the statements
-- after them print what is stable.
\set ON_ERROR_STOP true
SET client_min_messages = warning;

SELECT pgml.load_dataset('diabetes');

-- view the dataset
SELECT * FROM pgml.diabetes LIMIT 10;

-- train a simple model on the data
SELECT * FROM pgml.train('Diabetes Progression', 'regression', 'pgml.diabetes', 'target');

-- check out the predictions
\o /dev/null
SELECT target, pgml.predict('Diabetes Progression', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS prediction
FROM pgml.diabetes
LIMIT 10;
\o
SELECT count(*) AS rows, corr(target, prediction) > 0.6 AS correlated
FROM (SELECT target, pgml.predict('Diabetes Progression', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS prediction
      FROM pgml.diabetes) p;

-- predict with a specific model
\o /dev/null
SELECT model_id, target, pgml.model_predict(model_id, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS prediction
FROM pgml.diabetes
CROSS JOIN LATERAL (
    SELECT models.id AS model_id FROM pgml.models
    JOIN pgml.projects ON pgml.projects.id = pgml.models.project_id
    WHERE pgml.projects.name = 'Diabetes Progression'
    LIMIT 1
) models
LIMIT 10;
\o
-- model_predict returns one element per output, equal to predict with the same (deployed) model.
SELECT count(*) AS rows, bool_and(array_length(mp, 1) = 1) AS one_output, bool_and(abs(mp[1] - p) < 1e-3) AS same_as_predict
FROM (SELECT pgml.model_predict(m.id, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS mp,
             pgml.predict('Diabetes Progression', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS p
      FROM pgml.diabetes,
           (SELECT model_id AS id FROM pgml.deployments d JOIN pgml.projects pr ON pr.id = d.project_id
            WHERE pr.name = 'Diabetes Progression' ORDER BY d.id DESC LIMIT 1) m
      LIMIT 10) s;

-- linear models
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'ridge');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'lasso');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'elastic_net');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'least_angle');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'lasso_least_angle');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'orthoganl_matching_pursuit');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'bayesian_ridge');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'automatic_relevance_determination');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'stochastic_gradient_descent');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'passive_aggressive');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'ransac');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'theil_sen', hyperparams => '{"max_iter": 10, "max_subpopulation": 100}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'huber');
-- Quantile Regression too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'quantile');

-- support vector machines
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'svm', hyperparams => '{"max_iter": 100}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'nu_svm', hyperparams => '{"max_iter": 10}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'linear_svm', hyperparams => '{"max_iter": 100}');

-- ensembles
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'ada_boost', hyperparams => '{"n_estimators": 5}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'bagging', hyperparams => '{"n_estimators": 5}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'extra_trees', hyperparams => '{"n_estimators": 5}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'gradient_boosting_trees', hyperparams => '{"n_estimators": 5}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'random_forest', hyperparams => '{"n_estimators": 5}');

-- other
-- Kernel Ridge is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'kernel_ridge');
-- Gaussian Process is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'gaussian_process');

-- gradient boosting
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'xgboost', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'xgboost_random_forest', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'lightgbm', hyperparams => '{"n_estimators": 1}');
-- Histogram Gradient Boosting is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Diabetes Progression', algorithm => 'hist_gradient_boosting', hyperparams => '{"max_iter": 10}');

-- Every train above stored a successful model with the 2.x regression metrics.
SELECT count(*) AS models, count(DISTINCT algorithm) AS algorithms,
       bool_and(status = 'successful') AS successful,
       bool_and(metrics ?& ARRAY['r2', 'mean_squared_error', 'mean_absolute_error']) AS metrics
FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Diabetes Progression');

-- check out all that hard work
\o /dev/null
SELECT trained_models.* FROM pgml.trained_models
JOIN pgml.models on models.id = trained_models.id
ORDER BY models.metrics->>'mean_squared_error' DESC LIMIT 5;
\o

-- deploy the random_forest model for prediction use
SELECT * FROM pgml.deploy('Diabetes Progression', 'most_recent', 'random_forest');
-- check out that throughput
\o /dev/null
SELECT * FROM pgml.deployed_models ORDER BY deployed_at DESC LIMIT 5;
\o
SELECT name, algorithm FROM pgml.deployed_models WHERE name = 'Diabetes Progression';

-- do a hyperparam search on your favorite algorithm
\o /dev/null
SELECT pgml.train(
    'Diabetes Progression',
    algorithm => 'xgboost',
    search => 'grid',
    search_params => '{
        "max_depth": [1, 2],
        "n_estimators": [20, 40],
        "learning_rate": [0.1, 0.2]
    }'
);
\o
-- The search tried 8 combinations with 5 folds and kept the best one's hyperparameters.
SELECT m.search, jsonb_array_length(m.metrics->'search_results'->'params') AS candidates,
       (m.metrics->'search_results'->>'n_splits')::int AS folds,
       m.hyperparams ?& ARRAY['max_depth', 'n_estimators', 'learning_rate'] AS best_params_stored,
       m.hyperparams = m.metrics->'search_results'->'params'->((m.metrics->'search_results'->>'best_index')::int) AS best_is_stored
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'Diabetes Progression' ORDER BY m.id DESC LIMIT 1;

-- deploy the "best" model for prediction use
\o /dev/null
SELECT * FROM pgml.deploy('Diabetes Progression', 'best_score');
\o
-- Several models can tie for the best score: the deployed one has the highest.
SELECT (m.metrics->>'r2')::float8 = (SELECT max((metrics->>'r2')::float8) FROM pgml.models WHERE project_id = d.project_id) AS best_deployed
FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id JOIN pgml.models m ON m.id = d.model_id
WHERE p.name = 'Diabetes Progression' ORDER BY d.id DESC LIMIT 1;
SELECT * FROM pgml.deploy('Diabetes Progression', 'most_recent');
\o /dev/null
SELECT * FROM pgml.deploy('Diabetes Progression', 'rollback');
\o
-- rollback switches to the previously deployed model.
SELECT (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC LIMIT 1)
    <> (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC OFFSET 1 LIMIT 1) AS switched
FROM pgml.projects p WHERE p.name = 'Diabetes Progression';
SELECT * FROM pgml.deploy('Diabetes Progression', 'best_score', 'svm');

-- check out the improved predictions
\o /dev/null
SELECT target, pgml.predict('Diabetes Progression', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS prediction
FROM pgml.diabetes
LIMIT 10;
\o
SELECT count(*) AS rows, count(prediction) AS predicted
FROM (SELECT target, pgml.predict('Diabetes Progression', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS prediction
      FROM pgml.diabetes LIMIT 10) p;
