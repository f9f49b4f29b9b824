package boosting

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// smallModels returns a few quick models of every shape: regression,
// joint regression, binary and multiclass classification.
func smallModels(t testing.TB) []algorithms.Model {
	t.Helper()
	var models []algorithms.Model
	for _, set := range []struct {
		name   string
		task   algorithms.Task
		labels []string
	}{
		{"diabetes", algorithms.Regression, []string{"target"}},
		{"linnerud", algorithms.Regression, []string{"weight", "waste", "pulse"}},
		{"breast_cancer", algorithms.Classification, []string{"malignant"}},
		{"iris", algorithms.Classification, []string{"target"}},
	} {
		x, y, err := datasets.Load(set.name, set.labels...)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models,
			mustFit(t, HistGradientBoosting, set.task, x, y, algorithms.Hyperparams{"max_iter": 3.0, "min_samples_leaf": 3.0}),
			mustFit(t, GradientBoostingTrees, set.task, x, y, algorithms.Hyperparams{"n_estimators": 2.0, "max_depth": 2.0}))
	}
	return models
}

func unmarshalFile(b []byte) (algorithms.Model, error) {
	h, payload, err := modelfile.ReadHeader(b)
	if err != nil {
		return nil, err
	}
	return Unmarshal(h.Algorithm, h.Task, payload)
}

func TestMarshalRoundTrip(t *testing.T) {
	x, _, err := datasets.Load("breast_cancer", "malignant")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range smallModels(t) {
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := unmarshalFile(b)
		if err != nil {
			t.Fatalf("%s %v: %v", m.Algorithm(), m.Task(), err)
		}
		again, _ := loaded.MarshalBinary()
		if !bytes.Equal(again, b) {
			t.Errorf("%s %v: re-encoding differs", m.Algorithm(), m.Task())
		}
		rows := 30
		in := x.Data[:rows*m.NumFeatures()]
		want := make([]float64, rows*m.NumOutputs())
		got := make([]float64, len(want))
		m.Predict(want, in)
		loaded.Predict(got, in)
		if !slices.Equal(got, want) {
			t.Errorf("%s %v: predictions differ after a round trip", m.Algorithm(), m.Task())
		}
		for cut := 0; cut < len(b); cut++ {
			if _, err := unmarshalFile(b[:cut]); err == nil {
				t.Fatalf("%s %v: accepted the first %d of %d bytes", m.Algorithm(), m.Task(), cut, len(b))
			}
		}
	}
}

// corrupt rewrites node i of a marshalled model.
func corrupt(t *testing.T, b []byte, i int, feature int32, right uint32, value float64) []byte {
	t.Helper()
	h, payload, _ := modelfile.ReadHeader(b)
	m, err := Unmarshal(h.Algorithm, h.Task, payload)
	if err != nil {
		t.Fatal(err)
	}
	e := &m.(*Regressor).ensemble
	nodesAt := len(b) - 16*len(e.nodes)
	out := slices.Clone(b)
	at := nodesAt + 16*i
	binary.LittleEndian.PutUint32(out[at:], uint32(feature))
	binary.LittleEndian.PutUint32(out[at+4:], right)
	binary.LittleEndian.PutUint64(out[at+8:], math.Float64bits(value))
	return out
}

// Each structural defect the checks exist for must be reported.
func TestUnmarshalRejectsCorruptTrees(t *testing.T) {
	x, y := syntheticRegression(200, 3, 5)
	m := mustFit(t, GradientBoostingTrees, algorithms.Regression, x, y, algorithms.Hyperparams{"n_estimators": 2.0, "max_depth": 2.0})
	b, _ := m.MarshalBinary()
	if _, err := unmarshalFile(b); err != nil {
		t.Fatal(err)
	}
	// Node 0 is the first tree's root split; its left child is node 1.
	e := &m.(*Regressor).ensemble
	root := e.nodes[0]
	cases := map[string][]byte{
		"right child is the parent":    corrupt(t, b, 0, root.feature, 0, root.value),
		"right child is the left":      corrupt(t, b, 0, root.feature, 1, root.value),
		"right child beyond the tree":  corrupt(t, b, 0, root.feature, uint32(e.treeStart[1]), root.value),
		"right child far out of range": corrupt(t, b, 0, root.feature, math.MaxUint32, root.value),
		"feature out of range":         corrupt(t, b, 0, 3, uint32(root.right), root.value),
		"negative feature":             corrupt(t, b, 0, -7, uint32(root.right), root.value),
		"NaN threshold":                corrupt(t, b, 0, root.feature, uint32(root.right), math.NaN()),
		"leaf with a child":            corrupt(t, b, int(root.right)-1, leafFeature, 2, 0),
		"unreachable nodes":            corrupt(t, b, 0, leafFeature, 0, 1),
	}
	for name, bad := range cases {
		if _, err := unmarshalFile(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzUnmarshal checks that no input makes loading panic, or loads a model
// that cannot predict. Run with: go test -fuzz=FuzzUnmarshal ./algorithms/boosting
func FuzzUnmarshal(f *testing.F) {
	for _, m := range smallModels(f) {
		b, _ := m.MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := unmarshalFile(b)
		if err != nil {
			return
		}
		x := make([]float64, m.NumFeatures())
		for _, v := range []float64{0, math.Inf(1), math.Inf(-1), math.NaN()} {
			for i := range x {
				x[i] = v
			}
			if err := algorithms.Predict(m, make([]float64, m.NumOutputs()), x); err != nil {
				t.Fatal(err)
			}
			if c, ok := m.(algorithms.Classifier); ok {
				if err := algorithms.PredictProba(c, make([]float64, len(c.Classes())), x); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
