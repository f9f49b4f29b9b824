package main

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/extension/modelcache"
)

// loadedModel keeps what the hot path asks of a model, resolved once at load.
type loadedModel struct {
	model      algorithms.Model
	classifier algorithms.Classifier // nil unless the model gives probabilities
	checked    checkedPredictor      // non-nil for models whose Predict can fail (python)
	rows       *rowPredictor         // the row form's preprocessing; nil for models without one
}

// checkedPredictor is implemented by models whose prediction can fail at run time.
type checkedPredictor interface {
	PredictChecked(dst, x []float64) error
}

// probabilityModel is a classifier that may or may not give probabilities (python models
// know only once the estimator is loaded), and reports prediction errors.
type probabilityModel interface {
	HasPredictProba() bool
	PredictProbaChecked(dst, x []float64) error
}

// Resolution, once per statement and call site: C names the model (by id, or the deployment
// it read with the statement's snapshot, see shim_model_cache.c) and the catalog identity;
// Go finds it in the cache (pgmlGoFindModel, no SQL) or loads it (pgmlGoLoadModel, with SPI).
// The handle C keeps is checked on every call: a model dropped from the cache since is
// reported as PGML_STALE_MODEL and C resolves it again.

//export pgmlGoFindModel
func pgmlGoFindModel(catalog C.uint32_t, modelID C.int64_t, statement C.int64_t, out *C.PgmlModelRef) (found C.bool) {
	defer func() {
		if recover() != nil {
			found = false // loading reports the problem, with an error
		}
	}()
	handle, m, ok := models.Find(uint64(catalog), int64(modelID), int64(statement), time.Now())
	afterCacheChange()
	if !ok {
		return false
	}
	describe(m, handle, out)
	return true
}

//export pgmlGoLoadModel
func pgmlGoLoadModel(catalog C.uint32_t, modelID C.int64_t, statement C.int64_t, out *C.PgmlModelRef, st *C.PgmlStatus) {
	guard(st, func() error {
		m, d, err := loadModel(int64(modelID))
		if err != nil {
			return err
		}
		handle := models.Add(uint64(catalog), int64(statement), d, m, time.Now())
		afterCacheChange()
		describe(m, handle, out)
		return nil
	})
}

// recoverPrediction turns a panic of a hot-path export into an error status.
func recoverPrediction(st *C.PgmlStatus, rc *C.int) {
	if r := recover(); r != nil {
		setStatus(st, fmt.Errorf("pgml internal error during prediction: %v", r))
		*rc = C.PGML_ERROR
	}
}

// pgmlGoPredict runs a resolved model on nrows rows; the hot path, so no allocation.
//
//export pgmlGoPredict
func pgmlGoPredict(handle C.int64_t, x *C.double, nrows C.int, out *C.double, st *C.PgmlStatus) (rc C.int) {
	defer recoverPrediction(st, &rc)
	m, ok := models.Get(modelcache.Handle(handle))
	if !ok {
		return C.PGML_STALE_MODEL
	}
	n := int(nrows)
	features := unsafe.Slice((*float64)(unsafe.Pointer(x)), n*m.model.NumFeatures())
	outputs := unsafe.Slice((*float64)(unsafe.Pointer(out)), n*m.model.NumOutputs())
	if err := m.predict(outputs, features); err != nil {
		setStatus(st, err)
		return C.PGML_ERROR
	}
	return C.PGML_OK
}

// predict runs the model on rows of features.
func (m *loadedModel) predict(outputs, features []float64) error {
	return predictWith(m.model, m.checked, outputs, features)
}

// predictWith runs model; checked, when not nil, is the same model's failing form (python
// models report errors). The hot path passes the checked form it resolved at load.
func predictWith(model algorithms.Model, checked checkedPredictor, outputs, features []float64) error {
	if checked != nil {
		if err := checked.PredictChecked(outputs, features); err != nil {
			return newError(stateExternalRoutine, "%s", err.Error())
		}
		return nil
	}
	model.Predict(outputs, features)
	return nil
}

// predictProbabilities writes one probability per class and row, in the classifier's order.
func predictProbabilities(model algorithms.Model, classifier algorithms.Classifier, dst, features []float64) error {
	if p, ok := model.(probabilityModel); ok {
		return p.PredictProbaChecked(dst, features)
	}
	return algorithms.PredictProba(classifier, dst, features)
}

// pgmlGoPredictProba writes one probability per class and row, in the model's class order.
//
//export pgmlGoPredictProba
func pgmlGoPredictProba(handle C.int64_t, x *C.double, nrows C.int, out *C.double, st *C.PgmlStatus) (rc C.int) {
	defer recoverPrediction(st, &rc)
	m, ok := models.Get(modelcache.Handle(handle))
	if !ok {
		return C.PGML_STALE_MODEL
	}
	if m.classifier == nil {
		if task := m.model.Task(); task == algorithms.Classification {
			setStatus(st, newError(stateWrongObjectType, "the %s model of this project does not predict probabilities", m.model.Algorithm()))
		} else {
			setStatus(st, newError(stateWrongObjectType, "You can't predict probabilities for a %s model", task))
		}
		return C.PGML_ERROR
	}
	n := int(nrows)
	features := unsafe.Slice((*float64)(unsafe.Pointer(x)), n*m.model.NumFeatures())
	outputs := unsafe.Slice((*float64)(unsafe.Pointer(out)), n*len(m.classifier.Classes()))
	if err := predictProbabilities(m.model, m.classifier, outputs, features); err != nil {
		setStatus(st, newError(stateExternalRoutine, "%s", err.Error()))
		return C.PGML_ERROR
	}
	return C.PGML_OK
}

func describe(m *loadedModel, handle modelcache.Handle, out *C.PgmlModelRef) {
	out.handle = C.int64_t(handle)
	out.num_features = C.int32_t(m.model.NumFeatures())
	out.num_outputs = C.int32_t(m.model.NumOutputs())
	out.decomposition = C.bool(m.model.Task() == algorithms.Decomposition)
	out.classification = C.bool(m.model.Task() == algorithms.Classification)
	out.num_classes = 0
	if m.classifier != nil {
		out.num_classes = C.int32_t(len(m.classifier.Classes()))
	}
}
