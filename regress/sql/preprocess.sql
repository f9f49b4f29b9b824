-- Text features (categories), text labels, the preprocess argument (impute, encode, scale)
-- and the row form of predict, which applies the same preprocessing as training.
SET client_min_messages = warning;

CREATE TABLE fruit AS
SELECT (ARRAY['apple', 'pear', 'plum'])[1 + (i % 3)] AS kind,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 10)::real END AS size,
       (i % 5)::int AS weight,
       CASE WHEN i % 3 = 0 THEN 'red' WHEN i % 3 = 1 THEN 'green' ELSE 'blue' END AS color
FROM generate_series(1, 300) i;

-- Missing values without a preprocessor: the error names the column and the fix.
SELECT * FROM pgml.train('Fruit', 'classification', 'fruit', 'color');

-- A text label, a text feature one-hot encoded, a numeric feature imputed and scaled.
SELECT * FROM pgml.train('Fruit', 'classification', 'fruit', 'color',
    preprocess => '{"size": {"impute": "mean", "scale": "standard"}, "kind": {"encode": "one_hot"}}');
-- The categories are recorded with the snapshot: a text label's class is its position.
SELECT c->>'name' AS name, c->>'pg_type' AS pg_type, (c->>'label')::bool AS label, c->'categories' AS categories
FROM pgml.snapshots s, jsonb_array_elements(s.columns) c
WHERE s.id = (SELECT max(snapshot_id) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Fruit');
-- one_hot expands kind to 3 columns: 5 model features.
SELECT num_features FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Fruit';

-- The row form: the color is a function of kind, so every prediction is right; the class
-- is the label's position among blue, green, red.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (ARRAY['blue', 'green', 'red'])[pgml.predict('Fruit', (kind, size, weight))::int + 1] = color) AS right
FROM fruit;
-- NULL features are imputed with the training mean; NULL text is its own category.
SELECT pgml.predict('Fruit', ('pear'::text, NULL::real, 2)) AS pear_with_null_size;
-- Probabilities come in the order of the sorted labels.
SELECT array_length(pgml.predict_proba('Fruit', ARRAY[1, 0, 0, 0.5, 2]), 1) AS classes;

-- Misuse of the row form.
SELECT pgml.predict('Fruit', ('kiwi'::text, 1::real, 2));
SELECT pgml.predict('Fruit', ('apple'::text, 1::real));
SELECT pgml.predict('Fruit', (1, 1::real, 2));
SELECT pgml.predict('Fruit', ('apple'::text, 'big'::text, 2));
SELECT pgml.predict('Fruit', 42);

-- Regression with target encoding, an ordinal encoding and median imputation.
SELECT * FROM pgml.train('Fruit weight', 'regression', 'fruit', 'weight',
    preprocess => '{"size": {"impute": "median"}, "kind": {"encode": "target"}, "color": {"encode": {"ordinal": ["red", "green", "blue"]}}}');
SELECT pgml.predict('Fruit weight', ('apple'::text, 3::real, 'red'::text)) BETWEEN 0 AND 4 AS in_range;
-- Rows of a table type work as well as anonymous records.
CREATE TABLE fruit_features AS SELECT kind, size, color FROM fruit;
SELECT count(*) AS predicted FROM fruit_features f WHERE pgml.predict('Fruit weight', f) IS NOT NULL;

-- Validation of the preprocess argument.
SELECT * FROM pgml.train('Fruit weight', 'regression', 'fruit', 'weight', preprocess => '{"size": {"impute": "sometimes"}}');
SELECT * FROM pgml.train('Fruit weight', 'regression', 'fruit', 'weight', preprocess => '{"size": {"impute": "mean", "encode": "one_hot"}}');
SELECT * FROM pgml.train('Fruit weight', 'regression', 'fruit', 'weight', preprocess => '{"size": {"impute": "mean"}, "kind": {"impute": "mean"}}');
SELECT * FROM pgml.train('Fruit weight', 'regression', 'fruit', 'weight', preprocess => '{"size": {"impute": "mean"}, "color": {"encode": {"ordinal": ["red"]}}}');
SELECT * FROM pgml.train('Fruit weight', 'regression', 'fruit', 'weight', preprocess => '{"size": {"impute": "mean"}, "nope": {"scale": "standard"}}');

-- Unsupported column types are named before any row is read.
CREATE TABLE odd AS SELECT now() AS at, 1 AS y;
SELECT * FROM pgml.train('Odd', 'regression', 'odd', 'y');
CREATE TABLE odd_text_array AS SELECT ARRAY['a', 'b'] AS tags, 1 AS y;
SELECT * FROM pgml.train('Odd', 'regression', 'odd_text_array', 'y');

-- Text labels are classes: a regression on them is refused.
SELECT * FROM pgml.train('Fruit colors as numbers', 'regression', 'fruit', 'color', preprocess => '{"size": {"impute": "zero"}}');
-- Without relation_name the last snapshot is reused; another y_column_name is ignored, with a notice.
SET client_min_messages = notice;
SELECT * FROM pgml.train('Fruit weight', y_column_name => 'size', preprocess => '{"size": {"impute": "mean"}}');
SET client_min_messages = warning;
-- A retraining without relation_name keeps the preprocessing of the project's last training
-- (size has NULLs only imputation handles); an explicit preprocess replaces it.
SELECT project, task, algorithm FROM pgml.train('Fruit weight', algorithm => 'ridge');
SELECT project, task, algorithm FROM pgml.train('Fruit weight', algorithm => 'ridge', preprocess => '{"size": {"impute": "zero"}}');
SELECT c->>'name' AS name, c->'preprocessor'->>'impute' AS impute
FROM pgml.snapshots s, jsonb_array_elements(s.columns) c
WHERE s.id = (SELECT max(snapshot_id) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Fruit weight')
  AND c->>'name' = 'size';

-- Large finite values are data: bigint near 2^63 and numeric 1e300. Their statistics are
-- stored (a variance beyond double precision as the decimal JSON number it is); the model
-- predicts; infinities are refused by name.
CREATE TABLE huge_values AS
SELECT (9223372036854775807 - i * 1000)::bigint AS big, (1e300 * i)::numeric AS huge, (i % 2)::int AS y
FROM generate_series(1, 40) i;
SELECT project, task, algorithm FROM pgml.train('Huge values', 'classification', 'huge_values', 'y', algorithm => 'random_forest',
    preprocess => '{"huge": {"scale": "standard"}, "big": {"scale": "min_max"}}');
SELECT c->>'name' AS name, (c->'statistics'->0->>'mean')::float8 AS mean, (c->'statistics'->0->>'std_dev')::float8 AS std_dev,
       left(c->'statistics'->0->>'variance', 12) AS variance
FROM pgml.snapshots s, jsonb_array_elements(s.columns) c
WHERE s.id = (SELECT max(snapshot_id) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Huge values')
  AND NOT (c->>'label')::bool;
SELECT pgml.predict('Huge values', (9223372036854775807::bigint, 1e301::numeric)) IN (0, 1) AS predicted;
CREATE TABLE infinite_values AS SELECT CASE WHEN i = 7 THEN 'Infinity'::float8 ELSE i END AS x, (i % 2)::int AS y
FROM generate_series(1, 40) i;
SELECT * FROM pgml.train('Infinite values', 'classification', 'infinite_values', 'y', preprocess => '{"x": {"scale": "standard"}}');
