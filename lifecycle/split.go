package lifecycle

import (
	"context"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/sampling"
)

// splitSeed makes every split reproducible: the same relation gives the same split.
const splitSeed = 42

// splitInPlace reorders the rows so that the training set comes first and the test set
// after it, and returns both as views of the same storage: the split copies nothing.
func (sess *Session) splitInPlace(ctx context.Context, data *trainingData, task algorithms.Task, snap *snapshot) (dataSplit, dataSplit, error) {
	if err := sess.enter(phaseSplitting); err != nil {
		return dataSplit{}, dataSplit{}, err
	}
	var stratifyBy []float64
	if task == algorithms.Classification {
		stratifyBy = data.y.Data
	}
	trainRows, testRows, err := sampling.SplitContext(ctx, data.x.Rows, stratifyBy, snap.testSize, snap.testSampling, splitSeed)
	if err != nil {
		return dataSplit{}, dataSplit{}, interrupted(ctx, Errorf(StateInvalidParameter, "%s", err.Error()))
	}
	if err := sampling.Arrange(ctx, append(trainRows, testRows...), data.x, data.y); err != nil {
		return dataSplit{}, dataSplit{}, interrupted(ctx, err)
	}
	n := len(trainRows)
	return dataSplit{rowsOf(data.x, 0, n), rowsOf(data.y, 0, n)}, dataSplit{rowsOf(data.x, n, data.x.Rows), rowsOf(data.y, n, data.y.Rows)}, nil
}

// rowsOf is rows [lo, hi) of m, sharing its storage.
func rowsOf(m algorithms.Matrix, lo, hi int) algorithms.Matrix {
	return algorithms.Matrix{Rows: hi - lo, Cols: m.Cols, Data: m.Data[lo*m.Cols : hi*m.Cols : hi*m.Cols]}
}

func validateSplitArgs(s *snapshot) error {
	if math.IsNaN(s.testSize) || s.testSize <= 0 {
		return Errorf(StateInvalidParameter, "test_size must be a positive fraction (<= 1) or row count (> 1), got %g", s.testSize)
	}
	switch s.testSampling {
	case "random", "first", "last", "stratified":
		return nil
	}
	return Errorf(StateInvalidParameter, "unknown test_sampling `%s`, available options are: random, first, last, stratified", s.testSampling)
}

// gatherRows copies the given rows of m into a new matrix.
func gatherRows(ctx context.Context, m algorithms.Matrix, rows []int) (algorithms.Matrix, error) {
	out := algorithms.Matrix{Rows: len(rows), Cols: m.Cols, Data: make([]float64, len(rows)*m.Cols)}
	check := cancel.New(ctx)
	for i, r := range rows {
		copy(out.Data[i*m.Cols:(i+1)*m.Cols], m.Data[r*m.Cols:(r+1)*m.Cols])
		if err := check.Add(m.Cols); err != nil {
			return algorithms.Matrix{}, ErrInterrupted
		}
	}
	return out, nil
}

// dataSplit is a set of rows: features and labels.
type dataSplit struct {
	x, y algorithms.Matrix
}
