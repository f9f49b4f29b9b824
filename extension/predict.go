package main

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/native"
)

// The per-backend prediction cache: project name -> deployed model id -> loaded model.
// Models never change once stored, so loaded models are kept by id; the project map is
// dropped whenever the deployments generation moves (a relcache invalidation of
// pgml.deployments, sent at commit). Handles index `loaded` and are what C keeps per call site.
var (
	loaded          []algorithms.Model
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
	model := loaded[handle]
	n := int(nrows)
	features := unsafe.Slice((*float64)(unsafe.Pointer(x)), n*model.NumFeatures())
	outputs := unsafe.Slice((*float64)(unsafe.Pointer(out)), n*model.NumOutputs())
	model.Predict(outputs, features)
	return 0
}

func describe(handle int, out *C.PgmlModelRef) {
	model := loaded[handle]
	out.handle = C.int64_t(handle)
	out.num_features = C.int32_t(model.NumFeatures())
	out.num_outputs = C.int32_t(model.NumOutputs())
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
	rows, err := queryReadOnly(`SELECT m.runtime, f.data FROM pgml.models m
		JOIN pgml.files f ON f.model_id = m.id WHERE m.id = $1 ORDER BY f.part`, modelID)
	if err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, newError(stateUndefinedObject, "pgml.models WHERE id = %d could not be loaded. Does it exist?", modelID)
	}
	if runtime := rows[0].str(0); runtime != runtimeGo {
		return 0, newError(stateFeatureMissing, "model %d was trained by the %s runtime, which this build cannot load", modelID, runtime)
	}
	var bytes []byte
	for _, r := range rows {
		bytes = append(bytes, r.str(1)...)
	}
	model, err := native.Load(bytes)
	if err != nil {
		return 0, newError(stateDataException, "model %d cannot be loaded: %v", modelID, err)
	}
	loaded = append(loaded, model)
	handleByModelID[modelID] = len(loaded) - 1
	return len(loaded) - 1, nil
}
