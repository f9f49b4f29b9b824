-- PostgresML 1.0's examples/binary_classification.sql, replayed unchanged: a BOOLEAN label,
-- 30 feature columns whose names have spaces. Statements whose output depends on the fitted
-- models print to /dev/null; the statements after them print what is stable.
\set ON_ERROR_STOP true
SET client_min_messages = warning;

SELECT pgml.load_dataset('breast_cancer');

-- view the dataset
SELECT * FROM pgml.breast_cancer LIMIT 10;

-- train a simple model to classify the data
SELECT * FROM pgml.train('Breast Cancer Detection', 'classification', 'pgml.breast_cancer', 'malignant');

-- check out the predictions
\o /dev/null
SELECT malignant, pgml.predict(
    'Breast Cancer Detection',
    ARRAY[
        "mean radius",
        "mean texture",
        "mean perimeter",
        "mean area",
        "mean smoothness",
        "mean compactness",
        "mean concavity",
        "mean concave points",
        "mean symmetry",
        "mean fractal dimension",
        "radius error",
        "texture error",
        "perimeter error",
        "area error",
        "smoothness error",
        "compactness error",
        "concavity error",
        "concave points error",
        "symmetry error",
        "fractal dimension error",
        "worst radius",
        "worst texture",
        "worst perimeter",
        "worst area",
        "worst smoothness",
        "worst compactness",
        "worst concavity",
        "worst concave points",
        "worst symmetry",
        "worst fractal dimension"
    ]
) AS prediction
FROM pgml.breast_cancer
LIMIT 10;
\o
SELECT count(*) AS rows, count(*) FILTER (WHERE prediction IN (0, 1)) AS valid_classes,
       avg((prediction = malignant::int)::int) > 0.85 AS accurate
FROM (SELECT malignant, pgml.predict(
    'Breast Cancer Detection',
    ARRAY[
        "mean radius",
        "mean texture",
        "mean perimeter",
        "mean area",
        "mean smoothness",
        "mean compactness",
        "mean concavity",
        "mean concave points",
        "mean symmetry",
        "mean fractal dimension",
        "radius error",
        "texture error",
        "perimeter error",
        "area error",
        "smoothness error",
        "compactness error",
        "concavity error",
        "concave points error",
        "symmetry error",
        "fractal dimension error",
        "worst radius",
        "worst texture",
        "worst perimeter",
        "worst area",
        "worst smoothness",
        "worst compactness",
        "worst concavity",
        "worst concave points",
        "worst symmetry",
        "worst fractal dimension"
    ]
) AS prediction
FROM pgml.breast_cancer
) p;

-- linear models
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'ridge');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'stochastic_gradient_descent');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'perceptron');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'passive_aggressive');

-- support vector machines
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'svm');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'nu_svm');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'linear_svm');

-- ensembles
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'ada_boost');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'bagging');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'extra_trees', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'gradient_boosting_trees', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'random_forest', hyperparams => '{"n_estimators": 10}');

-- other
-- Gaussian Process is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'gaussian_process', hyperparams => '{"max_iter_predict": 100, "warm_start": true}');

-- gradient boosting
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'xgboost', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'xgboost_random_forest', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Breast Cancer Detection', algorithm => 'lightgbm', hyperparams => '{"n_estimators": 1}');
-- Histogram Gradient Boosting is too expensive for normal tests on even a toy dataset
-- SELECT * FROM pgml.train('Breast Cancer Detection', algorithim => 'hist_gradient_boosting', hyperparams => '{"max_iter": 2}');

-- Every train above stored a successful model with the 2.x classification metrics.
SELECT count(*) AS models, count(DISTINCT algorithm) AS algorithms,
       bool_and(status = 'successful') AS successful,
       bool_and(metrics ?& ARRAY['f1', 'precision', 'recall', 'accuracy', 'mcc']) AS metrics
FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Breast Cancer Detection');

-- check out all that hard work
\o /dev/null
SELECT trained_models.* FROM pgml.trained_models
JOIN pgml.models on models.id = trained_models.id
ORDER BY models.metrics->>'f1' DESC LIMIT 5;
\o

-- deploy the random_forest model for prediction use
SELECT * FROM pgml.deploy('Breast Cancer Detection', 'most_recent', 'random_forest');
-- check out that throughput
\o /dev/null
SELECT * FROM pgml.deployed_models ORDER BY deployed_at DESC LIMIT 5;
\o
SELECT name, algorithm FROM pgml.deployed_models WHERE name = 'Breast Cancer Detection';

-- do a hyperparam search on your favorite algorithm
\o /dev/null
SELECT pgml.train(
    'Breast Cancer Detection',
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
WHERE p.name = 'Breast Cancer Detection' ORDER BY m.id DESC LIMIT 1;

-- deploy the "best" model for prediction use
\o /dev/null
SELECT * FROM pgml.deploy('Breast Cancer Detection', 'best_score');
\o
-- Several models can tie for the best score: the deployed one has the highest.
SELECT (m.metrics->>'f1')::float8 = (SELECT max((metrics->>'f1')::float8) FROM pgml.models WHERE project_id = d.project_id) AS best_deployed
FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id JOIN pgml.models m ON m.id = d.model_id
WHERE p.name = 'Breast Cancer Detection' ORDER BY d.id DESC LIMIT 1;
SELECT * FROM pgml.deploy('Breast Cancer Detection', 'most_recent');
\o /dev/null
SELECT * FROM pgml.deploy('Breast Cancer Detection', 'rollback');
\o
-- rollback switches to the previously deployed model.
SELECT (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC LIMIT 1)
    <> (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC OFFSET 1 LIMIT 1) AS switched
FROM pgml.projects p WHERE p.name = 'Breast Cancer Detection';
SELECT * FROM pgml.deploy('Breast Cancer Detection', 'best_score', 'svm');

-- check out the improved predictions
\o /dev/null
SELECT malignant, pgml.predict(
    'Breast Cancer Detection',
    ARRAY[
        "mean radius",
        "mean texture",
        "mean perimeter",
        "mean area",
        "mean smoothness",
        "mean compactness",
        "mean concavity",
        "mean concave points",
        "mean symmetry",
        "mean fractal dimension",
        "radius error",
        "texture error",
        "perimeter error",
        "area error",
        "smoothness error",
        "compactness error",
        "concavity error",
        "concave points error",
        "symmetry error",
        "fractal dimension error",
        "worst radius",
        "worst texture",
        "worst perimeter",
        "worst area",
        "worst smoothness",
        "worst compactness",
        "worst concavity",
        "worst concave points",
        "worst symmetry",
        "worst fractal dimension"
    ]
) AS prediction
FROM pgml.breast_cancer
LIMIT 10;
\o
SELECT count(*) AS rows, count(*) FILTER (WHERE prediction IN (0, 1)) AS valid_classes
FROM (SELECT malignant, pgml.predict(
    'Breast Cancer Detection',
    ARRAY[
        "mean radius",
        "mean texture",
        "mean perimeter",
        "mean area",
        "mean smoothness",
        "mean compactness",
        "mean concavity",
        "mean concave points",
        "mean symmetry",
        "mean fractal dimension",
        "radius error",
        "texture error",
        "perimeter error",
        "area error",
        "smoothness error",
        "compactness error",
        "concavity error",
        "concave points error",
        "symmetry error",
        "fractal dimension error",
        "worst radius",
        "worst texture",
        "worst perimeter",
        "worst area",
        "worst smoothness",
        "worst compactness",
        "worst concavity",
        "worst concave points",
        "worst symmetry",
        "worst fractal dimension"
    ]
) AS prediction
FROM pgml.breast_cancer
) p;
