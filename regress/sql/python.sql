-- The python runtime: every regression and classification algorithm of PostgresML's table,
-- trained by scikit-learn / xgboost inside this backend, then predicted row by row.
SET client_min_messages = warning;
SELECT pgml.validate_python_dependencies();
SELECT pgml.python_package_version('sklearn') ~ '^[0-9]+\.' AS sklearn_version;
SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.load_dataset('breast_cancer');
SELECT * FROM pgml.load_dataset('digits');

-- Hyperparameters keep the slowest estimators small, as PostgresML's own test suite does.
CREATE TABLE python_algorithms (algorithm text, task text, hyperparams jsonb);
INSERT INTO python_algorithms VALUES
    ('linear', 'regression', '{}'), ('ridge', 'regression', '{}'), ('lasso', 'regression', '{}'),
    ('elastic_net', 'regression', '{}'), ('least_angle', 'regression', '{}'), ('lasso_least_angle', 'regression', '{}'),
    ('orthogonal_matching_pursuit', 'regression', '{}'), ('orthoganl_matching_pursuit', 'regression', '{}'),
    ('bayesian_ridge', 'regression', '{}'), ('automatic_relevance_determination', 'regression', '{}'),
    ('stochastic_gradient_descent', 'regression', '{}'), ('passive_aggressive', 'regression', '{}'),
    ('ransac', 'regression', '{}'), ('theil_sen', 'regression', '{"max_iter": 10, "max_subpopulation": 100}'),
    ('huber', 'regression', '{}'), ('quantile', 'regression', '{"alpha": 0}'), ('kernel_ridge', 'regression', '{}'),
    ('gaussian_process', 'regression', '{"alpha": 0.01}'), ('svm', 'regression', '{}'), ('nu_svm', 'regression', '{}'),
    ('linear_svm', 'regression', '{"max_iter": 100}'), ('ada_boost', 'regression', '{"n_estimators": 5}'),
    ('bagging', 'regression', '{"n_estimators": 5}'), ('extra_trees', 'regression', '{"n_estimators": 5}'),
    ('gradient_boosting_trees', 'regression', '{"n_estimators": 5}'), ('hist_gradient_boosting', 'regression', '{"max_iter": 10}'),
    ('random_forest', 'regression', '{"n_estimators": 5}'), ('xgboost', 'regression', '{"n_estimators": 10}'),
    ('xgboost_random_forest', 'regression', '{"n_estimators": 10}'),
    ('linear', 'classification', '{"max_iter": 1000}'), ('ridge', 'classification', '{}'),
    ('stochastic_gradient_descent', 'classification', '{}'), ('perceptron', 'classification', '{}'),
    ('passive_aggressive', 'classification', '{}'), ('gaussian_process', 'classification', '{"optimizer": null}'),
    ('svm', 'classification', '{}'), ('nu_svm', 'classification', '{"nu": 0.1}'), ('linear_svm', 'classification', '{"max_iter": 100}'),
    ('ada_boost', 'classification', '{"n_estimators": 5}'), ('bagging', 'classification', '{"n_estimators": 5}'),
    ('extra_trees', 'classification', '{"n_estimators": 10}'), ('gradient_boosting_trees', 'classification', '{"n_estimators": 10}'),
    ('hist_gradient_boosting', 'classification', '{"max_iter": 10}'), ('random_forest', 'classification', '{"n_estimators": 10}'),
    ('xgboost', 'classification', '{"n_estimators": 10}'), ('xgboost_random_forest', 'classification', '{"n_estimators": 10}');

CREATE TABLE python_datasets (task text, project text, relation text, label text);
INSERT INTO python_datasets VALUES
    ('regression', 'py diabetes', 'pgml.diabetes', 'target'),
    ('classification', 'py iris', 'pgml.iris', 'target'),
    ('classification', 'py breast_cancer', 'pgml.breast_cancer', 'malignant'),
    ('classification', 'py digits', 'pgml.digits', 'target');

-- Train every pair; a failure stops the statement, so every row printed trained.
SELECT d.project, a.algorithm, t.task, t.deployed IS NOT NULL AS trained
FROM python_datasets d JOIN python_algorithms a ON a.task = d.task,
LATERAL pgml.train(d.project, d.task, d.relation, d.label, algorithm => a.algorithm, hyperparams => a.hyperparams,
                   runtime => 'python', test_sampling => 'random', automatic_deploy => false) t
ORDER BY d.project, a.algorithm;
-- One model that keeps predicting through Python: XGBClassifier's multi:softmax gives
-- probabilities libxgboost's predictions do not (docs/native-inference.md).
SELECT project, task, algorithm, deployed IS NOT NULL AS trained
FROM pgml.train('py no native form', 'classification', 'pgml.iris', 'target', algorithm => 'xgboost', runtime => 'python',
                hyperparams => '{"objective": "multi:softmax", "n_estimators": 5}', test_sampling => 'random', automatic_deploy => false);

