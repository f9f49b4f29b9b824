package neighbors

import (
	"context"
	"runtime"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// TestFitMemoryMatchesAllocations compares FitMemory with what fits
// allocate, measured by the runtime.
func TestFitMemoryMatchesAllocations(t *testing.T) {
	x, y := benchData(40000, 6, 3)
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
		for _, hp := range []algorithms.Hyperparams{
			{"algorithm": "brute"}, nil, {"algorithm": "ball_tree"}, {"leaf_size": 1.0},
		} {
			want, err := FitMemory(task, x.Rows, x.Cols, 1, hp)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var m algorithms.Model
			if task == algorithms.Regression {
				m, err = FitRegressor(context.Background(), x, y, hp)
			} else {
				m, err = FitClassifier(context.Background(), x, y, hp)
			}
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			got := int64(after.TotalAlloc - before.TotalAlloc)
			if !(got > want*9/10 && got < want*11/10) {
				t.Errorf("%v %v: fit allocated %d bytes, FitMemory says %d", task, hp, got, want)
			}
			runtime.KeepAlive(m)
		}
	}
	if _, err := FitMemory(algorithms.Regression, 10, 2, 1, algorithms.Hyperparams{"leaf_size": 0.0}); err == nil {
		t.Error("FitMemory accepted leaf_size 0")
	}
}
