-- The rest of the 2.x lifecycle: batch and joint prediction, search on both runtimes,
-- python clustering, deploy by id.
SET client_min_messages = warning;

SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.train('Batch', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge');
-- predict_batch gives the same predictions as predict, row by row, in one call.
WITH rows AS (SELECT row_number() OVER () AS n, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6] AS f FROM pgml.diabetes LIMIT 5),
     batch AS (SELECT row_number() OVER () AS n, p FROM pgml.predict_batch('Batch', (SELECT array_agg(v ORDER BY n, i) FROM rows, unnest(f) WITH ORDINALITY u(v, i))) p)
SELECT count(*) AS rows, bool_and(abs(b.p - pgml.predict('Batch', r.f)) < 1e-4) AS same
FROM rows r JOIN batch b USING (n);
SELECT array_length(pgml.predict_batch(m.id, ARRAY[1,2,3,4,5,6,7,8,9,10, 1,2,3,4,5,6,7,8,9,10]::real[]), 1) AS predictions
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Batch';
SELECT * FROM pgml.predict_batch('Batch', ARRAY[1, 2, 3]::real[]);

-- Joint prediction, for real[] and double precision[] (1.0), by project and by model id.
SELECT * FROM pgml.load_dataset('linnerud');
SELECT * FROM pgml.train_joint('Joint', 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse']);
SELECT pg_typeof(pgml.predict_joint('Joint', ARRAY[chins, situps, jumps])) AS from_real,
       pg_typeof(pgml.predict_joint('Joint', ARRAY[chins, situps, jumps]::float8[])) AS from_float8,
       array_length(pgml.predict_joint('Joint', ARRAY[1.0, 2.0, 3.0]), 1) AS from_numeric,
       array_length(pgml.predict_joint('Joint', ARRAY[1, 2, 3]), 1) AS from_integer
FROM pgml.linnerud LIMIT 1;
SELECT pgml.predict_joint(m.id, ARRAY[1, 2, 3]::real[]) = pgml.predict_joint('Joint', ARRAY[1, 2, 3]::real[]) AS same_model
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Joint';

-- Search: random on the native runtime with 3 folds, grid on python with no folds.
SELECT * FROM pgml.train('Searches', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge',
    search => 'random', search_params => '{"alpha": [0.01, 0.1, 1, 10, 100]}', search_args => '{"cv": 3, "n_iter": 3}');
SELECT m.runtime, m.search, m.search_args, jsonb_array_length(m.metrics->'search_results'->'params') AS candidates,
       m.metrics->'search_results'->'n_splits' AS splits,
       m.metrics->'search_results' ?& ARRAY['mean_test_score', 'std_test_score', 'rank_test_score', 'split0_test_score', 'split2_test_score', 'param_alpha'] AS keys,
       m.hyperparams->'alpha' = m.metrics->'search_results'->'params'->((m.metrics->'search_results'->>'best_index')::int)->'alpha' AS best_stored
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Searches' ORDER BY m.id DESC LIMIT 1;
-- The best candidate has the highest mean score.
SELECT (SELECT max(v::float8) FROM jsonb_array_elements_text(m.metrics->'search_results'->'mean_test_score') v)
     = (m.metrics->'search_results'->'mean_test_score'->>((m.metrics->'search_results'->>'best_index')::int))::float8 AS best_is_max
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Searches' ORDER BY m.id DESC LIMIT 1;
-- Not deployed: native and scikit-learn ridge tie to the last digit here, and a tie deploys.
SELECT * FROM pgml.train('Searches', algorithm => 'ridge', runtime => 'python',
    search => 'grid', search_params => '{"alpha": [0.1, 10]}', search_args => '{"cv": 1}', automatic_deploy => false);
SELECT m.runtime, jsonb_array_length(m.metrics->'search_results'->'params') AS candidates, m.metrics->'search_results'->'n_splits' AS splits
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Searches' ORDER BY m.id DESC LIMIT 1;
-- search_params without search tries every combination (2.x).
SELECT * FROM pgml.train('Searches', algorithm => 'ridge', search_params => '{"alpha": [1, 2]}');
SELECT m.search IS NULL AS no_search, jsonb_array_length(m.metrics->'search_results'->'params') AS candidates
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Searches' ORDER BY m.id DESC LIMIT 1;
-- Misuse.
SELECT * FROM pgml.train('Searches', algorithm => 'ridge', search => 'bayes', search_params => '{"alpha": [1, 2]}');
SELECT * FROM pgml.train('Searches', algorithm => 'ridge', search => 'grid');
SELECT * FROM pgml.train('Searches', algorithm => 'ridge', hyperparams => '{"alpha": 1}', search => 'grid', search_params => '{"alpha": [1, 2]}');
SELECT * FROM pgml.train('Searches', algorithm => 'ridge', search => 'grid', search_params => '{"alpha": 1}');
SELECT * FROM pgml.train('Searches', algorithm => 'ridge', search => 'grid', search_params => '{"alpha": [1, 2]}', search_args => '{"folds": 3}');
SELECT * FROM pgml.train('Searches', algorithm => 'ridge', search => 'grid', search_params => '{"alpha": [1, 2]}', search_args => '{"cv": 1000}');

-- Python clustering: the algorithms only scikit-learn provides.
SELECT * FROM pgml.load_dataset('iris');
CREATE VIEW iris_measurements AS SELECT sepal_length, sepal_width, petal_length, petal_width FROM pgml.iris;
SELECT * FROM pgml.train('Python clusters', 'clustering', 'iris_measurements', algorithm => 'birch', hyperparams => '{"n_clusters": 3}');
SELECT * FROM pgml.train('Python clusters', algorithm => 'affinity_propagation');
SELECT * FROM pgml.train('Python clusters', algorithm => 'mean_shift');
SELECT algorithm, runtime, (metrics->>'silhouette')::float8 BETWEEN -1 AND 1 AS silhouette
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Python clusters' ORDER BY m.id;
SELECT count(DISTINCT pgml.predict(m.id, ARRAY[sepal_length, sepal_width, petal_length, petal_width])) AS clusters
FROM pgml.iris, pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'Python clusters' AND m.algorithm = 'birch';
-- Names PostgresML lists without a trainer here: refused (0A000) before any data is read, with
-- what works for the task (and runtime).
SELECT * FROM pgml.train('Python clusters', algorithm => 'dbscan');
DO $$ BEGIN PERFORM pgml.train('Python clusters', algorithm => 'optics');
EXCEPTION WHEN feature_not_supported THEN RAISE WARNING 'optics: feature_not_supported (SQLSTATE %)', SQLSTATE; END $$;
SELECT * FROM pgml.train('Python clusters', algorithm => 'spectral', runtime => 'python');
SELECT * FROM pgml.train('Python regression', 'regression', 'iris_measurements', 'petal_width', algorithm => 'optics');
SELECT * FROM pgml.train('Python PCA', 'decomposition', 'iris_measurements', runtime => 'python', hyperparams => '{"n_components": 2}');
SELECT runtime, (metrics->>'cumulative_explained_variance')::float8 > 0.9 AS explains
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Python PCA';
SELECT array_length(pgml.decompose('Python PCA', ARRAY[5.1, 3.5, 1.4, 0.2]), 1) AS components;

-- deploy by id, then by strategy with an algorithm filter.
SELECT (pgml.deploy(m.id)).strategy FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'Python clusters' AND m.algorithm = 'mean_shift';
SELECT * FROM pgml.deploy('Python clusters', 'best_score', 'birch');
SELECT * FROM pgml.deploy('Python clusters', 'best_score', 'kmeans');

-- pgml.snapshot materializes a copy and records it.
SELECT * FROM pgml.snapshot('pgml.iris', 'target');
SELECT s.relation_name, s.y_column_name, s.test_sampling, s.materialized, s.status,
       (SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'snapshot_' || s.id AND relnamespace = 'pgml'::regnamespace) AS copies
FROM pgml.snapshots s ORDER BY s.id DESC LIMIT 1;
SELECT * FROM pgml.snapshot('no_such_table', 'target');
SELECT * FROM pgml.snapshot('pgml.iris', 'nope');
SELECT * FROM pgml.snapshot('pgml.iris', 'target', test_sampling => 'sideways');

-- Binary classifiers with probabilities also store roc_auc and log_loss, from the positive
-- class's probability.
SELECT * FROM pgml.load_dataset('breast_cancer');
SELECT * FROM pgml.train('Binary', 'classification', 'pgml.breast_cancer', 'malignant');
SELECT (metrics->>'roc_auc')::float8 BETWEEN 0.9 AND 1 AS roc_auc, (metrics->>'log_loss')::float8 BETWEEN 0 AND 1 AS log_loss
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Binary';
-- Joint prediction refuses every classifier, with or without probabilities.
SELECT * FROM pgml.train('Binary', algorithm => 'svm');
SELECT pgml.predict_joint('Binary', ARRAY[1, 2, 3]);

-- The snapshot records each feature's preprocessing and training statistics.
SELECT c->>'name' AS name, c->'preprocessor'->>'impute' AS impute,
       (c->'statistics'->0->>'mean')::float8 BETWEEN 4 AND 7 AS plausible_mean,
       (c->'statistics'->0->>'missing')::int AS missing,
       s.analysis ?& ARRAY['samples', 'training_rows', 'test_rows'] AS analysis
FROM pgml.snapshots s, jsonb_array_elements(s.columns) c
WHERE s.id = (SELECT max(snapshot_id) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Python clusters')
  AND c->>'name' = 'sepal_length';

-- load_dataset: "limit" => 0 loads no rows; a negative limit is an error.
SELECT * FROM pgml.load_dataset('wine', "limit" => 0);
SELECT * FROM pgml.load_dataset('wine', "limit" => -1);
SELECT * FROM pgml.load_dataset('wine');

-- PostgresML 1.0's pgml.snapshot: an array of labels, the id as the result.
SELECT id AS snapshot_id FROM pgml.snapshot('pgml.linnerud', ARRAY['weight', 'waste', 'pulse']) \gset
SELECT id = :snapshot_id AS returns_id, y_column_name, test_sampling FROM pgml.snapshots ORDER BY id DESC LIMIT 1;
-- 2.x spells the column waist: a column generated from waste, so that either spelling is a
-- label and the other, the same label under another name, is no feature.
SELECT * FROM pgml.train_joint('Joint waist', 'regression', 'pgml.linnerud', ARRAY['weight', 'waist', 'pulse']);
SELECT * FROM pgml.train('Waste', 'regression', 'pgml.linnerud', 'waste');
SELECT s.y_column_name, (SELECT array_agg(c->>'name' ORDER BY (c->>'position')::int) FROM jsonb_array_elements(s.columns) c
        WHERE NOT (c->>'label')::boolean) AS features
FROM pgml.projects p JOIN pgml.models m ON m.project_id = p.id JOIN pgml.snapshots s ON s.id = m.snapshot_id
WHERE p.name IN ('Joint waist', 'Waste') ORDER BY p.name;
