package main

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/preprocess"
	"github.com/pgml-go/pgml/extension/modelcache"
)

// pipelinePath names a model's preprocessing (column layout, categories, impute/encode/scale)
// in pgml.files, beside the estimator.
const pipelinePath = "preprocess.pgml"

// fitPipeline builds the preprocessing of the feature columns from the training rows (the
// statistics never see the test rows) and the user's preprocess argument.
// announce reports (NOTICE) preprocess keys that name no feature column.
func fitPipeline(ctx context.Context, data *trainingData, raw string, train dataSplit, announce bool) (*preprocess.Pipeline, error) {
	cols := make([]preprocess.Column, len(data.features))
	for i, c := range data.features {
		cols[i] = preprocess.Column{Name: c.name, Kind: preprocess.Numeric, Width: data.widths[i]}
		if data.categories[i] != nil || isCategorical(c.typeName) {
			cols[i].Kind, cols[i].Categories = preprocess.Categorical, data.categories[i]
		}
	}
	specs, ignored, err := preprocess.ParseSpecs(raw, cols)
	if err != nil {
		return nil, newError(stateInvalidParameter, "preprocess: %s", err.Error())
	}
	if len(ignored) > 0 && announce {
		if err := notice("preprocess names columns that are not features, ignored: %s", strings.Join(ignored, ", ")); err != nil {
			return nil, err
		}
	}
	var target []float64
	if train.y.Cols > 0 {
		target = make([]float64, train.y.Rows)
		for r := range target {
			target[r] = train.y.Data[r*train.y.Cols]
		}
	}
	p, err := preprocess.FitContext(ctx, cols, specs, train.x, target)
	if err != nil {
		return nil, interrupted(ctx, newError(stateNullValue, "%s", err.Error()))
	}
	return p, nil
}

// preprocessSplits fits the preprocessing on fit's rows and applies it to fit and held.
func preprocessSplits(ctx context.Context, data *trainingData, raw string, fit, held dataSplit, announce bool) (*preprocess.Pipeline, dataSplit, dataSplit, error) {
	p, err := fitPipeline(ctx, data, raw, fit, announce)
	if err != nil {
		return nil, fit, held, err
	}
	for _, s := range []*dataSplit{&fit, &held} {
		if p.Identity() || s.x.Rows == 0 {
			continue
		}
		if s.x, err = transformRows(ctx, p, s.x); err != nil {
			return nil, fit, held, err
		}
	}
	return p, fit, held, nil
}

// transformRows applies the preprocessing to every row, in chunks that stop on cancel.
func transformRows(ctx context.Context, p *preprocess.Pipeline, x algorithms.Matrix) (algorithms.Matrix, error) {
	out := algorithms.Matrix{Rows: x.Rows, Cols: p.OutputWidth(), Data: make([]float64, x.Rows*p.OutputWidth())}
	if err := p.TransformContext(ctx, out, x); err != nil {
		return algorithms.Matrix{}, interrupted(ctx, newError(stateInvalidParameter, "%s", err.Error()))
	}
	return out, nil
}

func storePipeline(modelID int64, p *preprocess.Pipeline) error {
	b, err := p.MarshalBinary()
	if err != nil {
		return err
	}
	return storeModelFile(modelID, pipelinePath, b)
}

// loadPipeline returns the model's preprocessing, or nil for models stored without one. The
// bytes are verified (integrity.go) before they are decoded.
func loadPipeline(modelID int64) (*preprocess.Pipeline, error) {
	files, err := verifiedModelFiles(modelID, false)
	if err != nil {
		return nil, err
	}
	b, ok := files[pipelinePath]
	if !ok {
		return nil, nil
	}
	p := &preprocess.Pipeline{}
	if err := p.UnmarshalBinary(b); err != nil {
		return nil, newError(stateDataException, "model %d: its preprocessing cannot be loaded: %v", modelID, err)
	}
	return p, nil
}

// rowPredictor is what the row form of predict needs beside the model, built at load.
type rowPredictor struct {
	pipeline *preprocess.Pipeline
	codes    []map[string]float64 // per column: category -> code (nil for numeric columns)
	raw      []float64            // one row as read, then as transformed
	features []float64
}

func newRowPredictor(p *preprocess.Pipeline) *rowPredictor {
	rp := &rowPredictor{pipeline: p, raw: make([]float64, p.InputWidth()), features: make([]float64, p.OutputWidth())}
	for _, c := range p.Columns() {
		var codes map[string]float64
		if c.Kind == preprocess.Categorical {
			codes = make(map[string]float64, len(c.Categories))
			for i, v := range c.Categories {
				codes[v] = float64(i + 1)
			}
		}
		rp.codes = append(rp.codes, codes)
	}
	return rp
}

