-- catboost, trained natively (algorithms/catboost): PostgresML 2.x's examples train it with
-- hyperparams => '{"n_estimators": 10}'; CatBoost's defaults (1000 iterations, the
-- automatic learning rate) are used without hyperparameters. Metrics are compared with
-- thresholds (they are seeded, but the suite must not hang on the last digit).
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.load_dataset('breast_cancer');
SELECT * FROM pgml.load_dataset('linnerud');

-- No runtime argument: catboost is native.
SELECT project, task, algorithm, deployed FROM pgml.train('cb diabetes', 'regression', 'pgml.diabetes', 'target',
    algorithm => 'catboost', hyperparams => '{"n_estimators": 10}');
SELECT project, task, algorithm FROM pgml.train('cb diabetes', algorithm => 'catboost', hyperparams => '{"random_seed": 1}');
SELECT project, task, algorithm FROM pgml.train('cb iris', 'classification', 'pgml.iris', 'target',
    algorithm => 'catboost', hyperparams => '{"random_state": 1}');
SELECT project, task, algorithm FROM pgml.train('cb breast_cancer', 'classification', 'pgml.breast_cancer', 'malignant',
    algorithm => 'catboost', hyperparams => '{"iterations": 300, "depth": 4, "learning_rate": 0.1, "l2_leaf_reg": 1}');
SELECT p.name, m.runtime, m.hyperparams,
       CASE WHEN p.task = 'regression' THEN (m.metrics->>'r2')::float8 > 0.3
            ELSE (m.metrics->>'f1')::float8 > 0.9 END AS good_test_metric
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name LIKE 'cb %' ORDER BY m.id;

-- The same seed gives the same model: its test metrics are equal.
SELECT project FROM pgml.train('cb diabetes', algorithm => 'catboost', hyperparams => '{"random_seed": 1}');
SELECT count(DISTINCT m.metrics->>'r2') AS distinct_r2, count(*) AS models
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'cb diabetes' AND m.hyperparams = '{"random_seed": 1}';

-- Predictions: every row, finite, classes that exist, probabilities that sum to 1.
SELECT count(*) AS predictions, corr(p, target) > 0.5 AS correlated
FROM (SELECT target, pgml.predict('cb diabetes', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS p FROM pgml.diabetes) x;
SELECT count(*) FILTER (WHERE p IN (0, 1, 2)) AS valid, avg((p = target)::int) > 0.9 AS accurate
FROM (SELECT target, pgml.predict('cb iris', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS p FROM pgml.iris) x;
SELECT count(*) AS rows, bool_and(abs(s - 1) < 1e-6) AS sums_to_one, bool_and(n = 3) AS three_classes
FROM (SELECT (SELECT sum(v) FROM unnest(pr) v) AS s, cardinality(pr) AS n
      FROM (SELECT pgml.predict_proba('cb iris', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS pr FROM pgml.iris) a) b;

-- Several labels: MultiRMSE, one symmetric tree per iteration with a value per label.
SELECT project, task, algorithm FROM pgml.train_joint('cb linnerud', 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse'],
    algorithm => 'catboost', hyperparams => '{"n_estimators": 50}');
SELECT count(*) AS rows, bool_and(cardinality(p) = 3) AS three_outputs
FROM (SELECT pgml.predict_joint('cb linnerud', ARRAY[chins, situps, jumps]) AS p FROM pgml.linnerud) x;

-- The python runtime has no catboost here: refused before any data is read, naming the
-- runtime that has it.
SELECT * FROM pgml.train('cb python', 'regression', 'pgml.diabetes', 'target', algorithm => 'catboost', runtime => 'python');
SELECT count(*) AS snapshots_of_refused FROM pgml.projects WHERE name = 'cb python';

-- Hyperparameters: CatBoost's names; unknown ones and two aliases of one are errors.
SELECT * FROM pgml.train('cb diabetes', algorithm => 'catboost', hyperparams => '{"n_trees": 10}');
SELECT * FROM pgml.train('cb diabetes', algorithm => 'catboost', hyperparams => '{"iterations": 10, "num_boost_round": 10}');
SELECT * FROM pgml.train('cb diabetes', algorithm => 'catboost', hyperparams => '{"depth": 17}');
SELECT * FROM pgml.train('cb diabetes', algorithm => 'catboost', hyperparams => '{"loss_function": "Logloss"}');
