package preprocess

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel/canceltest"
)

func numericColumns(p int) []Column {
	cols := make([]Column, p)
	for j := range cols {
		cols[j] = Column{Name: string(rune('a' + j)), Kind: Numeric, Width: 1}
	}
	return cols
}

// FitContext and TransformContext stop on a done context, and on large
// data consult it often: each column's sort is cancellable too.
func TestContextVariants(t *testing.T) {
	n, p := 300_000, 4
	rng := rand.New(rand.NewPCG(1, 2))
	x := algorithms.Matrix{Rows: n, Cols: p, Data: make([]float64, n*p)}
	for i := range x.Data {
		x.Data[i] = rng.NormFloat64()
	}
	cols := numericColumns(p)
	specs := map[string]Spec{"a": {Scale: ScaleStandard}}
	for _, k := range []int64{0, 1, 5} {
		if _, err := FitContext(canceltest.NewCountdown(k), cols, specs, x, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("FitContext done after %d consultations: %v", k, err)
		}
	}
	rec := canceltest.NewRecorder()
	pipe, err := FitContext(rec, cols, specs, x, nil)
	rec.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if g := rec.Longest(); g.Longest > 150*time.Millisecond {
		t.Errorf("FitContext: %v between two consultations (after %d of %d)", g.Longest, g.After, g.Of)
	}
	if !pipe.InPlace() {
		t.Fatal("numeric columns are transformed in place")
	}
	if err := pipe.TransformContext(canceltest.NewCountdown(0), x, x); !errors.Is(err, context.Canceled) {
		t.Errorf("TransformContext on a done context: %v", err)
	}
	want, err := pipe.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	if err := pipe.TransformContext(context.Background(), x, x); err != nil {
		t.Fatal(err)
	}
	for i, v := range want.Data {
		if x.Data[i] != v {
			t.Fatalf("value %d: in place %v, copy %v", i, x.Data[i], v)
		}
	}
}
