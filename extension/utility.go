package main

/*
#include "shim.h"
*/
import "C"

import (
	"encoding/json"
	"errors"
	"math"
	"strings"

	"github.com/pgml-go/pgml/algorithms/metrics"
	"github.com/pgml-go/pgml/pybridge"
	"github.com/pgml-go/pgml/xgboost"
)

// PostgresML 2.x's utility functions (specification sections 2.5 and 2.7), the Go half of
// shim_utility.c. dump_all, load_all and validate_shared_library are SQL only.

// pgmlGoXGBoostVersion reports the version of the XGBoost C library that pgml dlopens for
// its native xgboost algorithms (2.x answers a constant).
//
//export pgmlGoXGBoostVersion
func pgmlGoXGBoostVersion(out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		v, err := xgboost.Version()
		if err != nil {
			return withHint(newError(stateFeatureMissing, "%s", err.Error()),
				"pgml's xgboost algorithms need the Debian package libxgboost0.")
		}
		setResultText(out, 0, v)
		return nil
	})
}

// pgmlGoPythonPipFreeze returns the installed Python distributions, "name==version", one
// per line in out.text[0].
//
//export pgmlGoPythonPipFreeze
func pgmlGoPythonPipFreeze(out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		if err := startPython(); err != nil {
			return err
		}
		packages, err := pybridge.PipFreeze()
		if err != nil {
			return pythonError(err)
		}
		for i, p := range packages {
			packages[i] = strings.ReplaceAll(p, "\n", " ")
		}
		setResultText(out, 0, strings.Join(packages, "\n"))
		out.number = C.int64_t(len(packages))
		return nil
	})
}

// pgmlGoActivateVenv adds a virtualenv's site-packages to this backend's interpreter; the
// C entry point has checked that the caller is a superuser. out.flag is false when
// <venv>/bin/activate_this.py does not exist.
//
//export pgmlGoActivateVenv
func pgmlGoActivateVenv(venvArg C.PgmlText, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		venv, _ := goText(venvArg)
		if strings.ContainsRune(venv, 0) {
			return newError(stateInvalidParameter, "venv must not contain a NUL character")
		}
		if err := startPython(); err != nil {
			return err
		}
		ok, err := pybridge.ActivateVenv(venv)
		if err != nil {
			return pythonError(err)
		}
		out.flag = C.bool(ok)
		return nil
	})
}

// Metric kinds of pgmlGoSklearnScore and pgmlGoSklearnMetrics (shim_utility.c).
const (
	metricF1             = 1
	metricR2             = 2
	metricRegression     = 3
	metricClassification = 4
)

// metricInputs checks the two arrays as PostgresML's helpers would see them and names the
// SQL arguments in the errors; the metrics package repeats the checks with sklearn's names.
func metricInputs(truth *C.double, nTruth C.int, pred *C.double, nPred C.int) ([]float64, []float64, error) {
	if nTruth != nPred {
		return nil, nil, newError(stateInvalidParameter, "ground_truth and y_hat have different lengths (%d and %d)", int(nTruth), int(nPred))
	}
	if nTruth == 0 {
		return nil, nil, newError(stateInvalidParameter, "ground_truth and y_hat must not be empty")
	}
	yTrue := unsafeSlice((*float64)(truth), int(nTruth))
	yPred := unsafeSlice((*float64)(pred), int(nPred))
	for _, a := range []struct {
		name string
		v    []float64
	}{{"ground_truth", yTrue}, {"y_hat", yPred}} {
		for i, v := range a.v {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, newError(stateInvalidParameter, "%s contains %v (element %d); metrics need finite values", a.name, v, i+1)
			}
		}
	}
	return yTrue, yPred, nil
}

func metricError(err error) error {
	if errors.Is(err, metrics.ErrInvalidInput) {
		msg := strings.TrimPrefix(err.Error(), metrics.ErrInvalidInput.Error()+": ")
		msg = strings.NewReplacer("y_true", "ground_truth", "y_pred", "y_hat").Replace(msg)
		return newError(stateInvalidParameter, "%s", msg)
	}
	return err
}

// pgmlGoSklearnScore computes sklearn_f1_score or sklearn_r2_score into *out.
//
//export pgmlGoSklearnScore
func pgmlGoSklearnScore(kind C.int, truth *C.double, nTruth C.int, pred *C.double, nPred C.int, out *C.double, st *C.PgmlStatus) {
	guard(st, func() error {
		yTrue, yPred, err := metricInputs(truth, nTruth, pred, nPred)
		if err != nil {
			return err
		}
		var v float64
		switch kind {
		case metricF1:
			v, err = metrics.F1Score(yTrue, yPred)
		case metricR2:
			v, err = metrics.R2Score(yTrue, yPred)
		default:
			return newError("XX000", "pgml: unknown metric kind %d", int(kind))
		}
		if err != nil {
			return metricError(err)
		}
		*out = C.double(v)
		return nil
	})
}

// pgmlGoSklearnMetrics computes sklearn_regression_metrics or sklearn_classification_metrics
// as a JSON object in out.text[0]. Values are rounded to real, as 2.x returns f32 values
// (serde_json writes NaN as null).
//
//export pgmlGoSklearnMetrics
func pgmlGoSklearnMetrics(kind C.int, truth *C.double, nTruth C.int, pred *C.double, nPred C.int, numClasses C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		yTrue, yPred, err := metricInputs(truth, nTruth, pred, nPred)
		if err != nil {
			return err
		}
		var scores map[string]float64
		switch kind {
		case metricRegression:
			scores, err = metrics.RegressionScores(yTrue, yPred)
		case metricClassification:
			scores, err = metrics.ClassificationScores(yTrue, yPred)
			if err == nil && numClasses == 2 {
				var auc float64
				auc, err = metrics.ROCAUCScore(yTrue, yPred)
				scores["roc_auc"] = auc
			}
		default:
			return newError("XX000", "pgml: unknown metric kind %d", int(kind))
		}
		if err != nil {
			return metricError(err)
		}
		text, err := sklearnMetricsJSON(scores)
		if err != nil {
			return err
		}
		setResultText(out, 0, text)
		return nil
	})
}

// sklearnMetricsJSON writes scores as float4 values (shortest form), NaN and infinities as null.
func sklearnMetricsJSON(scores map[string]float64) (string, error) {
	obj := make(map[string]any, len(scores))
	for k, v := range scores {
		f := float32(v)
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			obj[k] = nil
		} else {
			obj[k] = f
		}
	}
	b, err := json.Marshal(obj)
	return string(b), err
}
