package main

/*
#include <malloc.h>
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/memsize"
	"github.com/pgml-go/pgml/extension/modelcache"
)

// models is this backend's cache of loaded models, bounded by pgml.model_cache_size (whose
// assign hook sets the limit as soon as the library loads).
var models = modelcache.New[*loadedModel](0, releaseModel)

// droppedBytes counts the sizes of models dropped since memory was last handed back to the OS.
var droppedBytes int64

// freeMemoryAfter is how much must have been dropped before the memory is handed back: the Go
// heap keeps freed memory otherwise, and a forced collection is not free.
const freeMemoryAfter = 16 << 20

func releaseModel(m *loadedModel, d modelcache.Description) {
	closeModel(m.model) // the Python object or xgboost booster
	droppedBytes += d.Bytes
}

// afterCacheChange hands the memory of dropped models back to the OS once enough was dropped,
// and tells C whether the end of the transaction must shrink the cache.
func afterCacheChange() {
	if droppedBytes >= freeMemoryAfter {
		droppedBytes = 0
		releaseMemory()
		C.malloc_trim(0) // Python objects and xgboost boosters were freed into the C heap
	}
	C.pgml_model_cache_over_limit = C.bool(models.OverLimit())
}

// loadModel reads a model from pgml.models and pgml.files and decodes it with its
// preprocessing: the one place where stored bytes become a model.
func loadModel(modelID int64) (*loadedModel, modelcache.Description, error) {
	var d modelcache.Description
	rows, err := queryReadOnly(`SELECT p.name FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1`, modelID)
	if err != nil {
		return nil, d, err
	}
	if len(rows) == 0 {
		return nil, d, newError(stateUndefinedObject, "pgml.models WHERE id = %d could not be loaded. Does it exist?", modelID)
	}
	// Verified against its digest before anything decodes it (integrity.go).
	rt, bytes, err := verifiedEstimator(modelID)
	if err != nil {
		return nil, d, err
	}
	model, err := rt.load(bytes)
	if err != nil {
		return nil, d, withHint(newError(stateDataException, "model %d cannot be loaded: %v", modelID, err), rt.loadHint())
	}
	entry := &loadedModel{model: model}
	entry.classifier, _ = model.(algorithms.Classifier)
	if p, ok := model.(probabilityModel); ok && !p.HasPredictProba() {
		entry.classifier = nil
	}
	entry.checked, _ = model.(checkedPredictor)
	pipeline, err := loadPipeline(modelID)
	if err != nil {
		closeModel(model)
		return nil, d, err
	}
	if pipeline != nil {
		entry.rows = newRowPredictor(pipeline)
	}
	d = modelcache.Description{ModelID: modelID, Project: rows[0].str(0), Algorithm: model.Algorithm(),
		Runtime: rt.name(), Bytes: loadedBytes(entry, rt.name(), len(bytes))}
	return entry, d, nil
}

// fileSlice bounds the bytes of pgml.files one query reads: between slices a cancel is
// honoured, so loading a model of hundreds of megabytes stops within a second too. Only values
// stored uncompressed (pgml.files.data has storage EXTERNAL since 0.3.0) are read in slices:
// each slice of a compressed value would decompress it from its start.
const fileSlice = 2 << 20

// readFileData reads the data of pgml.files row id, n bytes long, in slices, through read.
func readFileData(read func(string, ...any) ([]row, error), id, n int64, compressed bool) ([]byte, error) {
	slice := int64(fileSlice)
	if compressed {
		slice = max(n, 1)
	}
	b := make([]byte, 0, n)
	for offset := int64(0); offset < n; offset += slice {
		if err := checkInterrupts(); err != nil {
			return nil, err
		}
		r, err := read(`SELECT substring(data FROM $2::int4 FOR $3::int4) FROM pgml.files WHERE id = $1`,
			id, offset+1, min(slice, n-offset))
		if err != nil {
			return nil, err
		}
		if len(r) != 1 {
			return nil, fmt.Errorf("pgml: pgml.files row %d disappeared while it was read", id)
		}
		b = append(b, r[0].str(0)...)
	}
	return b, nil
}

// loadedBytes estimates the memory a loaded model holds: its Go heap, walked by memsize, plus for
// models living outside Go (python, xgboost) an estimate from the size they are stored with.
// The estimates follow the growth of a backend's private memory per model loaded, measured with
// build/model-cache-rss.sh (RUNTIME, ALGORITHM): scikit-learn estimators unpickle into numpy
// arrays about as large as their pickle, plus Python objects (python random_forest of 100 trees:
// 11.6 MB stored, 14.2 MB in memory; gradient_boosting_trees of 100 trees: 0.11 MB stored,
// 0.46 MB); xgboost boosters take about twice their stored size (300 trees: 0.88 MB, 1.80 MB).
// The Python interpreter itself (about 110 MB once started) is not a model's: dropping models
// does not give it back.
func loadedBytes(m *loadedModel, runtime string, stored int) int64 {
	bytes := memsize.Of(m)
	_, external := m.model.(interface{ Close() error }) // native models owning C memory: xgboost
	switch {
	case runtime == runtimePython:
		bytes += int64(stored)*5/4 + 256<<10
	case external:
		bytes += 2 * int64(stored)
	}
	return bytes
}

//export pgmlGoTrimModelCache
func pgmlGoTrimModelCache() {
	defer func() { _ = recover() }()
	models.Trim()
	afterCacheChange()
}

// pgmlGoSetModelCacheLimit applies pgml.model_cache_size (kB); the cache shrinks to it when
// the transaction ends.
//
//export pgmlGoSetModelCacheLimit
func pgmlGoSetModelCacheLimit(kb C.int) {
	defer func() { _ = recover() }()
	models.SetLimit(int64(kb) << 10)
	C.pgml_model_cache_over_limit = C.bool(models.OverLimit())
}

// pgmlGoModelCache describes the cached models for pgml.model_cache(), most recently used
// first, in a malloc'd array (strings malloc'd too) that C frees.
//
//export pgmlGoModelCache
func pgmlGoModelCache(out **C.PgmlCachedModel, n *C.int, st *C.PgmlStatus) {
	guard(st, func() error {
		entries := models.Entries()
		*out, *n = nil, 0
		if len(entries) == 0 {
			return nil
		}
		array := (*C.PgmlCachedModel)(C.calloc(C.size_t(len(entries)), C.size_t(unsafe.Sizeof(C.PgmlCachedModel{}))))
		for i, e := range entries {
			r := (*C.PgmlCachedModel)(unsafe.Add(unsafe.Pointer(array), uintptr(i)*unsafe.Sizeof(C.PgmlCachedModel{})))
			r.model_id = C.int64_t(e.ModelID)
			r.project = C.CString(e.Project)
			r.algorithm = C.CString(e.Algorithm)
			r.runtime = C.CString(e.Runtime)
			r.bytes = C.int64_t(e.Bytes)
			r.hits = C.int64_t(e.Hits)
			r.last_used_us = C.int64_t(e.LastUsed.UnixMicro())
			r.loaded_at_us = C.int64_t(e.LoadedAt.UnixMicro())
		}
		*out, *n = array, C.int(len(entries))
		return nil
	})
}
