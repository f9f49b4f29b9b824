package pybridge

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
)

// TestMeasurements runs measure() in a fresh process and logs its report
// (go test -v -run Measurements ./pybridge/).
func TestMeasurements(t *testing.T) {
	needPython(t)
	if testing.Short() {
		t.Skip("short")
	}
	out := runSelf(t, "measure")
	t.Log("\n" + strings.TrimSpace(out))
}

func measure() int {
	report := func(format string, a ...any) { fmt.Printf(format+"\n", a...) }
	report("RSS before start: %s", procStatus("VmRSS"))
	t0 := time.Now()
	if err := Available(); err != nil {
		report("FAIL: %v", err)
		return 1
	}
	report("start (interpreter + numpy, scipy, sklearn imports): %v, RSS %s", time.Since(t0).Round(time.Millisecond), procStatus("VmRSS"))

	x, y := synthetic(1000, 10)
	train := func(alg, hp string) *Model {
		t0 := time.Now()
		m, _, err := Train(alg, algorithms.Regression, x, y, hp)
		if err != nil {
			report("FAIL: %s: %v", alg, err)
			os.Exit(1)
		}
		report("first Train %-14s %8v, RSS %s", alg, time.Since(t0).Round(time.Millisecond), procStatus("VmRSS"))
		return m
	}
	lin := train("linear", "")
	rf := train("random_forest", `{"n_estimators": 100}`)
	xgb := train("xgboost", `{"n_estimators": 100}`)
	train("linear", "").Close()

	for _, c := range []struct {
		name string
		m    *Model
	}{{"linear", lin}, {"random_forest(100)", rf}, {"xgboost(100)", xgb}} {
		dst := make([]float64, 1)
		const n = 2000
		t0 := time.Now()
		for i := 0; i < n; i++ {
			if err := c.m.PredictChecked(dst, x.Row(i%x.Rows)); err != nil {
				report("FAIL: %v", err)
				return 1
			}
		}
		single := time.Since(t0) / n
		batch := make([]float64, x.Rows)
		t0 = time.Now()
		const reps = 20
		for i := 0; i < reps; i++ {
			if err := c.m.PredictChecked(batch, x.Data); err != nil {
				report("FAIL: %v", err)
				return 1
			}
		}
		perRowBatch := time.Since(t0) / (reps * time.Duration(x.Rows))
		report("Predict %-18s one row per call: %6.1f µs/row; batch of %d rows: %6.2f µs/row",
			c.name, float64(single.Nanoseconds())/1e3, x.Rows, float64(perRowBatch.Nanoseconds())/1e3)
	}
	report("RSS at end: %s", procStatus("VmRSS"))
	return 0
}
