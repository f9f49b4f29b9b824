package neighbors

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

func payloadOf(t *testing.T, m algorithms.Model) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	_, payload, err := modelfile.ReadHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	return payload
}

// TestDefaultModelsKeepTheFormat checks that a model fitted with the default
// search settings is written byte for byte as before algorithm and
// leaf_size were stored (so older builds read it), rows in training order
// although the tree reordered them, and that such a file loads with the
// index a fresh fit builds.
func TestDefaultModelsKeepTheFormat(t *testing.T) {
	x, y := benchData(200, 3, 0)
	m, err := FitRegressor(context.Background(), x, y, algorithms.Hyperparams{"weights": "distance"})
	if err != nil {
		t.Fatal(err)
	}
	if m.set.tree == nil {
		t.Fatal("200 rows of 3 features: auto did not build a tree")
	}
	old := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: algorithms.Regression})
	old.Uint32(3)
	old.Uint32(5)
	old.Float64(2)
	old.Uint8(1) // weights="distance"
	old.Uint32(1)
	old.Float64s(y.Data)
	old.Float64s(x.Data)
	_, oldPayload, _ := modelfile.ReadHeader(old.Bytes())
	if !bytes.Equal(payloadOf(t, m), oldPayload) {
		t.Fatal("a default model is not written in the original layout")
	}
	loaded, err := UnmarshalRegressor(oldPayload)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.set.tree == nil || loaded.set.method != searchAuto || loaded.set.leafSize != defaultLeafSize {
		t.Fatalf("loaded settings: %v, leaf %d, tree %v", loaded.set.method, loaded.set.leafSize, loaded.set.tree != nil)
	}
	queries, _ := benchData(300, 3, 0)
	want, got := make([]float64, 300), make([]float64, 300)
	m.Predict(want, queries.Data)
	loaded.Predict(got, queries.Data)
	if !slices.Equal(got, want) {
		t.Error("the loaded model predicts differently")
	}
}

// TestSearchSettingsRoundTrip checks that algorithm and leaf_size survive a
// model file, and that every cut of such a file is refused.
func TestSearchSettingsRoundTrip(t *testing.T) {
	x, labels := benchData(120, 2, 3)
	for _, hp := range []algorithms.Hyperparams{
		{"algorithm": "brute"},
		{"algorithm": "ball_tree", "leaf_size": 4.0},
		{"leaf_size": 7.0},
	} {
		c, err := FitClassifier(context.Background(), x, labels, hp)
		if err != nil {
			t.Fatal(err)
		}
		payload := payloadOf(t, c)
		loaded, err := UnmarshalClassifier(payload)
		if err != nil {
			t.Fatalf("%v: %v", hp, err)
		}
		if loaded.set.method != c.set.method || loaded.set.leafSize != c.set.leafSize ||
			(loaded.set.tree == nil) != (c.set.tree == nil) || !slices.Equal(loaded.set.x, c.set.x) {
			t.Errorf("%v: loaded %v, leaf %d; fitted %v, leaf %d", hp, loaded.set.method, loaded.set.leafSize, c.set.method, c.set.leafSize)
		}
		for cut := range len(payload) {
			if _, err := UnmarshalClassifier(payload[:cut]); err == nil {
				t.Fatalf("%v: accepted %d of %d payload bytes", hp, cut, len(payload))
			}
		}
	}
}

func TestCorruptSearchSettingsAreRefused(t *testing.T) {
	x, y := benchData(20, 2, 0)
	m, err := FitRegressor(context.Background(), x, y, algorithms.Hyperparams{"algorithm": "kd_tree", "leaf_size": 3.0})
	if err != nil {
		t.Fatal(err)
	}
	payload := payloadOf(t, m)
	const flags = 4 + 4 + 8
	for name, corrupt := range map[string]func(b []byte){
		"unknown flag":      func(b []byte) { b[flags] |= 4 },
		"unknown algorithm": func(b []byte) { b[flags+1] = byte(numSearchMethods) },
		"leaf size 0":       func(b []byte) { clear(b[flags+2 : flags+6]) },
		"non-finite row":    func(b []byte) { copy(b[len(b)-8:], []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f}) },
	} {
		b := slices.Clone(payload)
		corrupt(b)
		if _, err := UnmarshalRegressor(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
