package main

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"context"
	"math"
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
}

// readTrainingData reads every row of the relation `from` through a cursor, one batch per
// cgo call, and checks it for missing values.
func readTrainingData(ctx context.Context, from string, features, labels []column) (*trainingData, error) {
	all := append(append([]column{}, features...), labels...)
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = quoteIdent(c.name)
	}
	sql := C.CString("SELECT " + strings.Join(names, ", ") + " FROM " + from)
	defer C.free(unsafe.Pointer(sql))
	if C.pgml_cursor_open(sql) != 0 {
		return nil, errPostgres
	}
	values, rows, widths, err := fetchAll(ctx, len(all))
	if C.pgml_cursor_close() != 0 && err == nil {
		err = errPostgres
	}
	if err != nil {
		return nil, err
	}
	data := &trainingData{features: features, labels: labels, widths: widths[:len(features)]}
	if err := data.fill(values, rows, widths); err != nil {
		return nil, err
	}
	return data, nil
}

// fetchAll returns the rows as one row-major slice and each column's width.
func fetchAll(ctx context.Context, ncols int) (values []float64, rows int, widths []int, err error) {
	cwidths := (*C.int)(C.malloc(C.size_t(ncols) * C.size_t(unsafe.Sizeof(C.int(0)))))
	defer C.free(unsafe.Pointer(cwidths))
	w := unsafe.Slice(cwidths, ncols)
	for i := range w {
		w[i] = -1
	}
	for {
		if ctx.Err() != nil {
			return nil, 0, nil, errInterrupted
		}
		var out *C.double
		var count C.int
		if C.pgml_cursor_fetch(fetchBatchRows, C.int(ncols), cwidths, &out, &count) != 0 {
			return nil, 0, nil, errPostgres
		}
		if count == 0 {
			break
		}
		rowWidth := 0
		for _, x := range w {
			rowWidth += int(x)
		}
		values = append(values, unsafe.Slice((*float64)(unsafe.Pointer(out)), int(count)*rowWidth)...)
		rows += int(count)
	}
	widths = make([]int, ncols)
	for i := range w {
		widths[i] = max(int(w[i]), 0)
	}
	return values, rows, widths, nil
}

// fill splits fetched rows into the feature matrix and the label matrix.
func (d *trainingData) fill(values []float64, rows int, widths []int) error {
	rowWidth, featureWidth := 0, 0
	for i, w := range widths {
		rowWidth += w
		if i < len(d.features) {
			featureWidth += w
		}
	}
	nlabels := len(d.labels)
	d.x = algorithms.Matrix{Rows: rows, Cols: featureWidth, Data: make([]float64, rows*featureWidth)}
	d.y = algorithms.Matrix{Rows: rows, Cols: nlabels, Data: make([]float64, rows*nlabels)}
	for r := 0; r < rows; r++ {
		src := values[r*rowWidth : (r+1)*rowWidth]
		copy(d.x.Data[r*featureWidth:(r+1)*featureWidth], src[:featureWidth])
		copy(d.y.Data[r*nlabels:(r+1)*nlabels], src[featureWidth:])
	}
	return d.checkMissing()
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
	offset := 0
	for i, feature := range d.features {
		missing := 0
		for r := 0; r < d.x.Rows; r++ {
			row := d.x.Data[r*d.x.Cols+offset : r*d.x.Cols+offset+d.widths[i]]
			for _, v := range row {
				if math.IsNaN(v) {
					missing++
					break
				}
			}
		}
		if missing > 0 {
			return withHint(newError(stateNullValue, "%d rows have missing values (NULL or NaN) in feature column %q; pgml does not impute missing values yet.", missing, feature.name),
				"Filter them out, e.g. with a view `WHERE "+quoteIdent(feature.name)+" IS NOT NULL`, or replace them with COALESCE.")
		}
		offset += d.widths[i]
	}
	return nil
}
