-- Classification with the native linear model (multinomial logistic regression):
-- integer labels (iris), boolean labels (breast_cancer), a SMALLINT[][] feature (digits).
SET client_min_messages = warning;

SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.train('Iris (suite classification)', 'classification', 'pgml.iris', 'target');

-- Predictions are class labels; at least 90% of the table is predicted right.
SELECT count(*) AS predictions,
       count(*) FILTER (WHERE prediction IN (0, 1, 2)) AS valid_classes,
       avg((prediction = target)::int) >= 0.9 AS accurate
FROM (SELECT target, pgml.predict('Iris (suite classification)', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS prediction
      FROM pgml.iris) p;

-- The stored metrics are PostgresML 2.x's keys, all between 0 and 1 except mcc (-1..1).
SELECT key, value::float8 BETWEEN -1 AND 1 AS in_range
FROM pgml.models m, jsonb_each_text(m.metrics)
WHERE m.project_id = (SELECT id FROM pgml.projects WHERE name = 'Iris (suite classification)') AND key NOT LIKE '%_time'
ORDER BY key;
SELECT (metrics->>'f1')::float8 > 0.85 AS good_f1, (metrics ? 'fit_time') AS has_fit_time, (metrics ? 'score_time') AS has_score_time
FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Iris (suite classification)');

-- An unqualified view resolves through search_path, like PostgresML 1.0.
CREATE VIEW iris_view AS SELECT * FROM pgml.iris WHERE target IN (0, 1);
SELECT * FROM pgml.train('Iris Binary', 'classification', 'iris_view', 'target', test_sampling => 'random');
SELECT count(*) FILTER (WHERE pgml.predict('Iris Binary', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) = target) >= 95 AS accurate
FROM iris_view;

-- Boolean labels: predictions are 0 or 1.
SELECT * FROM pgml.load_dataset('breast_cancer');
SELECT * FROM pgml.train('Breast Cancer (suite classification)', 'classification', 'pgml.breast_cancer', 'malignant');
SELECT count(*) FILTER (WHERE p NOT IN (0, 1)) AS invalid,
       avg((p = malignant::int)::int) >= 0.9 AS accurate
FROM (SELECT malignant, pgml.predict('Breast Cancer (suite classification)', ARRAY[
    "mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness", "mean compactness",
    "mean concavity", "mean concave points", "mean symmetry", "mean fractal dimension",
    "radius error", "texture error", "perimeter error", "area error", "smoothness error", "compactness error",
    "concavity error", "concave points error", "symmetry error", "fractal dimension error",
    "worst radius", "worst texture", "worst perimeter", "worst area", "worst smoothness", "worst compactness",
    "worst concavity", "worst concave points", "worst symmetry", "worst fractal dimension"]) AS p
      FROM pgml.breast_cancer) s;

-- A SMALLINT[][] feature column is flattened to 64 features, in training and in predict.
SELECT * FROM pgml.load_dataset('digits');
SELECT * FROM pgml.train('Digits (suite classification)', 'classification', 'pgml.digits', 'target');
SELECT num_features FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Digits (suite classification)');
SELECT avg((pgml.predict('Digits (suite classification)', image) = target)::int) >= 0.95 AS accurate FROM pgml.digits;

-- Each sampling gives the documented test share.
CREATE TABLE sampled AS SELECT * FROM pgml.iris;
SELECT * FROM pgml.train('Sampling', 'classification', 'sampled', 'target', test_size => 0.2, test_sampling => 'first');
SELECT * FROM pgml.train('Sampling', 'classification', 'sampled', 'target', test_size => 30, test_sampling => 'last');
SELECT * FROM pgml.train('Sampling', 'classification', 'sampled', 'target', test_size => 0.5, test_sampling => 'random');
SELECT s.test_size, s.test_sampling, s.analysis->>'samples' AS samples
FROM pgml.models m JOIN pgml.snapshots s ON s.id = m.snapshot_id
WHERE m.project_id = (SELECT id FROM pgml.projects WHERE name = 'Sampling') ORDER BY m.id;
