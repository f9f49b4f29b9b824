-- The analysis pgml.train stores in pgml.models.analysis (docs/analysis.md), checked by its
-- invariants rather than its floats: counts that add up to the test rows, curves that rise
-- from (0, 0) to (1, 1), importances that sum to 1 where they are normalized.
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.load_dataset('breast_cancer');
SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.load_dataset('linnerud');

-- x is sorted ascending (direction 1) or descending (-1).
CREATE FUNCTION pg_temp.monotone(x jsonb, direction int) RETURNS boolean LANGUAGE sql AS $$
    SELECT coalesce(bool_and(direction * (v - prev) >= 0), true)
    FROM (SELECT e::float8 AS v, lag(e::float8) OVER (ORDER BY i) AS prev
          FROM jsonb_array_elements_text(x) WITH ORDINALITY AS a(e, i)) s
$$;
CREATE FUNCTION pg_temp.total(x jsonb) RETURNS float8 LANGUAGE sql AS $$
    SELECT sum(e::float8) FROM jsonb_array_elements_text(x) AS a(e)
$$;
CREATE FUNCTION pg_temp.first(x jsonb) RETURNS float8 LANGUAGE sql AS $$ SELECT (x ->> 0)::float8 $$;
CREATE FUNCTION pg_temp.last(x jsonb) RETURNS float8 LANGUAGE sql AS $$ SELECT (x ->> -1)::float8 $$;

SELECT * FROM pgml.train('an binary', 'classification', 'pgml.breast_cancer', 'malignant', 'random_forest', hyperparams => '{"n_estimators": 10}');
SELECT * FROM pgml.train('an multiclass', 'classification', 'pgml.iris', 'target', 'linear');
SELECT * FROM pgml.train('an multiclass', 'classification', 'pgml.iris', 'target', 'knn', automatic_deploy => false);
SELECT * FROM pgml.train('an regression', 'regression', 'pgml.diabetes', 'target', 'linear');
SELECT * FROM pgml.train('an regression', 'regression', 'pgml.diabetes', 'target', 'xgboost', hyperparams => '{"n_estimators": 10}', automatic_deploy => false);
SELECT * FROM pgml.train_joint('an joint', 'regression', 'pgml.linnerud', ARRAY['weight', 'waist', 'pulse'], 'random_forest', hyperparams => '{"n_estimators": 5}');
-- A python tree model reports scikit-learn's feature_importances_.
SELECT * FROM pgml.train('an python', 'classification', 'pgml.iris', 'target', 'extra_trees', hyperparams => '{"n_estimators": 5}', runtime => 'python');
SELECT * FROM pgml.train('an clusters', 'clustering', 'pgml.iris', NULL, 'kmeans', hyperparams => '{"n_clusters": 3}');

CREATE TEMP VIEW analyzed AS
SELECT p.name AS project, m.algorithm, m.id, m.num_features, m.analysis AS a, m.metrics,
       (s.analysis ->> 'test_rows')::int AS test_rows
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id JOIN pgml.snapshots s ON s.id = m.snapshot_id
WHERE p.name LIKE 'an %';

-- Which sections each model has.
SELECT project, algorithm, a ->> 'version' AS version, a -> 'search' AS search,
       array(SELECT k FROM jsonb_object_keys(a) AS k WHERE k NOT IN ('version', 'search') ORDER BY k) AS sections,
       a #>> '{feature_importance,method}' AS importance_method
FROM analyzed ORDER BY id;

