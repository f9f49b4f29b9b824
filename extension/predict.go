package main

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
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

// The per-backend prediction cache: project name -> deployed model id -> loaded model.
// Models never change once stored, so loaded models are kept by id; the project map is
// dropped whenever the deployments generation moves (a relcache invalidation of
// pgml.deployments, sent at commit). Handles index `loaded` and are what C keeps per call site.
var (
	loaded          []loadedModel
	handleByModelID = map[int64]int{}
	projects        = map[string]int{}
	projectsGen     uint64
)

//export pgmlGoResolveProject
func pgmlGoResolveProject(name C.PgmlText, generation C.uint64_t, out *C.PgmlModelRef, st *C.PgmlStatus) {
	guard(st, func() error {
		project, _ := goText(name)
		if uint64(generation) != projectsGen {
			clear(projects)
			projectsGen = uint64(generation)
		}
		handle, ok := projects[project]
		if !ok {
			var err error
			if handle, err = deployedModelHandle(project); err != nil {
				return err
			}
			projects[project] = handle
		}
		describe(handle, out)
		return nil
	})
}

//export pgmlGoResolveModel
func pgmlGoResolveModel(modelID C.int64_t, out *C.PgmlModelRef, st *C.PgmlStatus) {
	guard(st, func() error {
		handle, err := modelHandle(int64(modelID))
		if err != nil {
			return err
		}
		describe(handle, out)
		return nil
	})
}

// pgmlGoPredict runs a resolved model on nrows rows; the hot path, so no allocation.
//
//export pgmlGoPredict
func pgmlGoPredict(handle C.int64_t, x *C.double, nrows C.int, out *C.double, st *C.PgmlStatus) (rc C.int) {
	defer func() {
		if r := recover(); r != nil {
			setStatus(st, fmt.Errorf("pgml internal error during prediction: %v", r))
			rc = 1
		}
	}()
	m := &loaded[handle]
	n := int(nrows)
	features := unsafe.Slice((*float64)(unsafe.Pointer(x)), n*m.model.NumFeatures())
	outputs := unsafe.Slice((*float64)(unsafe.Pointer(out)), n*m.model.NumOutputs())
	if err := m.predict(outputs, features); err != nil {
		setStatus(st, err)
		return 1
	}
	return 0
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
	defer func() {
		if r := recover(); r != nil {
			setStatus(st, fmt.Errorf("pgml internal error during prediction: %v", r))
			rc = 1
		}
	}()
	m := &loaded[handle]
	if m.classifier == nil {
		if task := m.model.Task(); task == algorithms.Classification {
			setStatus(st, newError(stateWrongObjectType, "the %s model of this project does not predict probabilities", m.model.Algorithm()))
		} else {
			setStatus(st, newError(stateWrongObjectType, "You can't predict probabilities for a %s model", task))
		}
		return 1
	}
	n := int(nrows)
	features := unsafe.Slice((*float64)(unsafe.Pointer(x)), n*m.model.NumFeatures())
	outputs := unsafe.Slice((*float64)(unsafe.Pointer(out)), n*len(m.classifier.Classes()))
	if err := predictProbabilities(m.model, m.classifier, outputs, features); err != nil {
		setStatus(st, newError(stateExternalRoutine, "%s", err.Error()))
		return 1
	}
	return 0
}

func describe(handle int, out *C.PgmlModelRef) {
	m := &loaded[handle]
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

func deployedModelHandle(project string) (int, error) {
	rows, err := queryReadOnly(`SELECT d.model_id, 'pgml.deployments'::pg_catalog.regclass::oid
		FROM pgml.projects p
		LEFT JOIN LATERAL (SELECT model_id FROM pgml.deployments WHERE project_id = p.id ORDER BY id DESC LIMIT 1) d ON true
		WHERE p.name = $1`, project)
	if err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, newError(stateUndefinedObject, "Project `%s` does not exist.", project)
	}
	// Watch before caching: an invalidation from now on moves the generation.
	C.pgml_watch_deployments(C.uint32_t(rows[0].int64(1)))
	if rows[0][0].null {
		return 0, newError(stateNoData, "No deployed model exists for the project named: `%s`", project)
	}
	return modelHandle(rows[0].int64(0))
}

func modelHandle(modelID int64) (int, error) {
	if handle, ok := handleByModelID[modelID]; ok {
		return handle, nil
	}
	// Verified against its digest before anything decodes it (integrity.go).
	rt, bytes, err := verifiedEstimator(modelID)
	if err != nil {
		return 0, err
	}
	model, err := rt.load(bytes)
	if err != nil {
		return 0, withHint(newError(stateDataException, "model %d cannot be loaded: %v", modelID, err), rt.loadHint())
	}
	entry := loadedModel{model: model}
	entry.classifier, _ = model.(algorithms.Classifier)
	if p, ok := model.(probabilityModel); ok && !p.HasPredictProba() {
		entry.classifier = nil
	}
	entry.checked, _ = model.(checkedPredictor)
	pipeline, err := loadPipeline(modelID)
	if err != nil {
		return 0, err
	}
	if pipeline != nil {
		entry.rows = newRowPredictor(pipeline)
	}
	loaded = append(loaded, entry)
	handleByModelID[modelID] = len(loaded) - 1
	return len(loaded) - 1, nil
}
