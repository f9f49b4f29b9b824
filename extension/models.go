package main

/*
#include <malloc.h>
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/lifecycle"
	"github.com/pgml-go/pgml/modelcache"
)

// models is this backend's cache of loaded models, bounded by pgml.model_cache_size (whose
// assign hook sets the limit as soon as the library loads).
var models = modelcache.New[*lifecycle.LoadedModel](0, releaseModel)

// droppedBytes counts the sizes of models dropped since memory was last handed back to the OS.
var droppedBytes int64

// freeMemoryAfter is how much must have been dropped before the memory is handed back: the Go
// heap keeps freed memory otherwise, and a forced collection is not free.
const freeMemoryAfter = 16 << 20

func releaseModel(m *lifecycle.LoadedModel, d modelcache.Description) {
	m.Close()
	droppedBytes += d.Bytes
}

// afterCacheChange hands the memory of dropped models back to the OS once enough was dropped,
// and tells C whether the end of the transaction must shrink the cache.
func afterCacheChange() {
	if droppedBytes >= freeMemoryAfter {
		droppedBytes = 0
		lifecycle.ReleaseMemory()
		C.malloc_trim(0) // Python objects and xgboost boosters were freed into the C heap
	}
	C.pgml_model_cache_over_limit = C.bool(models.OverLimit())
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
		m, d, err := newSession().LoadModel(int64(modelID))
		if err != nil {
			return err
		}
		handle := models.Add(uint64(catalog), int64(statement), d, m, time.Now())
		afterCacheChange()
		describe(m, handle, out)
		return nil
	})
}

func describe(m *lifecycle.LoadedModel, handle modelcache.Handle, out *C.PgmlModelRef) {
	out.handle = C.int64_t(handle)
	out.num_features = C.int32_t(m.Model.NumFeatures())
	out.num_outputs = C.int32_t(m.Model.NumOutputs())
	out.decomposition = C.bool(m.Model.Task() == algorithms.Decomposition)
	out.classification = C.bool(m.Model.Task() == algorithms.Classification)
	out.num_classes = 0
	out.num_columns = 0
	if m.Rows != nil {
		out.num_columns = C.int32_t(m.Rows.NumColumns())
	}
	if m.Classifier != nil {
		out.num_classes = C.int32_t(len(m.Classifier.Classes()))
	}
}

// recoverPrediction turns a panic of a hot-path export into an error status.
func recoverPrediction(st *C.PgmlStatus, rc *C.int) {
	if r := recover(); r != nil {
		setStatus(st, fmt.Errorf("pgml internal error during prediction: %v", r))
		*rc = C.PGML_ERROR
	}
}

// predicted is the return code of a prediction that ended with err.
func predicted(st *C.PgmlStatus, err error) C.int {
	if err != nil {
		setStatus(st, err)
		return C.PGML_ERROR
	}
	return C.PGML_OK
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
	return predicted(st, m.Predict(doubles(out, n*m.Model.NumOutputs()), doubles(x, n*m.Model.NumFeatures())))
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
	n, classes := int(nrows), 0
	if m.Classifier != nil {
		classes = len(m.Classifier.Classes())
	}
	return predicted(st, m.PredictProba(doubles(out, n*classes), doubles(x, n*m.Model.NumFeatures())))
}

// rowPredictor is the row form's preprocessing of the cached model handle names:
// PGML_STALE_MODEL when it left the cache, an error status for a model stored without one.
func rowPredictor(handle C.int64_t, st *C.PgmlStatus) (*lifecycle.RowPredictor, C.int) {
	m, ok := models.Get(modelcache.Handle(handle))
	if !ok {
		return nil, C.PGML_STALE_MODEL
	}
	if m.Rows == nil {
		return nil, predicted(st, lifecycle.WithHint(lifecycle.Errorf(lifecycle.StateFeatureMissing, "this model was stored without its column description, so it cannot predict from a row"),
			"Pass the features as an array, or retrain the model."))
	}
	return m.Rows, C.PGML_OK
}

// pgmlGoMatchRow maps the model's training columns to the fields of a row type, whose
// fields are named names: fieldOf[i] is the field of training column i (see
// lifecycle.RowPredictor.Match). C calls it once per call site and row type.
//
//export pgmlGoMatchRow
func pgmlGoMatchRow(handle C.int64_t, cnames **C.char, nnames C.int, named C.bool, fieldOf *C.int, st *C.PgmlStatus) (rc C.int) {
	defer recoverPrediction(st, &rc)
	rows, rc := rowPredictor(handle, st)
	if rows == nil {
		return rc
	}
	names := make([]string, int(nnames))
	for i, p := range unsafeSlice(cnames, int(nnames)) {
		names[i] = C.GoString(p)
	}
	match, err := rows.Match(names, bool(named))
	if err != nil {
		return predicted(st, err)
	}
	out := unsafeSlice(fieldOf, len(match))
	for i, f := range match {
		out[i] = C.int(f)
	}
	return C.PGML_OK
}

// recordFields is the row form's fields as Go sees them, reused from call to call.
var recordFields []lifecycle.Field

// pgmlGoAssembleRecord preprocesses one row given field by field, one field per training
// column in training order, into the model's num_features features at dst.
//
//export pgmlGoAssembleRecord
func pgmlGoAssembleRecord(handle C.int64_t, cfields *C.PgmlField, nfields C.int, cnumbers *C.double, dst *C.double, st *C.PgmlStatus) (rc C.int) {
	defer recoverPrediction(st, &rc)
	rows, rc := rowPredictor(handle, st)
	if rows == nil {
		return rc
	}
	fields := unsafeSlice(cfields, int(nfields))
	total := 0
	for _, f := range fields {
		total = max(total, int(f.offset)+int(f.count))
	}
	numbers := doubles(cnumbers, total)
	recordFields = recordFields[:0]
	for _, f := range fields {
		field := lifecycle.Field{IsText: bool(f.is_text), IsNull: bool(f.isnull)}
		switch {
		case field.IsText && !field.IsNull:
			field.Text = unsafe.Slice((*byte)(unsafe.Pointer(f.text)), int(f.len))
		case !field.IsText && !field.IsNull:
			field.Values = numbers[int(f.offset) : int(f.offset)+int(f.count)]
		}
		recordFields = append(recordFields, field)
	}
	if err := rows.Assemble(recordFields); err != nil {
		return predicted(st, err)
	}
	copy(doubles(dst, len(rows.Features)), rows.Features)
	return C.PGML_OK
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
		rows := unsafe.Slice(array, len(entries))
		for i, entry := range entries {
			r := &rows[i]
			r.model_id = C.int64_t(entry.ModelID)
			r.project = C.CString(entry.Project)
			r.algorithm = C.CString(entry.Algorithm)
			r.runtime = C.CString(entry.Runtime)
			r.bytes = C.int64_t(entry.Bytes)
			r.hits = C.int64_t(entry.Hits)
			r.last_used_us = C.int64_t(entry.LastUsed.UnixMicro())
			r.loaded_at_us = C.int64_t(entry.LoadedAt.UnixMicro())
		}
		*out, *n = array, C.int(len(entries))
		return nil
	})
}
