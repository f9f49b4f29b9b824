package main

/*
#include "shim.h"
*/
import "C"

import (
	"strings"

	"github.com/pgml-go/pgml/algorithms/metrics"
	"github.com/pgml-go/pgml/datasets"
	"github.com/pgml-go/pgml/lifecycle"
	"github.com/pgml-go/pgml/runtimes"
)

// PostgresML 2.x's utility functions (docs/sql-reference.md), the Go half of shim_utility.c
// and shim_entry.c.

// pgmlGoXGBoostVersion reports the version of the XGBoost C library that pgml dlopens for
// its native xgboost algorithms (2.x answers a constant).
//
//export pgmlGoXGBoostVersion
func pgmlGoXGBoostVersion(out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		v, err := runtimes.XGBoostVersion()
		if err != nil {
			return err
		}
		setResultText(out, 0, v)
		return nil
	})
}

// pgmlGoSklearnScore computes sklearn_f1_score or sklearn_r2_score into *out.
//
//export pgmlGoSklearnScore
func pgmlGoSklearnScore(kind C.int, truth *C.double, nTruth C.int, pred *C.double, nPred C.int, out *C.double, st *C.PgmlStatus) {
	guard(st, func() error {
		score := metrics.R2Score
		if kind == C.PGML_METRIC_F1 {
			score = metrics.F1Score
		}
		v, err := lifecycle.SklearnScore(score, doubles(truth, int(nTruth)), doubles(pred, int(nPred)))
		*out = C.double(v)
		return err
	})
}

// pgmlGoSklearnMetrics computes sklearn_regression_metrics or sklearn_classification_metrics
// as a JSON object in out.text[0].
//
//export pgmlGoSklearnMetrics
func pgmlGoSklearnMetrics(kind C.int, truth *C.double, nTruth C.int, pred *C.double, nPred C.int, numClasses C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		yTrue, yPred := doubles(truth, int(nTruth)), doubles(pred, int(nPred))
		var text string
		var err error
		if kind == C.PGML_METRIC_CLASSIFICATION {
			text, err = lifecycle.SklearnClassificationMetrics(yTrue, yPred, int64(numClasses))
		} else {
			text, err = lifecycle.SklearnRegressionMetrics(yTrue, yPred)
		}
		if err != nil {
			return err
		}
		setResultText(out, 0, text)
		return nil
	})
}

// pgmlGoDumpAll writes (load false) or loads pgml's tables to or from <path>/<table>.csv.
//
//export pgmlGoDumpAll
func pgmlGoDumpAll(pathArg C.PgmlText, load C.bool, st *C.PgmlStatus) {
	guard(st, func() error {
		dir, _ := goText(pathArg)
		if bool(load) {
			return newSession().LoadAll(dir)
		}
		return newSession().DumpAll(dir)
	})
}

// pgmlGoSignModels signs the rows of pgml.files (of one model, or all when modelID < 0); the
// C entry point checked that the caller is a superuser. out.number is the number signed.
//
//export pgmlGoSignModels
func pgmlGoSignModels(modelID C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		signed, err := newSession().SignModels(int64(modelID))
		out.number = C.int64_t(signed)
		return err
	})
}

// pgmlGoVerifyModels lists the rows of pgml.files that pgml would refuse to load, one
// "model_id\tpath\tpart\tproblem" line each in out.text[0].
//
//export pgmlGoVerifyModels
func pgmlGoVerifyModels(out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		problems, err := newSession().UnverifiedParts()
		if err != nil {
			return err
		}
		setResultText(out, 0, strings.Join(problems, "\n"))
		out.number = C.int64_t(len(problems))
		return nil
	})
}

//export pgmlGoLoadDataset
func pgmlGoLoadDataset(sourceArg, subsetArg C.PgmlText, limit C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		source, ok := goText(sourceArg)
		if !ok {
			return nullArgument("source")
		}
		if _, given := goText(subsetArg); given {
			return lifecycle.Errorf(lifecycle.StateFeatureMissing, "subset applies to Hugging Face datasets, which pgml does not download")
		}
		// C passes a negative limit for NULL (every row) and rejects negative arguments.
		table, rows, err := newSession().LoadDataset(source, int(max(limit, datasets.All)))
		if err != nil {
			return err
		}
		setResultText(out, 0, table)
		out.number = C.int64_t(rows)
		return nil
	})
}