// assemble lays the row's fields out as the training matrix had them and preprocesses them.
func (rp *rowPredictor) assemble(fields []C.PgmlField, numbers []float64) error {
	cols := rp.pipeline.Columns()
	if len(fields) != len(cols) {
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.Name
		}
		return withHint(newError(stateInvalidParameter, "the model was trained on %d feature columns, the row has %d fields", len(cols), len(fields)),
			"Pass the feature columns in training order: ("+strings.Join(names, ", ")+").")
	}
	off := 0
	for i, c := range cols {
		f := fields[i]
		switch {
		case c.Kind == preprocess.Categorical:
			if !bool(f.is_text) {
				return newError(stateDatatypeMismatch, "field %d (%s) must be text: the column was text in training", i+1, c.Name)
			}
			rp.raw[off] = 0 // NULL is its own category
			if !bool(f.isnull) {
				code, ok := rp.codes[i][C.GoStringN(f.text, f.len)]
				if !ok {
					code = math.NaN() // unseen in training: imputed, or an error without imputation
				}
				rp.raw[off] = code
			}
		case bool(f.is_text):
			return newError(stateDatatypeMismatch, "field %d (%s) is text, but the column was numeric in training", i+1, c.Name)
		case bool(f.isnull):
			for j := 0; j < c.Width; j++ {
				rp.raw[off+j] = math.NaN()
			}
		default:
			if int(f.count) != c.Width {
				return newError(stateInvalidParameter, "field %d (%s) has %d values, the column had %d in training", i+1, c.Name, int(f.count), c.Width)
			}
			values := numbers[int(f.offset) : int(f.offset)+c.Width]
			if err := rejectInfinities(values, i, c); err != nil {
				return err
			}
			copy(rp.raw[off:off+c.Width], values)
		}
		off += c.Width
	}
	if err := rp.pipeline.TransformRow(rp.raw, rp.features); err != nil {
		return newError(stateNullValue, "%s", err.Error())
	}
	return nil
}

// rejectInfinities refuses ±Infinity in a numeric field of the row form; NaN, like NULL, is a
// missing value that the preprocessing imputes (or refuses, naming the column).
func rejectInfinities(values []float64, field int, c preprocess.Column) error {
	for j, v := range values {
		if math.IsInf(v, 0) {
			position := fmt.Sprintf("field %d (%s)", field+1, c.Name)
			if c.Width > 1 {
				position = fmt.Sprintf("element %d of field %d (%s)", j+1, field+1, c.Name)
			}
			return withHint(newError(stateInvalidParameter, "%s is %s: pgml cannot predict from infinite values", position, infinityText(v)),
				"Replace infinite values before predicting (e.g. with CASE): NULL and NaN count as missing values, imputed when the model was trained to impute.")
		}
	}
	return nil
}

// pgmlGoPredictRecord runs a model on one row given field by field (the row form of predict).
//
//export pgmlGoPredictRecord
func pgmlGoPredictRecord(handle C.int64_t, cfields *C.PgmlField, nfields C.int, cnumbers *C.double, out *C.double, st *C.PgmlStatus) (rc C.int) {
	defer recoverPrediction(st, &rc)
	m, ok := models.Get(modelcache.Handle(handle))
	if !ok {
		return C.PGML_STALE_MODEL
	}
	if m.rows == nil {
		setStatus(st, withHint(newError(stateFeatureMissing, "this model was stored without its column description, so it cannot predict from a row"),
			"Pass the features as an array, or retrain the model."))
		return C.PGML_ERROR
	}
	fields := unsafe.Slice(cfields, int(nfields))
	total := 0
	for _, f := range fields {
		total = max(total, int(f.offset)+int(f.count))
	}
	numbers := unsafe.Slice((*float64)(unsafe.Pointer(cnumbers)), total)
	if err := m.rows.assemble(fields, numbers); err != nil {
		setStatus(st, err)
		return C.PGML_ERROR
	}
	outputs := unsafe.Slice((*float64)(unsafe.Pointer(out)), m.model.NumOutputs())
	if err := m.predict(outputs, m.rows.features); err != nil {
		setStatus(st, err)
		return C.PGML_ERROR
	}
	return C.PGML_OK
}
