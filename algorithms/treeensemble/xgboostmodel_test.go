package treeensemble

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

type xgboostFixture struct {
	Name     string
	Model    []byte
	Features int
	X        []float64
	Want     []float64
}

// readFixtures reads the models and libxgboost's predictions that
// xgboost/fixtures_test.go wrote (XGBoost 1.7.4).
func readFixtures(t testing.TB) []xgboostFixture {
	b, err := os.ReadFile("testdata/xgboost_models.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []xgboostFixture
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for _, f := range out {
		for i, v := range f.X {
			if v == -999 {
				f.X[i] = math.NaN()
			}
		}
	}
	return out
}

func TestReadXGBoostPredictsLikeLibxgboost(t *testing.T) {
	for _, f := range readFixtures(t) {
		m, err := ReadXGBoost(f.Model)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if m.NumFeatures() != f.Features {
			t.Fatalf("%s: %d features, want %d", f.Name, m.NumFeatures(), f.Features)
		}
		got := make([]float64, len(f.Want))
		m.Predict(got, f.X, make([]float32, m.ScratchSize()))
		for i := range got {
			if math.Abs(got[i]-f.Want[i]) > 1e-6*max(1, math.Abs(f.Want[i])) {
				t.Fatalf("%s: prediction %d is %v, libxgboost %v", f.Name, i, got[i], f.Want[i])
			}
		}
		allocs := testing.AllocsPerRun(100, func() { m.Predict(got, f.X, make([]float32, 0, 8)[:m.ScratchSize()]) })
		if allocs > 1 {
			t.Errorf("%s: Predict allocates %v times", f.Name, allocs)
		}
	}
}

func TestReadXGBoostRefusesBrokenModels(t *testing.T) {
	model := readFixtures(t)[0].Model
	firstTree := func() map[string]any {
		decoded, err := parseUBJSON(model)
		if err != nil {
			t.Fatal(err)
		}
		return decoded.(map[string]any)["learner"].(map[string]any)["gradient_booster"].(map[string]any)["model"].(map[string]any)["trees"].([]any)[0].(map[string]any)
	}
	var tree map[string]any
	cases := map[string]func(){
		"cycle":   func() { tree["left_children"].([]int64)[1] = 0 },
		"feature": func() { tree["split_indices"].([]int64)[0] = 1 << 40 },
		"lengths": func() { tree["right_children"] = tree["right_children"].([]int64)[1:] },
	}
	for name, breakIt := range cases {
		tree = firstTree()
		breakIt()
		e := &Ensemble{features: 30, outputs: 1}
		if err := e.appendTree(&doc{path: "tree"}, tree); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.Contains(err.Error(), "tree") {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, cut := range []int{0, 1, len(model) / 2, len(model) - 1} {
		if _, err := ReadXGBoost(model[:cut]); err == nil {
			t.Errorf("model cut at %d bytes: accepted", cut)
		}
	}
}

// FuzzReadXGBoost: whatever the stored bytes, the reader returns a model
// or an error, never panics nor loops, and a model it returns predicts.
func FuzzReadXGBoost(f *testing.F) {
	for _, fx := range readFixtures(f) {
		f.Add(fx.Model)
	}
	f.Add([]byte("{L\x00\x00\x00\x00\x00\x00\x00\x01a[$d#i\x02\x00\x00\x00\x00\x00\x00\x00\x00}"))
	f.Add([]byte("[[[[[[[[[["))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadXGBoost(b)
		if err != nil || m.NumFeatures() > 1<<16 {
			return
		}
		row := make([]float64, m.NumFeatures())
		row[0] = math.NaN()
		dst := make([]float64, m.NumOutputs())
		m.Predict(dst, row, make([]float32, m.ScratchSize()))
	})
}
