package native

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel/canceltest"
	"github.com/pgml-go/pgml/algorithms/faults"
	"github.com/pgml-go/pgml/algorithms/safego"
)

// trainCase is one registered algorithm for one task.
type trainCase struct {
	algorithm string
	task      algorithms.Task
}

func (c trainCase) String() string { return c.algorithm + "/" + c.task.String() }

// everyAlgorithm walks the registry, so an algorithm added later is
// covered by the tests below without being listed.
func everyAlgorithm() []trainCase {
	var cases []trainCase
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification, algorithms.Clustering, algorithms.Decomposition} {
		for _, name := range Algorithms(task) {
			cases = append(cases, trainCase{name, task})
		}
	}
	return cases
}

// syntheticData returns rows×cols features with a noisy linear target:
// 3 classes for classification, one target for regression, no labels for
// the unsupervised tasks.
func syntheticData(task algorithms.Task, rows, cols int, seed uint64) (x, y algorithms.Matrix) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x = algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	if !task.Supervised() {
		for i := range x.Data {
			x.Data[i] = rng.NormFloat64() + float64(i%cols%3)
		}
		return x, algorithms.Matrix{Rows: rows}
	}
	y = algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	for i := 0; i < rows; i++ {
		var s float64
		for j := 0; j < cols; j++ {
			v := rng.NormFloat64()
			x.Data[i*cols+j] = v
			s += float64(j%4+1) * v
		}
		s += 2 * rng.NormFloat64()
		y.Data[i] = s
		if task == algorithms.Classification {
			switch {
			case s < -2:
				y.Data[i] = 0
			case s < 2:
				y.Data[i] = 1
			default:
				y.Data[i] = 2
			}
		}
	}
	return x, y
}

// oneWorker runs the test with GOMAXPROCS 1, so that parallel fits use one
// worker and consult their context the same number of times on every run.
func oneWorker(t *testing.T) {
	old := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

// TestTrainStopsWhenContextIsDone fits every algorithm with a context that
// becomes done after k consultations, for k from none to all but the last
// one a complete fit makes: Train must then fail with an error wrapping
// context.Canceled, whichever phase was running.
func TestTrainStopsWhenContextIsDone(t *testing.T) {
	oneWorker(t)
	for _, c := range everyAlgorithm() {
		t.Run(c.String(), func(t *testing.T) {
			x, y := syntheticData(c.task, 1000, 8, 1)
			var hp algorithms.Hyperparams
			switch c.algorithm {
			case "random_forest", "extra_trees", "gradient_boosting_trees", "lightgbm":
				hp = algorithms.Hyperparams{"n_estimators": 5}
			case "hist_gradient_boosting":
				hp = algorithms.Hyperparams{"max_iter": 5}
			}
			counter := canceltest.Never()
			if _, err := Train(counter, c.algorithm, c.task, x, y, hp); err != nil {
				t.Fatal(err)
			}
			total := counter.Consultations()
			if total < 1 {
				t.Fatal("the fit never consulted its context")
			}
			ks := []int64{0, 1, total / 2, total - 1}
			slices.Sort(ks)
			for _, k := range slices.Compact(ks) {
				if k >= total {
					continue
				}
				_, err := Train(canceltest.NewCountdown(k), c.algorithm, c.task, x, y, hp)
				if !errors.Is(err, context.Canceled) {
					t.Errorf("done after %d of %d consultations: Train returned %v, want an error wrapping context.Canceled", k, total, err)
				}
			}
			t.Logf("%d consultations", total)
		})
	}
}

// gapSize is the data each algorithm fits in TestLongestGapBetweenChecks,
// with hyperparameters that keep the fit to about a second or two.
func gapSize(c trainCase) (rows, cols int, hp algorithms.Hyperparams) {
	// Few iterations: the gaps are within one, the time is in their number.
	switch c.algorithm {
	case "svm":
		// Quadratic in the rows: its steps are O(rows), as is the test.
		return 3000, 10, nil
	case "knn":
		return 100_000, 10, nil
	case "random_forest", "extra_trees":
		// The root of a tree sorts every row for each feature.
		return 200_000, 10, algorithms.Hyperparams{"n_estimators": 1, "max_depth": 6}
	case "gradient_boosting_trees", "lightgbm":
		return 300_000, 10, algorithms.Hyperparams{"n_estimators": 1}
	case "hist_gradient_boosting":
		return 300_000, 10, algorithms.Hyperparams{"max_iter": 1}
	case "catboost":
		return 300_000, 10, algorithms.Hyperparams{"iterations": 2}
	case "linear_svm", "stochastic_gradient_descent":
		return 300_000, 10, algorithms.Hyperparams{"max_iter": 1}
	case "kmeans":
		return 300_000, 10, algorithms.Hyperparams{"n_init": 1, "max_iter": 3}
	case "linear":
		if c.task == algorithms.Classification {
			return 300_000, 10, algorithms.Hyperparams{"max_iter": 5}
		}
	}
	return 300_000, 10, nil
}

// gapLimit is the longest interval between two consultations of the context
// a fit may show, measured in the smaller of wall and process CPU time (see
// canceltest.Recorder) so that a loaded machine does not make it fail. Most
// gaps are the CheckEvery units of work between consultations, whatever the
// data; the few that grow with the rows (a sort at a tree's root or while
// binning, validating the input) grow as rows·log(rows): at 200k–300k rows,
// 150 ms leaves well under a second at 2M rows.
const gapLimit = 150 * time.Millisecond

// TestLongestGapBetweenChecks fits every algorithm on large data and records
// when the context was consulted: the longest interval (the start and end of
// the fit included) must stay within gapLimit.
func TestLongestGapBetweenChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("fits every algorithm on large data")
	}
	oneWorker(t)
	for _, c := range everyAlgorithm() {
		t.Run(c.String(), func(t *testing.T) {
			rows, cols, hp := gapSize(c)
			x, y := syntheticData(c.task, rows, cols, 2)
			rec := canceltest.NewRecorder()
			start := time.Now()
			_, err := Train(rec, c.algorithm, c.task, x, y, hp)
			rec.Stop()
			if err != nil {
				t.Fatal(err)
			}
			g, limit := rec.Longest(), gapLimit
			t.Logf("%s %d×%d in %v: longest gap %v (wall %v, cpu %v) after %d of %d consultations; limit %v",
				c, rows, cols, time.Since(start).Round(time.Millisecond), g.Longest, g.Wall, g.CPU, g.After, g.Of, limit)
			if g.Longest > limit {
				t.Errorf("%v between two consultations of the context (after %d of %d), want < %v", g.Longest, g.After, g.Of, limit)
			}
		})
	}
}

