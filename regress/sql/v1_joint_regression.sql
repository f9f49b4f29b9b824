-- PostgresML 1.0's examples/joint_regression.sql, replayed unchanged (1.0 spellings:
-- linnerud.waste, orthoganl_matching_pursuit). Statements whose output depends on the
-- fitted models print to /dev/null; the statements after them print what is stable.
\set ON_ERROR_STOP true
SET client_min_messages = warning;

SELECT pgml.load_dataset('linnerud');

-- view the dataset
SELECT * FROM pgml.linnerud LIMIT 10;

-- train a simple model on the data
SELECT * FROM pgml.train_joint('Exercise vs Physiology', 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse']);

-- check out the predictions
\o /dev/null
SELECT weight, waste, pulse, pgml.predict_joint('Exercise vs Physiology', ARRAY[chins, situps, jumps]) AS prediction
FROM pgml.linnerud
LIMIT 10;
\o
SELECT count(*) AS rows, bool_and(array_length(prediction, 1) = 3) AS three_outputs
FROM (SELECT pgml.predict_joint('Exercise vs Physiology', ARRAY[chins, situps, jumps]) AS prediction
      FROM pgml.linnerud LIMIT 10) p;

-- linear models
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'ridge');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'lasso');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'elastic_net');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'least_angle');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'lasso_least_angle');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'orthoganl_matching_pursuit');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'bayesian_ridge');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'automatic_relevance_determination');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'stochastic_gradient_descent');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'passive_aggressive');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'ransac');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'theil_sen', hyperparams => '{"max_iter": 10, "max_subpopulation": 100}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'huber');
-- Quantile Regression too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'quantile');

-- support vector machines
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'svm', hyperparams => '{"max_iter": 100}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'nu_svm', hyperparams => '{"max_iter": 10}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'linear_svm', hyperparams => '{"max_iter": 100}');

-- ensembles
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'ada_boost', hyperparams => '{"n_estimators": 5}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'bagging', hyperparams => '{"n_estimators": 5}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'extra_trees', hyperparams => '{"n_estimators": 5}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'gradient_boosting_trees', hyperparams => '{"n_estimators": 5}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'random_forest', hyperparams => '{"n_estimators": 5}');

-- other
-- Kernel Ridge is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'kernel_ridge');
-- Gaussian Process is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'gaussian_process');

-- gradient boosting
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'xgboost', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'xgboost_random_forest', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'lightgbm', hyperparams => '{"n_estimators": 1}');
-- Histogram Gradient Boosting is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train_joint('Exercise vs Physiology', algorithm => 'hist_gradient_boosting', hyperparams => '{"max_iter": 10}');

-- Every train above stored a successful model with the 2.x regression metrics.
SELECT count(*) AS models, count(DISTINCT algorithm) AS algorithms,
       bool_and(status = 'successful') AS successful,
       bool_and(metrics ?& ARRAY['r2', 'mean_squared_error', 'mean_absolute_error']) AS metrics
FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Exercise vs Physiology');

-- check out all that hard work
\o /dev/null
SELECT trained_models.* FROM pgml.trained_models
JOIN pgml.models on models.id = trained_models.id
ORDER BY models.metrics->>'mean_squared_error' DESC LIMIT 5;
\o
SELECT count(*) AS listed FROM (SELECT trained_models.* FROM pgml.trained_models
JOIN pgml.models on models.id = trained_models.id
WHERE trained_models.name = 'Exercise vs Physiology'
ORDER BY models.metrics->>'mean_squared_error' DESC LIMIT 5) t;

-- deploy the random_forest model for prediction use
SELECT * FROM pgml.deploy('Exercise vs Physiology', 'most_recent', 'random_forest');
-- check out that throughput
\o /dev/null
SELECT * FROM pgml.deployed_models ORDER BY deployed_at DESC LIMIT 5;
\o
SELECT name, algorithm FROM pgml.deployed_models WHERE name = 'Exercise vs Physiology';

-- deploy the "best" model for prediction use
\o /dev/null
SELECT * FROM pgml.deploy('Exercise vs Physiology', 'best_score');
\o
-- The best model by r2 is deployed (the 2.x rule: the highest r2, compared as numbers).
-- Several models can tie for the best score: the deployed one has the highest.
SELECT (m.metrics->>'r2')::float8 = (SELECT max((metrics->>'r2')::float8) FROM pgml.models WHERE project_id = d.project_id) AS best_deployed
FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id JOIN pgml.models m ON m.id = d.model_id
WHERE p.name = 'Exercise vs Physiology' ORDER BY d.id DESC LIMIT 1;
SELECT * FROM pgml.deploy('Exercise vs Physiology', 'most_recent');
\o /dev/null
SELECT * FROM pgml.deploy('Exercise vs Physiology', 'rollback');
\o
-- rollback switches to the previously deployed model.
SELECT (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC LIMIT 1)
    <> (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC OFFSET 1 LIMIT 1) AS switched
FROM pgml.projects p WHERE p.name = 'Exercise vs Physiology';
SELECT * FROM pgml.deploy('Exercise vs Physiology', 'best_score', 'svm');

-- check out the improved predictions
\o /dev/null
SELECT weight, waste, pulse, pgml.predict_joint('Exercise vs Physiology', ARRAY[chins, situps, jumps]) AS prediction
FROM pgml.linnerud
LIMIT 10;
\o
SELECT count(*) AS rows, bool_and(array_length(prediction, 1) = 3) AS three_outputs
FROM (SELECT pgml.predict_joint('Exercise vs Physiology', ARRAY[chins, situps, jumps]) AS prediction
      FROM pgml.linnerud LIMIT 10) p;
