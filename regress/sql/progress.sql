-- What pgml.train says (label summary, final test metrics), pgml.training_progress and
-- pgml.model_metrics. Progress lines depend on timing: installcheck sets
-- pgml.progress_interval to 0 through PGOPTIONS, before pgml is loaded.
SELECT pgml.version() IS NOT NULL AS loaded;
SHOW pgml.progress_interval;
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.load_dataset('linnerud');

-- INFO lines: the shape, the label summary (classes or mean/std/min/max, one line per label)
-- and the test metrics, rounded to 4 significant digits.
SELECT * FROM pgml.train('Progress iris', 'classification', 'pgml.iris', 'target', 'random_forest', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('Progress diabetes', 'regression', 'pgml.diabetes', 'target', 'linear');
SELECT * FROM pgml.train_joint('Progress linnerud', 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse'], 'linear');
-- A text label names its classes.
CREATE TABLE progress_text_label AS
SELECT sepal_length, sepal_width, (ARRAY['setosa', 'versicolor', 'virginica'])[target + 1] AS species FROM pgml.iris;
SELECT * FROM pgml.train('Progress species', 'classification', 'progress_text_label', 'species', 'linear');
-- Two classes that give probabilities add roc_auc and log_loss.
CREATE TABLE progress_binary AS SELECT sepal_length, sepal_width, (target = 2)::int AS virginica FROM pgml.iris;
SELECT * FROM pgml.train('Progress binary', 'classification', 'progress_binary', 'virginica', 'random_forest', hyperparams => '{"n_estimators": 10}');
-- Unsupervised: no label summary.
SELECT * FROM pgml.train('Progress clusters', 'clustering', 'pgml.iris', NULL, 'kmeans', hyperparams => '{"n_clusters": 3}');
-- A search says how many combinations it tries; its progress lines are off here.
SELECT * FROM pgml.train('Progress diabetes', algorithm => 'ridge', search => 'grid',
    search_params => '{"alpha": [0.1, 1]}', search_args => '{"cv": 2}', automatic_deploy => false);

-- pgml.model_metrics: one column per metric, equal to the stored JSON, NULL when absent.
SELECT project, algorithm, deployed,
       r2 IS NOT NULL AS has_r2, f1 IS NOT NULL AS has_f1, roc_auc IS NOT NULL AND log_loss IS NOT NULL AS has_roc_auc,
       silhouette IS NOT NULL AS has_silhouette, fit_time >= 0 AS timed
FROM pgml.model_metrics WHERE project LIKE 'Progress %' ORDER BY id;
SELECT count(*) AS models,
       count(*) FILTER (WHERE mm.r2 IS NOT DISTINCT FROM (m.metrics->>'r2')::float8
                          AND mm.mean_squared_error IS NOT DISTINCT FROM (m.metrics->>'mean_squared_error')::float8
                          AND mm.mean_absolute_error IS NOT DISTINCT FROM (m.metrics->>'mean_absolute_error')::float8
                          AND mm.f1 IS NOT DISTINCT FROM (m.metrics->>'f1')::float8
                          AND mm.precision IS NOT DISTINCT FROM (m.metrics->>'precision')::float8
                          AND mm.recall IS NOT DISTINCT FROM (m.metrics->>'recall')::float8
                          AND mm.accuracy IS NOT DISTINCT FROM (m.metrics->>'accuracy')::float8
                          AND mm.mcc IS NOT DISTINCT FROM (m.metrics->>'mcc')::float8
                          AND mm.roc_auc IS NOT DISTINCT FROM (m.metrics->>'roc_auc')::float8
                          AND mm.log_loss IS NOT DISTINCT FROM (m.metrics->>'log_loss')::float8
                          AND mm.silhouette IS NOT DISTINCT FROM (m.metrics->>'silhouette')::float8) AS equal_to_json
FROM pgml.model_metrics mm JOIN pgml.models m ON m.id = mm.id WHERE mm.project LIKE 'Progress %';
-- The deployed flag agrees with pgml.trained_models.
SELECT count(*) AS disagreeing FROM pgml.model_metrics mm JOIN pgml.trained_models tm ON tm.id = mm.id WHERE tm.deployed <> mm.deployed;

-- pgml.training_progress: its columns, and no row for a training that ended.
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'pgml.training_progress'::regclass AND attnum > 0 ORDER BY attnum;
SELECT count(*) AS running_here FROM pgml.training_progress WHERE pid = pg_backend_pid();
-- A training that fails after reading its rows leaves no row either.
SELECT * FROM pgml.train('Progress text regression', 'regression', 'progress_text_label', 'species', 'linear');
SELECT count(*) AS running_here FROM pgml.training_progress WHERE pid = pg_backend_pid();
-- Any role may read them.
SELECT has_table_privilege('public', 'pgml.training_progress', 'SELECT') AS progress_public,
       has_table_privilege('public', 'pgml.model_metrics', 'SELECT') AS metrics_public;
SELECT obj_description('pgml.training_progress'::regclass) IS NOT NULL AS progress_commented,
       obj_description('pgml.model_metrics'::regclass) IS NOT NULL AS metrics_commented,
       obj_description('pgml.training_progress_rows()'::regprocedure) IS NOT NULL AS function_commented;
