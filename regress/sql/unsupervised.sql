-- Clustering (kmeans, mini_batch_kmeans) and decomposition (pca), natively.
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.load_dataset('digits');
CREATE VIEW iris_features AS SELECT sepal_length, sepal_width, petal_length, petal_width FROM pgml.iris;

-- No y_column_name: every column is a feature. The default algorithm is kmeans.
SELECT * FROM pgml.train('Iris Clusters', 'clustering', 'iris_features', hyperparams => '{"n_clusters": 3}');
SELECT * FROM pgml.train('Iris Clusters', algorithm => 'mini_batch_kmeans', hyperparams => '{"n_clusters": 3}');
SELECT m.algorithm, m.num_features, round((m.metrics->>'silhouette')::numeric, 2) AS silhouette
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Iris Clusters' ORDER BY m.id;
-- Predictions are cluster ids; the three species mostly fall into different clusters.
SELECT count(DISTINCT c) AS clusters, count(*) FILTER (WHERE c NOT IN (0, 1, 2)) AS invalid
FROM (SELECT pgml.predict('Iris Clusters', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS c FROM pgml.iris) s;
SELECT target, count(DISTINCT pgml.predict('Iris Clusters', ARRAY[sepal_length, sepal_width, petal_length, petal_width])) AS clusters_of_species
FROM pgml.iris WHERE target = 0 GROUP BY target;

-- A label named for an unsupervised task is left out of the features.
SELECT * FROM pgml.train('Digit Clusters', 'clustering', 'pgml.digits', 'target', hyperparams => '{"n_clusters": 10}');
SELECT num_features FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Digit Clusters';
SELECT count(DISTINCT pgml.predict('Digit Clusters', image)) AS clusters FROM pgml.digits;

-- Decomposition: the default algorithm is pca; decompose gives every component, predict the first.
SELECT * FROM pgml.train('Iris PCA', 'decomposition', 'iris_features', hyperparams => '{"n_components": 2}');
SELECT round((metrics->>'cumulative_explained_variance')::numeric, 3) AS cumulative_explained_variance
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Iris PCA';
SELECT array_length(pgml.decompose('Iris PCA', ARRAY[5.1, 3.5, 1.4, 0.2]), 1) AS components,
       (pgml.decompose('Iris PCA', ARRAY[5.1, 3.5, 1.4, 0.2]))[1] = pgml.predict('Iris PCA', ARRAY[5.1, 3.5, 1.4, 0.2]) AS predict_is_first;
-- The components of the whole table have the variance the metric reports.
SELECT round((var_samp(c[1]) + var_samp(c[2]))::numeric / (SELECT var_samp(sepal_length) + var_samp(sepal_width) + var_samp(petal_length) + var_samp(petal_width) FROM pgml.iris)::numeric, 2) AS share_of_variance
FROM (SELECT pgml.decompose('Iris PCA', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS c FROM pgml.iris) s;
SELECT * FROM pgml.train('Digits PCA', 'decomposition', 'pgml.digits', 'target', hyperparams => '{"n_components": 0.9}');
SELECT array_length(pgml.decompose('Digits PCA', image::real[]), 1) AS components_for_90_percent FROM pgml.digits LIMIT 1;

-- Misuse.
SELECT * FROM pgml.train('Iris Clusters', algorithm => 'birch');
SELECT * FROM pgml.train('Iris Clusters', algorithm => 'pca');
SELECT * FROM pgml.train('Iris Clusters', algorithm => 'kmeans', hyperparams => '{"n_clusters": 0}');
SELECT pgml.decompose('Iris Clusters', ARRAY[1, 2, 3, 4]);
SELECT pgml.predict_proba('Iris Clusters', ARRAY[1, 2, 3, 4]);
