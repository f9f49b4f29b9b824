-- Regression with the native linear model (least squares by QR).
SET client_min_messages = warning;

SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.train('Diabetes (suite regression)', 'regression', 'pgml.diabetes', 'target');

SELECT algorithm, runtime, num_features, status, (metrics->>'r2')::float8 >= 0.4 AS r2_at_least_0_4,
       metrics ?& ARRAY['r2', 'mean_squared_error', 'mean_absolute_error', 'fit_time', 'score_time'] AS has_metrics
FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Diabetes (suite regression)');

-- The same features through each overload give the same prediction.
CREATE TABLE first_model AS SELECT min(id) AS id FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Diabetes (suite regression)');
CREATE TABLE one_row AS SELECT age, sex, bmi, bp, s1, s2, s3, s4, s5, s6, target FROM pgml.diabetes LIMIT 1;
SELECT pgml.predict('Diabetes (suite regression)', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) =
       pgml.predict('Diabetes (suite regression)', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]::float8[]) AS float8_same,
       pgml.predict('Diabetes (suite regression)', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) =
       pgml.predict('Diabetes (suite regression)', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]::numeric[]) AS numeric_same,
       pgml.predict('Diabetes (suite regression)', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) =
       pgml.predict((SELECT id FROM first_model), ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS by_model_id,
       pgml.predict('Diabetes (suite regression)', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) =
       (pgml.model_predict((SELECT id FROM first_model), ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]))[1]::real AS model_predict_same
FROM one_row;

-- Numeric, integer, bigint, smallint and boolean literals all resolve to an overload.
SELECT pg_typeof(pgml.predict('Diabetes (suite regression)', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1])) AS numeric_literals,
       pgml.predict('Diabetes (suite regression)', ARRAY[1, 0, 1, 0, 1, 0, 1, 0, 1, 0]) =
       pgml.predict('Diabetes (suite regression)', ARRAY[true, false, true, false, true, false, true, false, true, false]) AS bool_as_0_1,
       pgml.predict('Diabetes (suite regression)', ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) =
       pgml.predict('Diabetes (suite regression)', ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]::bigint[]) AS int8_same,
       pgml.predict('Diabetes (suite regression)', ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) =
       pgml.predict('Diabetes (suite regression)', ARRAY[[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]::smallint[]) AS int2_2d_same;

-- Predictions correlate with the labels over the whole table.
SELECT corr(pgml.predict('Diabetes (suite regression)', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]), target) > 0.7 AS correlated
FROM pgml.diabetes;

-- STRICT: a NULL array gives NULL.
SELECT pgml.predict('Diabetes (suite regression)', NULL::real[]) IS NULL AS null_in_null_out;

-- Reusing the last snapshot: no relation_name, same data, a second model.
SELECT * FROM pgml.train('Diabetes (suite regression)');
SELECT count(*) AS models, count(DISTINCT snapshot_id) AS snapshots
FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Diabetes (suite regression)');

-- Joint (multi-target) regression.
SELECT * FROM pgml.load_dataset('linnerud');
SELECT * FROM pgml.train_joint('Linnerud (suite regression)', 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse']);
SELECT array_length(pgml.predict_joint('Linnerud (suite regression)', ARRAY[chins, situps, jumps]), 1) AS outputs
FROM pgml.linnerud LIMIT 1;

-- A materialized snapshot keeps a copy that later trainings read.
SELECT * FROM pgml.train('Materialized', 'regression', 'pgml.diabetes', 'target', materialize_snapshot => true);
SELECT count(*) FROM pgml.snapshots s WHERE s.materialized
  AND s.id IN (SELECT snapshot_id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Materialized')
  AND pg_catalog.to_regclass(format('pgml.%I', 'snapshot_' || s.id)) IS NOT NULL;
DELETE FROM pgml.diabetes WHERE target > 100;
SELECT * FROM pgml.train('Materialized');
SELECT (s.analysis->>'samples')::int AS samples FROM pgml.models m JOIN pgml.snapshots s ON s.id = m.snapshot_id
WHERE m.project_id = (SELECT id FROM pgml.projects WHERE name = 'Materialized') ORDER BY m.id;
SELECT * FROM pgml.load_dataset('diabetes');
