package native

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

func TestAlgorithms(t *testing.T) {
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
		names := Algorithms(task)
		if !slices.Contains(names, "linear") || !slices.IsSorted(names) {
			t.Errorf("Algorithms(%v) = %v", task, names)
		}
	}
}

func TestTrainUnknownAlgorithm(t *testing.T) {
	x := algorithms.Matrix{Rows: 1, Cols: 1, Data: []float64{1}}
	_, err := Train(context.Background(), "xgboost_9000", algorithms.Regression, x, x, nil)
	if err == nil || !strings.Contains(err.Error(), "xgboost_9000") || !strings.Contains(err.Error(), "linear") {
		t.Errorf("error = %v, want one naming the algorithm and the available ones", err)
	}
}

// trainedModels fits every native algorithm on a dataset of its task.
func trainedModels(t testing.TB) map[string]algorithms.Model {
	t.Helper()
	models := map[string]algorithms.Model{}
	sets := map[algorithms.Task][]struct {
		name   string
		labels []string
	}{
		algorithms.Regression:     {{"diabetes", []string{"target"}}, {"linnerud", []string{"weight", "waste", "pulse"}}},
		algorithms.Classification: {{"iris", []string{"target"}}, {"breast_cancer", []string{"malignant"}}},
	}
	for task, list := range sets {
		for _, algorithm := range Algorithms(task) {
			for _, set := range list {
				x, y, err := datasets.Load(set.name, set.labels...)
				if err != nil {
					t.Fatal(err)
				}
				m, err := Train(context.Background(), algorithm, task, x, y, nil)
				if err != nil {
					t.Fatalf("%s on %s: %v", algorithm, set.name, err)
				}
				models[algorithm+"/"+set.name] = m
			}
		}
	}
	return models
}

func TestMarshalLoadRoundTrip(t *testing.T) {
	x, _, err := datasets.Load("breast_cancer", "malignant")
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range trainedModels(t) {
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := Load(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if loaded.Algorithm() != m.Algorithm() || loaded.Task() != m.Task() ||
			loaded.NumFeatures() != m.NumFeatures() || loaded.NumOutputs() != m.NumOutputs() {
			t.Fatalf("%s: loaded model describes itself differently", name)
		}
		// Any values will do as features; reuse breast_cancer's.
		rows := 20
		in := x.Data[:rows*m.NumFeatures()]
		want := make([]float64, rows*m.NumOutputs())
		got := make([]float64, len(want))
		m.Predict(want, in)
		loaded.Predict(got, in)
		if !slices.Equal(got, want) {
			t.Errorf("%s: predictions differ after a round trip", name)
		}
		if c, ok := m.(algorithms.Classifier); ok {
			lc := loaded.(algorithms.Classifier)
			want := make([]float64, rows*len(c.Classes()))
			got := make([]float64, len(want))
			c.PredictProba(want, in)
			lc.PredictProba(got, in)
			if !slices.Equal(got, want) || !slices.Equal(c.Classes(), lc.Classes()) {
				t.Errorf("%s: probabilities differ after a round trip", name)
			}
		}
		// Every truncation of a valid file must be rejected.
		for cut := 0; cut < len(b); cut++ {
			if _, err := Load(b[:cut]); err == nil {
				t.Fatalf("%s: Load accepted the first %d of %d bytes", name, cut, len(b))
			}
		}
		if _, err := Load(append(slices.Clone(b), 0)); err == nil {
			t.Errorf("%s: Load accepted a trailing byte", name)
		}
	}
}

func TestLoadRejectsUnknownAlgorithm(t *testing.T) {
	m := trainedModels(t)["linear/iris"]
	b, _ := m.MarshalBinary()
	b = slices.Clone(b)
	copy(b[12:18], "lineas")
	if _, err := Load(b); err == nil || !strings.Contains(err.Error(), "lineas") {
		t.Errorf("error = %v, want one naming the unknown algorithm", err)
	}
}

func TestCheckedPredict(t *testing.T) {
	m := trainedModels(t)["linear/iris"]
	if err := algorithms.Predict(m, make([]float64, 2), make([]float64, 7)); err == nil {
		t.Error("Predict accepted 7 values for 4 features")
	}
	if err := algorithms.Predict(m, make([]float64, 2), make([]float64, 8)); err != nil {
		t.Error(err)
	}
	c := m.(algorithms.Classifier)
	if err := algorithms.PredictProba(c, make([]float64, 5), make([]float64, 8)); err == nil {
		t.Error("PredictProba accepted 5 slots for 2 rows × 3 classes")
	}
}

func TestTrainCancelled(t *testing.T) {
	x, y, err := datasets.Load("digits", "target")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
		_, err := Train(ctx, "linear", task, x, y, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%v: error = %v, want one wrapping context.Canceled", task, err)
		}
	}
}
