#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine (as root or with sudo): installs what is
# missing, builds and installs pgml, starts a local PostgreSQL 15 cluster, loads datasets,
# trains models and prints predictions. The cluster is left running for you to explore.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
export PGML_CLUSTER_DIR=${PGML_CLUSTER_DIR:-/tmp/pgml-demo} PGML_PORT=${PGML_PORT:-55433}

build/install-deps.sh
make
make install
build/cluster.sh start
eval "$(build/cluster.sh env)"

psql -X -v ON_ERROR_STOP=1 <<'SQL'
\pset footer off
CREATE EXTENSION pgml;
SELECT pgml.version();

-- Classification: iris flowers, multinomial logistic regression in Go.
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.train('Iris Flower Types', 'classification', 'pgml.iris', 'target');
SELECT target, pgml.predict('Iris Flower Types', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) AS prediction
FROM pgml.iris ORDER BY random() LIMIT 8;
SELECT round(avg((pgml.predict('Iris Flower Types', ARRAY[sepal_length, sepal_width, petal_length, petal_width]) = target)::int), 3) AS accuracy_on_all_rows
FROM pgml.iris;

-- More algorithms for the same project, reusing its snapshot: natively in Go, and with
-- scikit-learn in the backend's embedded Python. The best one stays deployed.
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'random_forest');
SELECT * FROM pgml.train('Iris Flower Types', algorithm => 'gaussian_process', runtime => 'python');
SELECT id, t.algorithm, t.runtime, round((m.metrics->>'f1')::numeric, 3) AS test_f1, t.deployed
FROM pgml.trained_models t JOIN pgml.models m USING (id) WHERE t.name = 'Iris Flower Types' ORDER BY id;
SELECT pgml.predict_proba('Iris Flower Types', ARRAY[5.9, 3.0, 5.1, 1.8]) AS probabilities;

-- Regression: diabetes progression, least squares.
SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.train('Diabetes Progression', 'regression', 'pgml.diabetes', 'target');
SELECT target, round(pgml.predict('Diabetes Progression', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6])::numeric, 1) AS prediction
FROM pgml.diabetes LIMIT 8;

SELECT p.name, m.algorithm, m.runtime, jsonb_pretty(m.metrics - 'fit_time' - 'score_time') AS test_metrics
FROM pgml.deployed_models d JOIN pgml.models m ON m.id = d.id JOIN pgml.projects p ON p.id = m.project_id;
SQL

echo
echo "The cluster is still running. Connect:  $(build/cluster.sh env | sed 's/^export //') psql"
echo "Stop it:                                PGML_CLUSTER_DIR=$PGML_CLUSTER_DIR build/cluster.sh stop"
