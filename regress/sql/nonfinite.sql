-- One policy for NaN and ±Infinity features. The array forms pass values to the model as they
-- are (no preprocessing), so NaN and ±Infinity are errors naming the position and the value, in
-- every function alike. The row form applies the model's preprocessing: NaN is a missing value
-- like NULL (imputed, or an error naming the column without imputation); ±Infinity is an error.
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.load_dataset('linnerud');
SELECT * FROM pgml.load_dataset('diabetes');
CREATE VIEW nonfinite_iris AS SELECT sepal_length, sepal_width, petal_length, petal_width FROM pgml.iris;
SELECT project, task, algorithm FROM pgml.train('NonFinite', 'classification', 'pgml.iris', 'target', algorithm => 'linear');
SELECT project, task, algorithm FROM pgml.train_joint('NonFinite Joint', 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse']);
SELECT project, task, algorithm FROM pgml.train('NonFinite PCA', 'decomposition', 'nonfinite_iris', hyperparams => '{"n_components": 2}');
SELECT m.id AS classifier FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'NonFinite' \gset
SELECT m.id AS joint FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'NonFinite Joint' \gset

-- Finite values predict.
SELECT pgml.predict('NonFinite', ARRAY[5.1, 3.5, 1.4, 0.2]) AS class,
       cardinality(pgml.predict_proba('NonFinite', ARRAY[5.1, 3.5, 1.4, 0.2])) AS probabilities;

-- Array forms, by project and by model id, in every element type that can hold them.
SELECT pgml.predict('NonFinite', ARRAY[5.1, 'NaN', 1.4, 0.2]::real[]);
SELECT pgml.predict('NonFinite', ARRAY[5.1, 3.5, 'Infinity', 0.2]::double precision[]);
SELECT pgml.predict('NonFinite', ARRAY[5.1, 3.5, 1.4, '-Infinity']::numeric[]);
SELECT pgml.predict(:classifier, ARRAY['NaN', 3.5, 1.4, 0.2]::real[]);
SELECT pgml.predict(:classifier, ARRAY[5.1, 3.5, 1.4, 'Infinity']::numeric[]);
SELECT pgml.predict_proba('NonFinite', ARRAY[5.1, 'NaN', 1.4, 0.2]::real[]);
SELECT pgml.predict_proba(:classifier, ARRAY[5.1, 3.5, '-Infinity', 0.2]::real[]);
SELECT * FROM pgml.predict_batch('NonFinite', ARRAY[5.1, 3.5, 1.4, 0.2,  6.7, 3.0, 'NaN', 2.3]::real[]);
SELECT pgml.predict_batch(:classifier, ARRAY[5.1, 3.5, 1.4, 0.2,  6.7, 'Infinity', 5.2, 2.3]::real[]);
SELECT pgml.predict_joint('NonFinite Joint', ARRAY[5, 'NaN', 60]::real[]);
SELECT pgml.predict_joint('NonFinite Joint', ARRAY[5, 162, 'Infinity']::double precision[]);
SELECT pgml.predict_joint(:joint, ARRAY['-Infinity', 162, 60]::real[]);
SELECT pgml.model_predict(:joint, ARRAY[5, 162, 'NaN']::double precision[]);
SELECT pgml.decompose('NonFinite PCA', ARRAY[5.1, 'NaN', 1.4, 0.2]::real[]);
-- Integers and booleans are always finite.
SELECT pgml.predict('NonFinite', ARRAY[5, 3, 1, 0]::int[]) IS NOT NULL AS integers_predict;

-- Row form without imputation: NaN is reported like NULL, naming the column; ±Infinity is an error.
SELECT pgml.predict('NonFinite', (5.1::real, 'NaN'::real, 1.4::real, 0.2::real));
SELECT pgml.predict('NonFinite', (5.1::real, NULL::real, 1.4::real, 0.2::real));
SELECT pgml.predict('NonFinite', (5.1::real, 3.5::real, 'Infinity'::real, 0.2::real));
SELECT pgml.predict(:classifier, (5.1::float8, 3.5::float8, 1.4::float8, '-Infinity'::float8));
-- With imputation, NaN is imputed exactly as NULL is; Infinity is still refused.
SELECT project FROM pgml.train('NonFinite Imputed', 'classification', 'pgml.iris', 'target', algorithm => 'linear',
    preprocess => '{"sepal_width": {"impute": "mean"}}');
SELECT pgml.predict('NonFinite Imputed', (5.1::real, 'NaN'::real, 1.4::real, 0.2::real))
     = pgml.predict('NonFinite Imputed', (5.1::real, NULL::real, 1.4::real, 0.2::real)) AS nan_imputed_like_null;
SELECT pgml.predict('NonFinite Imputed', (5.1::real, 'Infinity'::real, 1.4::real, 0.2::real));
-- An array field of a row: the element is named.
CREATE TABLE nonfinite_vectors AS SELECT ARRAY[sepal_length, sepal_width]::real[] AS sepal, petal_length, petal_width, target FROM pgml.iris;
SELECT project FROM pgml.train('NonFinite Vectors', 'classification', 'nonfinite_vectors', 'target', algorithm => 'linear');
SELECT pgml.predict('NonFinite Vectors', (ARRAY[5.1, '-Infinity']::real[], 1.4::real, 0.2::real));

-- The row form reads every field of a wide row (its buffer grows field by field): predictions
-- equal the array form's for a model without preprocessing, from the first row of a statement.
SELECT project FROM pgml.train('NonFinite Diabetes', 'regression', 'pgml.diabetes', 'target', algorithm => 'linear');
SELECT count(*) AS rows, count(*) FILTER (WHERE by_row = by_array) AS equal
FROM (SELECT pgml.predict('NonFinite Diabetes', (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6)) AS by_row,
             pgml.predict('NonFinite Diabetes', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) AS by_array
      FROM pgml.diabetes) s;

-- The backend still predicts.
SELECT pgml.predict('NonFinite', ARRAY[5.1, 3.5, 1.4, 0.2]) AS still_works;
