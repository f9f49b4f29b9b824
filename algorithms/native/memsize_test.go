package native

import (
	"context"
	"runtime"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
	"github.com/pgml-go/pgml/algorithms/memsize"
)

// The extension's model cache bounds its memory with memsize.Of of each loaded model. For every
// native algorithm, the estimate must stay within a factor of two of the heap a loaded model
// really keeps, measured as the live heap's growth while enough copies are loaded to make
// allocator noise negligible.
func TestSizeEstimateMatchesHeap(t *testing.T) {
	models := trainedModels(t)
	x, _, err := datasets.Load("iris", "target")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range []algorithms.Task{algorithms.Clustering, algorithms.Decomposition} {
		for _, algorithm := range Algorithms(task) {
			m, err := Train(context.Background(), algorithm, task, x, algorithms.Matrix{Rows: x.Rows}, nil)
			if err != nil {
				t.Fatalf("%s: %v", algorithm, err)
			}
			models[algorithm+"/iris"] = m
		}
	}
	const target = 4 << 20 // bytes loaded per model family
	for name, m := range models {
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		one, err := Load(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		estimate := memsize.Of(one)
		if estimate <= 0 {
			t.Errorf("%s: estimate %d bytes", name, estimate)
			continue
		}
		copies := int(min(max(target/estimate, 1), 50000))
		kept := make([]algorithms.Model, copies)
		before := memsize.LiveHeap()
		for i := range kept {
			if kept[i], err = Load(b); err != nil {
				t.Fatal(err)
			}
		}
		perModel := float64(memsize.LiveHeap()-before) / float64(copies)
		runtime.KeepAlive(kept)
		// The encoding was live when before was measured: freeing it now would count
		// against the copies (halving a big model's measure when only two are loaded).
		runtime.KeepAlive(b)
		ratio := float64(estimate) / perModel
		t.Logf("%-40s estimate %9d bytes, heap %11.0f bytes per model (%d copies), ratio %.2f", name, estimate, perModel, copies, ratio)
		if ratio < 0.5 || ratio > 2 {
			t.Errorf("%s: estimate %d bytes is not within a factor of 2 of the measured %.0f bytes", name, estimate, perModel)
		}
	}
}