-- native: the linear, tree and xgboost models predict through their verified native form (docs/native-inference.md)
SELECT m.runtime, count(DISTINCT m.id) AS models, count(DISTINCT m.id) FILTER (WHERE m.metrics ? 'fit_time') AS with_metrics,
       count(DISTINCT m.id) FILTER (WHERE m.metrics->>'native_inference' = 'native') AS native, count(DISTINCT f.path) AS paths
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id JOIN pgml.files f ON f.model_id = m.id AND f.path <> 'preprocess.pgml'
WHERE p.name LIKE 'py %' GROUP BY m.runtime;
-- pgml.nativize gives a model stored before native forms (its pickle only) its native form,
-- checked on its test split; once native it says so; a model without one keeps its reason.
CREATE TABLE pre_native AS SELECT m.id, m.algorithm FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE (p.name = 'py diabetes' AND m.algorithm IN ('ridge', 'svm')) OR p.name = 'py no native form';
DELETE FROM pgml.files WHERE model_id IN (SELECT id FROM pre_native) AND path = 'estimator.pgml';
UPDATE pgml.models SET metrics = metrics - 'native_inference' WHERE id IN (SELECT id FROM pre_native);
SELECT algorithm, pgml.nativize(id) AS nativized, pgml.nativize(id) AS again FROM pre_native ORDER BY algorithm;
SELECT n.algorithm, m.metrics->>'native_inference' AS native_inference, count(f.id) AS native_files
FROM pre_native n JOIN pgml.models m ON m.id = n.id LEFT JOIN pgml.files f ON f.model_id = n.id AND f.path = 'estimator.pgml'
GROUP BY 1, 2 ORDER BY 1;
SELECT pgml.nativize(-1);
SELECT * FROM pgml.train('py native model', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', runtime => 'go');
DO $$
BEGIN
    PERFORM pgml.nativize((SELECT max(id) FROM pgml.models));
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'nativize of a go model: % (SQLSTATE %)', regexp_replace(SQLERRM, 'model [0-9]+', 'model N'), SQLSTATE;
END $$;
-- random_state is fixed when the estimator takes one and the user gave none.
SELECT m.algorithm, m.hyperparams FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'py diabetes' AND m.algorithm IN ('random_forest', 'linear') ORDER BY 1;

-- Predicting row by row costs sklearn's per-call overhead (milliseconds for ensembles), so
-- each model predicts a fixed sample of its dataset (iris: every fourth row, all classes).
CREATE TABLE sample_diabetes AS SELECT * FROM pgml.diabetes LIMIT 40;
CREATE TABLE sample_iris AS SELECT * FROM (SELECT *, row_number() OVER () AS n FROM pgml.iris) s WHERE n % 4 = 0;
CREATE TABLE sample_breast_cancer AS SELECT * FROM pgml.breast_cancer LIMIT 40;
CREATE TABLE sample_digits AS SELECT * FROM pgml.digits LIMIT 40;
-- Every model predicts each sampled row through pgml.predict(model_id, ...), with
-- finite regression values and classes that exist in the labels.
SELECT m.algorithm, count(*) AS predictions, count(*) FILTER (WHERE x.p::float8 BETWEEN 0 AND 1000) AS plausible
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id,
LATERAL (SELECT pgml.predict(m.id, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS p FROM sample_diabetes) x
WHERE p.name = 'py diabetes' GROUP BY m.algorithm ORDER BY m.algorithm;
SELECT m.algorithm, count(*) AS predictions, count(*) FILTER (WHERE x.p IN (0, 1, 2)) AS valid,
       avg((x.p = x.target)::int) > 0.5 AS better_than_chance
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id,
LATERAL (SELECT target, pgml.predict(m.id, ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS p FROM sample_iris) x
WHERE p.name = 'py iris' GROUP BY m.algorithm ORDER BY m.algorithm;
SELECT m.algorithm, count(*) FILTER (WHERE x.p IN (0, 1)) AS valid
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id,
LATERAL (SELECT pgml.predict(m.id, ARRAY[
    "mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness", "mean compactness",
    "mean concavity", "mean concave points", "mean symmetry", "mean fractal dimension",
    "radius error", "texture error", "perimeter error", "area error", "smoothness error", "compactness error",
    "concavity error", "concave points error", "symmetry error", "fractal dimension error",
    "worst radius", "worst texture", "worst perimeter", "worst area", "worst smoothness", "worst compactness",
    "worst concavity", "worst concave points", "worst symmetry", "worst fractal dimension"]) AS p FROM sample_breast_cancer) x
WHERE p.name = 'py breast_cancer' GROUP BY m.algorithm ORDER BY m.algorithm;
SELECT m.algorithm, count(*) FILTER (WHERE x.p BETWEEN 0 AND 9 AND x.p = round(x.p)) AS valid
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id,
LATERAL (SELECT pgml.predict(m.id, image) AS p FROM sample_digits) x
WHERE p.name = 'py digits' GROUP BY m.algorithm ORDER BY m.algorithm;

-- Deploy a python model and predict by project name; probabilities follow class order.
SELECT * FROM pgml.deploy('py iris', 'best_score', 'random_forest');
SELECT pgml.predict('py iris', ARRAY[5.1, 3.5, 1.4, 0.2]) AS setosa,
       array_length(pgml.predict_proba('py iris', ARRAY[5.1, 3.5, 1.4, 0.2]), 1) AS classes,
       abs((SELECT sum(p) FROM unnest(pgml.predict_proba('py iris', ARRAY[5.1, 3.5, 1.4, 0.2])) p) - 1) < 1e-5 AS sums_to_one,
       (pgml.predict_proba('py iris', ARRAY[5.1, 3.5, 1.4, 0.2]))[1] > 0.5 AS setosa_most_likely;
SELECT * FROM pgml.deploy('py diabetes', 'best_score', 'linear');
SELECT pgml.predict_proba('py diabetes', ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

-- Joint regression through MultiOutputRegressor where the estimator needs it.
SELECT * FROM pgml.load_dataset('linnerud');
SELECT * FROM pgml.train_joint('py linnerud', 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse'],
                               algorithm => 'bayesian_ridge', runtime => 'python');
SELECT array_length(pgml.predict_joint('py linnerud', ARRAY[chins, situps, jumps]), 1) AS outputs,
       array_length(pgml.model_predict((SELECT max(id) FROM pgml.models), ARRAY[chins, situps, jumps]), 1) AS model_predict_outputs
FROM pgml.linnerud LIMIT 1;

-- The default runtime: native when the algorithm exists natively, else python.
SELECT * FROM pgml.train('py default runtime', 'regression', 'pgml.diabetes', 'target', algorithm => 'lasso_least_angle');
SELECT algorithm, runtime FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'py default runtime';

-- The same least squares in both runtimes gives the same test r2 (gonum on our hidden
-- OpenBLAS, and scipy's LAPACK, interleaved in one backend).
SELECT * FROM pgml.train('blas go 1', 'regression', 'pgml.diabetes', 'target', runtime => 'go');
SELECT * FROM pgml.train('blas py 1', 'regression', 'pgml.diabetes', 'target', runtime => 'python');
SELECT * FROM pgml.train('blas py ridge', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', runtime => 'python');
SELECT * FROM pgml.train('blas go 2', 'regression', 'pgml.diabetes', 'target', runtime => 'go');
SELECT * FROM pgml.train('blas py logistic', 'classification', 'pgml.digits', 'target', runtime => 'python', hyperparams => '{"max_iter": 200}');
SELECT * FROM pgml.train('blas go logistic', 'classification', 'pgml.digits', 'target', runtime => 'go');
SELECT * FROM pgml.train('blas py xgboost', 'regression', 'pgml.diabetes', 'target', algorithm => 'xgboost', runtime => 'python');
SELECT * FROM pgml.train('blas py 2', 'regression', 'pgml.diabetes', 'target', runtime => 'python');
SELECT * FROM pgml.train('blas go 3', 'regression', 'pgml.diabetes', 'target', runtime => 'go');
SELECT count(DISTINCT round((m.metrics->>'r2')::numeric, 6)) AS distinct_r2, count(*) AS models
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name IN ('blas go 1', 'blas py 1', 'blas go 2', 'blas py 2', 'blas go 3');
SELECT p.name, (m.metrics->>'accuracy')::float8 > 0.9 AS accurate
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name IN ('blas py logistic', 'blas go logistic') ORDER BY 1;

-- Errors from Python are SQL errors with the Python type and message; the backend survives.
-- (catboost is refused before Python is asked: only the native runtime has it.)
SELECT * FROM pgml.train('py errors', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', runtime => 'python', hyperparams => '{"no_such_parameter": 1}');
SELECT * FROM pgml.train('py errors', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', runtime => 'python', hyperparams => '{"alpha": "not a number"}');
SELECT * FROM pgml.train('py errors', 'classification', 'pgml.iris', 'target', algorithm => 'lasso', runtime => 'python');
SELECT * FROM pgml.train('py errors', 'regression', 'pgml.diabetes', 'target', algorithm => 'lightgbm', runtime => 'python');
SELECT * FROM pgml.train('py errors', 'regression', 'pgml.diabetes', 'target', algorithm => 'catboost', runtime => 'python');
-- A stored pickle that does not load is an error, not a crash.
CREATE TABLE broken_model AS SELECT max(m.id) AS id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'py diabetes';
-- Its native form, if it has one, goes first: loading would prefer it to the pickle.
DELETE FROM pgml.files WHERE model_id = (SELECT id FROM broken_model) AND path = 'estimator.pgml';
UPDATE pgml.files SET data = '\x80049500'::bytea WHERE model_id = (SELECT id FROM broken_model);
-- pgml refuses rows changed outside it (privileges.sql); a superuser vouches for this one, so
-- that the unpickler sees it.
SELECT pgml.sign_models((SELECT id FROM broken_model)) AS signed;
-- A new session: this one has the model cached already.
\c -
SET client_min_messages = warning;
DO $$
BEGIN
    PERFORM pgml.predict((SELECT id FROM broken_model), ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'predict failed: %', regexp_replace(SQLERRM, 'model [0-9]+', 'model N');
END $$;
SELECT pgml.predict('py iris', ARRAY[5.1, 3.5, 1.4, 0.2]) AS still_works;
