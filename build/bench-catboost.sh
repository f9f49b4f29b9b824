#!/usr/bin/env bash
# catboost benchmark (make bench-catboost): catboost against hist_gradient_boosting and xgboost
# with default hyperparameters on pgml's toy datasets and california_housing, through
# pgml.train and pgml.predict (build/bench/catboost.sql: test metric, fit time, predict µs per
# row), then the in-process cost of one row (Go benchmarks of algorithms/catboost) and the Go
# quality table over 5 splits (algorithms/catboost/quality_test.go). The tables
# of docs/catboost.md come from here. Uses the cluster of PGML_PORT / PGML_CLUSTER_DIR
# (default: a throw-away one on port 55443), in a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
make
make install
export PGML_PORT=${PGML_PORT:-55443} PGML_CLUSTER_DIR=${PGML_CLUSTER_DIR:-/tmp/pgml-bench-catboost}
build/cluster.sh start
trap 'build/cluster.sh stop' EXIT
eval "$(build/cluster.sh env)"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS bench_catboost" -c "CREATE DATABASE bench_catboost"
echo "bench-catboost: training 3 algorithms on 7 datasets (about a minute on an idle machine)"
psql -X -q -d bench_catboost -c "CREATE EXTENSION pgml" -f build/bench/catboost.sql 2>&1 | sed -e '/INFO:  /d'
psql -X -q -d postgres -c "DROP DATABASE bench_catboost"
echo
echo "bench-catboost: one row per Predict call in Go (no SQL), default hyperparameters"
go test -run '^$' -bench 'PredictRow' -benchtime 2s ./algorithms/catboost | grep -E '^Benchmark|^ok'
echo
echo "bench-catboost: in Go against hist_gradient_boosting, mean of 5 random 75/25 splits (algorithms/catboost/quality_test.go)"
PGML_CATBOOST_QUALITY=1 go test -count=1 -timeout 0 -run TestQualityTable ./algorithms/catboost | grep -E '^\||^---|^ok|quality_test'
