package main

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"context"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
)

// fetchBatchRows is the number of rows per cgo call while reading training data.
const fetchBatchRows = 10000

// trainingData is a relation read into Go: features flattened (arrays expanded) and labels.
type trainingData struct {
	x        algorithms.Matrix
	y        algorithms.Matrix
	features []column
	widths   []int // per feature column: 1 for scalars, the array length for arrays
	labels   []column
	// categories holds the sorted values of each text feature column (nil for numbers):
	// code i+1 is categories[i], 0 is NULL. labelCategories: code i is labelCategories[i].
	categories      [][]string
	labelCategories [][]string
}

// readTrainingData reads every row of the relation `from` through a cursor, one batch per
// cgo call, straight into the feature and label matrices, and checks it for missing values.
func readTrainingData(ctx context.Context, from string, features, labels []column) (*trainingData, error) {
	all := append(append([]column{}, features...), labels...)
	data := &trainingData{features: features, labels: labels,
		categories: make([][]string, len(features)), labelCategories: make([][]string, len(labels))}
	names := make([]string, len(all))
	for i, c := range all {
		if err := checkColumnType(c); err != nil {
			return nil, err
		}
		names[i] = quoteIdent(c.name)
		if !isCategorical(c.typeName) {
			continue
		}
		values, err := readCategories(from, c)
		if err != nil {
			return nil, err
		}
		isLabel := i >= len(features)
		firstCode, nullCode := 1, "0"
		if isLabel {
			firstCode, nullCode = 0, ""
			data.labelCategories[i-len(features)] = values
		} else {
			data.categories[i] = values
		}
		if names[i], err = codeExpression(c, values, firstCode, nullCode); err != nil {
			return nil, err
		}
	}
	sql := C.CString("SELECT " + strings.Join(names, ", ") + " FROM " + from)
	defer C.free(unsafe.Pointer(sql))
	if C.pgml_cursor_open(sql) != 0 {
		return nil, errPostgres
	}
	err := data.fetch(ctx, len(all))
	if C.pgml_cursor_close() != 0 && err == nil {
		err = errPostgres
	}
	if err != nil {
		return nil, err
	}
	return data, data.checkMissing()
}

// fetch appends each batch's rows to x (the feature columns, arrays flattened) and y.
func (d *trainingData) fetch(ctx context.Context, ncols int) error {
	cwidths := (*C.int)(C.malloc(C.size_t(ncols) * C.size_t(unsafe.Sizeof(C.int(0)))))
	defer C.free(unsafe.Pointer(cwidths))
	widths := unsafe.Slice(cwidths, ncols)
	for i := range widths {
		widths[i] = -1
	}
	nlabels := len(d.labels)
	// Batches are kept at their exact size and assembled once: growing one slice by
	// appending would leave several abandoned copies of the data for the collector.
	var xChunks, yChunks [][]float64
	for {
		if ctx.Err() != nil {
			return errInterrupted
		}
		var out *C.double
		var count C.int
		if C.pgml_cursor_fetch(fetchBatchRows, C.int(ncols), cwidths, &out, &count) != 0 {
			return errPostgres
		}
		if count == 0 {
			break
		}
		featureWidth := 0
		for _, w := range widths[:len(d.features)] {
			featureWidth += int(w)
		}
		rowWidth := featureWidth + nlabels
		batch := unsafe.Slice((*float64)(unsafe.Pointer(out)), int(count)*rowWidth)
		xs, ys := make([]float64, 0, int(count)*featureWidth), make([]float64, 0, int(count)*nlabels)
		for r := 0; r < int(count); r++ {
			row := batch[r*rowWidth : (r+1)*rowWidth]
			xs = append(xs, row[:featureWidth]...)
			ys = append(ys, row[featureWidth:]...)
		}
		xChunks, yChunks = append(xChunks, xs), append(yChunks, ys)
		d.x.Rows += int(count)
		d.x.Cols = featureWidth
	}
	d.x.Data, d.y.Data = slices.Concat(xChunks...), slices.Concat(yChunks...)
	d.y.Rows, d.y.Cols = d.x.Rows, nlabels
	d.widths = make([]int, len(d.features))
	for i := range d.widths {
		d.widths[i] = max(int(widths[i]), 0)
	}
	return nil
}

func (d *trainingData) checkMissing() error {
	for j, label := range d.labels {
		missing := 0
		for r := 0; r < d.y.Rows; r++ {
			if math.IsNaN(d.y.Data[r*d.y.Cols+j]) {
				missing++
			}
		}
		if missing > 0 {
			return withHint(newError(stateNullValue, "The training data labels in %q contain %d NULL values.", label.name, missing),
				"Consider filtering them out with `WHERE "+quoteIdent(label.name)+" IS NOT NULL`.")
		}
	}
	// Missing feature values are the preprocessing's business (impute, or an error naming the column).
	return nil
}