// TestMarshalStopsWhenContextIsDone: writing any model stops on a done
// context (a big forest takes seconds to encode), and with a live one gives
// MarshalBinary's bytes.
func TestMarshalStopsWhenContextIsDone(t *testing.T) {
	for _, c := range everyAlgorithm() {
		x, y := syntheticData(c.task, 500, 4, 3)
		m, err := Train(context.Background(), c.algorithm, c.task, x, y, algorithms.Hyperparams{})
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if _, err := algorithms.MarshalContext(canceltest.NewCountdown(0), m); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: MarshalContext on a done context returned %v", c, err)
		}
		got, err := algorithms.MarshalContext(canceltest.Never(), m)
		want, _ := m.MarshalBinary()
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: MarshalContext differs from MarshalBinary (%v)", c, err)
		}
	}
}

// TestWorkerPanicReachesTrain: a panic on a worker goroutine (the
// worker_panic fault) of the algorithms that start workers (forests, the
// histogram boosters) ends Train with a *safego.PanicError, which the
// extension reports as an internal error, and never crashes the process.
func TestWorkerPanicReachesTrain(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	if err := faults.Set(faults.WorkerPanic); err != nil {
		t.Fatal(err)
	}
	defer faults.Set("")
	mustPanic := map[string]bool{"random_forest": true, "extra_trees": true, "hist_gradient_boosting": true, "lightgbm": true, "catboost": true}
	for _, c := range everyAlgorithm() {
		if !mustPanic[c.algorithm] {
			continue
		}
		x, y := syntheticData(c.task, 5000, 10, 5)
		hp := algorithms.Hyperparams{"n_estimators": 2}
		if c.algorithm == "hist_gradient_boosting" {
			hp = algorithms.Hyperparams{"max_iter": 2}
		}
		if c.algorithm == "catboost" {
			hp = algorithms.Hyperparams{"iterations": 2}
		}
		_, err := Train(context.Background(), c.algorithm, c.task, x, y, hp)
		if pe := (*safego.PanicError)(nil); !errors.As(err, &pe) {
			t.Errorf("%s: %v, want a *safego.PanicError", c, err)
		}
	}
}
