package catboost

import (
	"bytes"
	"context"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

func payloadOf(t testing.TB, b []byte) []byte {
	t.Helper()
	h, payload, err := modelfile.ReadHeader(b)
	if err != nil || h.Algorithm != Algorithm {
		t.Fatalf("header %+v: %v", h, err)
	}
	return payload
}

func sampleModels(t testing.TB) map[string]algorithms.Model {
	models := map[string]algorithms.Model{}
	x, y := load(t, "diabetes", "target")
	models["regression"] = mustFit(t, algorithms.Regression, x, y, algorithms.Hyperparams{"iterations": 5.0, "depth": 3.0})
	x, y = load(t, "iris", "target")
	models["multiclass"] = mustFit(t, algorithms.Classification, x, y, algorithms.Hyperparams{"iterations": 5.0})
	x, y = load(t, "breast_cancer", "malignant")
	models["binary"] = mustFit(t, algorithms.Classification, x, y, algorithms.Hyperparams{"iterations": 5.0, "depth": 2.0})
	x, y = categoricalData(200, 5)
	models["categorical"] = mustFit(t, algorithms.Regression, x, y, algorithms.Hyperparams{"iterations": 5.0, "cat_features": []any{0.0}})
	return models
}

func TestMarshalRoundTrip(t *testing.T) {
	for name, m := range sampleModels(t) {
		b := marshal(t, m)
		loaded, err := Unmarshal(m.Task(), payloadOf(t, b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if again := marshal(t, loaded); !bytes.Equal(again, b) {
			t.Errorf("%s: re-marshalled bytes differ", name)
		}
		ctxBytes, err := algorithms.MarshalContext(context.Background(), m)
		if err != nil || !bytes.Equal(ctxBytes, b) {
			t.Errorf("%s: MarshalContext differs (%v)", name, err)
		}
	}
}

func TestUnmarshalRejectsCorruption(t *testing.T) {
	for name, m := range sampleModels(t) {
		payload := payloadOf(t, marshal(t, m))
		for cut := 0; cut < len(payload); cut += 1 + len(payload)/97 {
			if _, err := Unmarshal(m.Task(), payload[:cut]); err == nil {
				t.Errorf("%s: payload cut at %d of %d accepted", name, cut, len(payload))
			}
		}
		if _, err := Unmarshal(m.Task(), append(payload[:len(payload):len(payload)], 0)); err == nil {
			t.Errorf("%s: trailing byte accepted", name)
		}
		other := algorithms.Classification
		if m.Task() == other {
			other = algorithms.Regression
		}
		if _, err := Unmarshal(other, payload); err == nil {
			t.Errorf("%s: accepted as a %v model", name, other)
		}
	}
}

// FuzzUnmarshal: no payload makes Unmarshal panic or return a model that cannot predict.
// Run with: go test -fuzz=FuzzUnmarshal ./algorithms/catboost
func FuzzUnmarshal(f *testing.F) {
	for _, m := range sampleModels(f) {
		f.Add(uint8(m.Task()), payloadOf(f, marshal(f, m)))
	}
	f.Fuzz(func(t *testing.T, task uint8, payload []byte) {
		m, err := Unmarshal(algorithms.Task(task), payload)
		if err != nil {
			return
		}
		x := make([]float64, m.NumFeatures())
		if err := algorithms.Predict(m, make([]float64, m.NumOutputs()), x); err != nil {
			t.Fatal(err)
		}
		if c, ok := m.(algorithms.Classifier); ok {
			if err := algorithms.PredictProba(c, make([]float64, len(c.Classes())), x); err != nil {
				t.Fatal(err)
			}
		}
	})
}
