-- The go runtime: every native algorithm, for each task it supports, trained through SQL on
-- PostgresML's toy datasets and predicted row by row. Test metrics are printed rounded; every
-- algorithm is seeded, so they are reproducible.
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.load_dataset('breast_cancer');
SELECT * FROM pgml.load_dataset('digits');

CREATE TABLE native_algorithms (algorithm text, task text, hyperparams jsonb);
INSERT INTO native_algorithms
SELECT a, t, CASE WHEN a IN ('random_forest', 'extra_trees', 'xgboost', 'xgboost_random_forest', 'lightgbm', 'gradient_boosting_trees')
                  THEN '{"n_estimators": 20}' WHEN a = 'hist_gradient_boosting' THEN '{"max_iter": 20}' ELSE '{}' END::jsonb
FROM unnest(ARRAY['linear', 'ridge', 'stochastic_gradient_descent', 'linear_svm', 'knn', 'svm', 'random_forest', 'extra_trees',
                  'gradient_boosting_trees', 'hist_gradient_boosting', 'lightgbm', 'xgboost', 'xgboost_random_forest']) a,
     unnest(ARRAY['regression', 'classification']) t
UNION ALL SELECT a, 'regression', '{}' FROM unnest(ARRAY['lasso', 'elastic_net']) a;

CREATE TABLE native_datasets (task text, project text, relation text, label text);
INSERT INTO native_datasets VALUES
    ('regression', 'go diabetes', 'pgml.diabetes', 'target'),
    ('classification', 'go iris', 'pgml.iris', 'target'),
    ('classification', 'go breast_cancer', 'pgml.breast_cancer', 'malignant'),
    ('classification', 'go digits', 'pgml.digits', 'target');

-- Default runtime: every one of these exists natively, so no runtime argument is needed.
SELECT d.project, a.algorithm, t.deployed IS NOT NULL AS trained
FROM native_datasets d JOIN native_algorithms a ON a.task = d.task,
LATERAL pgml.train(d.project, d.task, d.relation, d.label, algorithm => a.algorithm, hyperparams => a.hyperparams,
                   test_sampling => 'random', automatic_deploy => false) t
ORDER BY d.project, a.algorithm;
SELECT runtime, count(*) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name LIKE 'go %' GROUP BY runtime;