-- Confusion matrices: one row and one column per label, counts adding up to the test rows,
-- the diagonal to the accuracy.
SELECT project, algorithm, a #> '{confusion_matrix,labels}' AS labels,
       (SELECT bool_and(jsonb_array_length(r) = jsonb_array_length(a #> '{confusion_matrix,labels}'))
        FROM jsonb_array_elements(a #> '{confusion_matrix,counts}') r) AS square,
       (SELECT sum(pg_temp.total(r)) FROM jsonb_array_elements(a #> '{confusion_matrix,counts}') r) = test_rows AS counts_all_test_rows,
       abs((SELECT sum((r ->> (i - 1)::int)::float8) FROM jsonb_array_elements(a #> '{confusion_matrix,counts}') WITH ORDINALITY AS c(r, i))
           / test_rows - (metrics ->> 'accuracy')::float8) < 1e-9 AS diagonal_is_accuracy
FROM analyzed WHERE a ? 'confusion_matrix' ORDER BY id;

-- ROC curves: one for the positive class of a binary model, one per class otherwise; at most
-- 200 points each, rising from (0, 0) to (1, 1); the binary AUC is the metrics' roc_auc.
SELECT project, algorithm, r ->> 'class' AS class,
       jsonb_array_length(r -> 'fpr') = jsonb_array_length(r -> 'tpr') AND jsonb_array_length(r -> 'fpr') BETWEEN 2 AND 200 AS points,
       pg_temp.first(r -> 'fpr') = 0 AND pg_temp.first(r -> 'tpr') = 0 AND pg_temp.last(r -> 'fpr') = 1 AND pg_temp.last(r -> 'tpr') = 1 AS ends,
       pg_temp.monotone(r -> 'fpr', 1) AND pg_temp.monotone(r -> 'tpr', 1) AS rising,
       (r ->> 'auc')::float8 BETWEEN 0.8 AND 1 AS good_auc,
       CASE WHEN metrics ? 'roc_auc' THEN abs((r ->> 'auc')::float8 - (metrics ->> 'roc_auc')::float8) < 1e-9 END AS auc_is_roc_auc
FROM analyzed, jsonb_array_elements(a -> 'roc') r ORDER BY id, class;

-- Precision-recall curves: recall falls from 1 to 0, ending at precision 1.
SELECT project, algorithm, r ->> 'class' AS class,
       jsonb_array_length(r -> 'recall') = jsonb_array_length(r -> 'precision') AND jsonb_array_length(r -> 'recall') <= 200 AS points,
       pg_temp.first(r -> 'recall') = 1 AND pg_temp.last(r -> 'recall') = 0 AND pg_temp.last(r -> 'precision') = 1 AS ends,
       pg_temp.monotone(r -> 'recall', -1) AS falling,
       (r ->> 'average_precision')::float8 BETWEEN 0.5 AND 1 AS good_average_precision
FROM analyzed, jsonb_array_elements(a -> 'precision_recall') r ORDER BY id, class;

-- Regression: a sample of at most 500 test rows; residual quantiles in order, the median near 0.
SELECT project, algorithm,
       jsonb_array_length(a #> '{predicted_vs_actual,actual}') = least(test_rows, 500) AS sample_size,
       jsonb_array_length(a #> '{predicted_vs_actual,predicted}') = least(test_rows, 500) AS paired,
       a #> '{predicted_vs_actual,output}' AS output,
       a #> '{residual_quantiles,q}' AS q,
       pg_temp.monotone(a #> '{residual_quantiles,value}', 1) AS quantiles_sorted,
       abs((a #>> '{residual_quantiles,value,3}')::float8) < (a #>> '{residual_quantiles,value,6}')::float8 - (a #>> '{residual_quantiles,value,0}')::float8 AS median_inside
FROM analyzed WHERE a ? 'predicted_vs_actual' ORDER BY id;

-- Feature importances: one per feature the model sees; summing to 1 where normalized
-- (impurity, gain); never negative but for permutations (shuffling a useless feature may
-- happen to improve the score).
SELECT project, algorithm, a #>> '{feature_importance,method}' AS method,
       jsonb_array_length(a #> '{feature_importance,features}') = num_features AS one_per_feature,
       jsonb_array_length(a #> '{feature_importance,importance}') = num_features AS one_value_per_feature,
       CASE WHEN a #>> '{feature_importance,method}' IN ('impurity', 'gain')
            THEN abs(pg_temp.total(a #> '{feature_importance,importance}') - 1) < 1e-9 END AS sums_to_one,
       CASE WHEN a #>> '{feature_importance,method}' <> 'permutation'
            THEN (SELECT bool_and(e::float8 >= 0) FROM jsonb_array_elements_text(a #> '{feature_importance,importance}') e) END AS non_negative,
       (SELECT max(e::float8) FROM jsonb_array_elements_text(a #> '{feature_importance,importance}') e) > 0 AS some_feature_matters
FROM analyzed WHERE a ? 'feature_importance' ORDER BY id;

-- pgml.feature_importance: the deployed model's, or a given model's, ranked.
SELECT feature, rank, method FROM pgml.feature_importance('an multiclass') ORDER BY rank;
SELECT count(*) AS features, min(rank) AS first, max(rank) AS last, count(DISTINCT rank) AS distinct_ranks,
       bool_and(method = 'gain') AS gain
FROM pgml.feature_importance((SELECT max(id) FROM analyzed WHERE project = 'an regression'));
SELECT feature FROM pgml.feature_importance('an joint') ORDER BY feature;
-- The linear model of diabetes ranks bmi and s5 among its three most important features.
SELECT count(*) AS found FROM pgml.feature_importance('an regression') WHERE rank <= 3 AND feature IN ('bmi', 's5');
-- Ranks follow the importances.
SELECT bool_and(importance >= next_importance) AS ranked
FROM (SELECT importance, lead(importance) OVER (ORDER BY rank) AS next_importance FROM pgml.feature_importance('an binary')) r
WHERE next_importance IS NOT NULL;
SELECT count(*) AS clustering_rows FROM pgml.feature_importance('an clusters');
SELECT count(*) AS rows_for_null FROM pgml.feature_importance(NULL::text);

-- Errors.
\set VERBOSITY terse
SELECT * FROM pgml.feature_importance('an nonexistent');
SELECT * FROM pgml.feature_importance(-1);
SELECT * FROM pgml.train('an undeployed', 'regression', 'pgml.diabetes', 'target', 'linear', automatic_deploy => false);
SELECT * FROM pgml.feature_importance('an undeployed');
\set VERBOSITY default

-- PUBLIC reads the analysis and the importances.
CREATE ROLE pgml_analysis_reader;
SET ROLE pgml_analysis_reader;
SELECT count(*) > 0 AS reads_importances FROM pgml.feature_importance('an binary');
SELECT count(analysis) > 0 AS reads_analysis FROM pgml.models;
RESET ROLE;
DROP ROLE pgml_analysis_reader;