-- Test metrics (scikit-learn's figures on the same data are in algorithms/testdata).
SELECT p.name, m.algorithm,
       round(coalesce(m.metrics->>'r2', m.metrics->>'accuracy')::numeric, 2) AS test_score
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name LIKE 'go %' ORDER BY p.name, m.algorithm;

-- Every model predicts every row: finite values, and classes that exist.
SELECT m.algorithm, count(*) AS predictions, round(corr(x.p, x.target)::numeric, 1) AS correlation
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id,
LATERAL (SELECT target, pgml.predict(m.id, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS p FROM pgml.diabetes) x
WHERE p.name = 'go diabetes' GROUP BY m.algorithm ORDER BY m.algorithm;
SELECT m.algorithm, count(*) FILTER (WHERE x.p IN (0, 1, 2)) AS valid, round(avg((x.p = x.target)::int), 2) AS accuracy
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id,
LATERAL (SELECT target, pgml.predict(m.id, ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS p FROM pgml.iris) x
WHERE p.name = 'go iris' GROUP BY m.algorithm ORDER BY m.algorithm;
SELECT m.algorithm, count(*) FILTER (WHERE x.p IN (0, 1)) AS valid, round(avg((x.p = x.malignant::int)::int), 2) AS accuracy
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id,
LATERAL (SELECT malignant, pgml.predict(m.id, ARRAY[
    "mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness", "mean compactness",
    "mean concavity", "mean concave points", "mean symmetry", "mean fractal dimension",
    "radius error", "texture error", "perimeter error", "area error", "smoothness error", "compactness error",
    "concavity error", "concave points error", "symmetry error", "fractal dimension error",
    "worst radius", "worst texture", "worst perimeter", "worst area", "worst smoothness", "worst compactness",
    "worst concavity", "worst concave points", "worst symmetry", "worst fractal dimension"]) AS p FROM pgml.breast_cancer) x
WHERE p.name = 'go breast_cancer' GROUP BY m.algorithm ORDER BY m.algorithm;
SELECT m.algorithm, count(*) FILTER (WHERE x.p BETWEEN 0 AND 9 AND x.p = round(x.p)) AS valid, round(avg((x.p = x.target)::int), 2) AS accuracy
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id,
LATERAL (SELECT target, pgml.predict(m.id, image) AS p FROM pgml.digits) x
WHERE p.name = 'go digits' GROUP BY m.algorithm ORDER BY m.algorithm;

-- Probabilities where the estimator has them.
SELECT m.algorithm, array_length(pgml.predict_proba(m.id, ARRAY[5.1, 3.5, 1.4, 0.2]), 1) AS classes,
       round((SELECT sum(v) FROM unnest(pgml.predict_proba(m.id, ARRAY[5.1, 3.5, 1.4, 0.2])) v)::numeric, 4) AS total
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'go iris' AND m.algorithm IN ('linear', 'knn', 'random_forest', 'extra_trees', 'gradient_boosting_trees',
                                             'hist_gradient_boosting', 'lightgbm', 'xgboost', 'xgboost_random_forest')
ORDER BY m.algorithm;

-- Joint regression natively.
SELECT * FROM pgml.load_dataset('linnerud');
SELECT a.algorithm, t.deployed
FROM unnest(ARRAY['linear', 'ridge', 'random_forest', 'xgboost']) a(algorithm),
LATERAL pgml.train_joint('go linnerud ' || a.algorithm, 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse'], algorithm => a.algorithm) t
ORDER BY 1;
SELECT a.algorithm, array_length(pgml.predict_joint('go linnerud ' || a.algorithm, ARRAY[5, 162, 60]), 1) AS outputs
FROM unnest(ARRAY['linear', 'ridge', 'random_forest', 'xgboost']) a(algorithm) ORDER BY 1;

-- Native hyperparameter errors name the parameter.
SELECT * FROM pgml.train('go errors', 'regression', 'pgml.diabetes', 'target', algorithm => 'random_forest', hyperparams => '{"n_estimators": -1}');
SELECT * FROM pgml.train('go errors', 'regression', 'pgml.diabetes', 'target', algorithm => 'xgboost', hyperparams => '{"no_such_parameter": 1}');
SELECT * FROM pgml.train('go errors', 'regression', 'pgml.diabetes', 'target', algorithm => 'svm', hyperparams => '{"kernel": "cubic"}');

-- pgml.training_threads bounds the workers of one training call; the model does not depend on it.
SET pgml.training_threads = 1;
SELECT * FROM pgml.train('go threads random_forest', 'regression', 'pgml.diabetes', 'target', algorithm => 'random_forest', hyperparams => '{"n_estimators": 8}', automatic_deploy => false);
SELECT * FROM pgml.train('go threads hist_gradient_boosting', 'regression', 'pgml.diabetes', 'target', algorithm => 'hist_gradient_boosting', hyperparams => '{"max_iter": 8}', automatic_deploy => false);
SET pgml.training_threads = 2;
SELECT * FROM pgml.train('go threads random_forest', 'regression', 'pgml.diabetes', 'target', algorithm => 'random_forest', hyperparams => '{"n_estimators": 8}', automatic_deploy => false);
SELECT * FROM pgml.train('go threads hist_gradient_boosting', 'regression', 'pgml.diabetes', 'target', algorithm => 'hist_gradient_boosting', hyperparams => '{"max_iter": 8}', automatic_deploy => false);
RESET pgml.training_threads;
SELECT p.name, count(*) AS models, count(DISTINCT f.data) AS distinct_model_bytes
FROM pgml.projects p JOIN pgml.models m ON m.project_id = p.id JOIN pgml.files f ON f.model_id = m.id AND f.path <> 'preprocess.pgml'
WHERE p.name LIKE 'go threads %' GROUP BY p.name ORDER BY p.name;
