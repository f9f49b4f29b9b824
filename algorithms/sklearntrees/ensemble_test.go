package sklearntrees

import (
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/fixtures"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// fixtureCase mirrors one case of testdata/sklearntrees_fixtures.json.gz, written by
// testdata/make_sklearntrees_fixtures.py: an export and scikit-learn's answers.
type fixtureCase struct {
	Name          string       `json:"name"`
	Algorithm     string       `json:"algorithm"`
	Class         string       `json:"class"`
	Trees         exported     `json:"trees"`
	X             [][]*float64 `json:"x"` // null: missing (NaN)
	Predictions   [][]float64  `json:"predictions"`
	Probabilities [][]float64  `json:"probabilities"`
}

// exported is bridge.py export_trees's dict with its arrays as JSON lists.
type exported struct {
	Algorithm   string    `json:"algorithm"`
	Combine     string    `json:"combine"`
	CastFloat32 bool      `json:"cast_float32"`
	NumFeatures int       `json:"n_features"`
	Width       int       `json:"width"`
	Scale       float64   `json:"scale"`
	Init        []float64 `json:"init"`
	Classes     []float64 `json:"classes"`
	Feature     []int32   `json:"feature"`
	Threshold   []float64 `json:"threshold"`
	Left        []int32   `json:"left"`
	Right       []int32   `json:"right"`
	Missing     []int32   `json:"missing"`
	Values      []float64 `json:"values"`
	Roots       []int32   `json:"roots"`
	TreeOutput  []int32   `json:"tree_output"`
	TreeWeight  []float64 `json:"tree_weight"`
}

var combines = map[string]Combine{
	"mean": Mean, "mean_probability": MeanProbability, "raw": Raw, "raw_exp": RawExp, "logistic": Logistic,
	"exponential": Exponential, "log_sum_exp": LogSumExp, "softmax": Softmax, "ada_boost": AdaBoost,
	"weighted_median": WeightedMedian,
}

type exportFixtures struct {
	Cases       []fixtureCase `json:"cases"`
	BenchForest fixtureCase   `json:"bench_forest"`
}

func loadFixtures(t testing.TB) exportFixtures {
	t.Helper()
	var fx exportFixtures
	if err := fixtures.LoadGzipJSON("sklearntrees_fixtures.json.gz", &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

func (c fixtureCase) task() algorithms.Task {
	if len(c.Trees.Classes) > 0 {
		return algorithms.Classification
	}
	return algorithms.Regression
}

func (c fixtureCase) build(t testing.TB) *Ensemble {
	t.Helper()
	e := c.Trees
	combine, ok := combines[e.Combine]
	if !ok {
		t.Fatalf("combination %q", e.Combine)
	}
	m, err := New(Arrays{Algorithm: e.Algorithm, Task: c.task(), Combine: combine, CastFloat32: e.CastFloat32,
		NumFeatures: e.NumFeatures, Feature: e.Feature, Left: e.Left, Right: e.Right, Missing: e.Missing,
		Threshold: e.Threshold, Values: e.Values, Width: e.Width, Roots: e.Roots, TreeOutput: e.TreeOutput,
		TreeWeight: e.TreeWeight, Init: e.Init, Scale: e.Scale, Classes: e.Classes})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// rows is x with its nulls NaN.
func (c fixtureCase) rows() []float64 {
	var out []float64
	for _, r := range c.X {
		for _, v := range r {
			if v == nil {
				out = append(out, math.NaN())
			} else {
				out = append(out, *v)
			}
		}
	}
	return out
}

// sameWithin fails unless got equals want within 1e-9 relative to the larger value (and
// absolutely below 1): the lifecycle's acceptance (lifecycle/nativeform.go firstDifference).
func sameWithin(t *testing.T, what string, want, got []float64) {
	t.Helper()
	if err := fixtures.SameWithin(what, want, got, 1e-9); err != nil {
		t.Fatal(err)
	}
}

// Every exported family × task predicts (and gives probabilities) as scikit-learn did, and
// so does the model read back from its file.
func TestPredictsAsScikitLearn(t *testing.T) {
	fx := loadFixtures(t)
	seen := map[string]bool{}
	for _, c := range fx.Cases {
		t.Run(c.Algorithm+"/"+c.Class+"/"+c.Name+"/"+c.Trees.Combine, func(t *testing.T) {
			seen[c.Algorithm] = true
			m := c.build(t)
			b, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			h, payload, err := modelfile.ReadHeader(b)
			if err != nil || h.Algorithm != Name || h.Task != c.task() {
				t.Fatalf("header %+v, %v", h, err)
			}
			loaded, err := Unmarshal(h.Task, payload)
			if err != nil {
				t.Fatal(err)
			}
			x := c.rows()
			for _, model := range []*Ensemble{m, loaded} {
				if model.Algorithm() != c.Algorithm {
					t.Fatalf("algorithm %q", model.Algorithm())
				}
				got := make([]float64, len(c.X)*model.NumOutputs())
				if err := algorithms.Predict(model, got, x); err != nil {
					t.Fatal(err)
				}
				sameWithin(t, "prediction", fixtures.Flat(c.Predictions), got)
				if c.task() != algorithms.Classification {
					continue
				}
				gotP := make([]float64, len(c.X)*len(model.Classes()))
				if err := model.PredictProbaChecked(gotP, x); err != nil {
					t.Fatal(err)
				}
				sameWithin(t, "probability", fixtures.Flat(c.Probabilities), gotP)
			}
		})
	}
	for _, alg := range Algorithms {
		if !seen[alg] {
			t.Errorf("no fixture of %s", alg)
		}
	}
}

// The fixtures exercise what they claim: missing values, joint outputs, many classes.
func TestFixturesCover(t *testing.T) {
	fx := loadFixtures(t)
	var missing, joint, multiclass bool
	for _, c := range fx.Cases {
		for _, v := range c.rows() {
			missing = missing || math.IsNaN(v)
		}
		joint = joint || (c.task() == algorithms.Regression && len(c.Trees.Init) > 1)
		multiclass = multiclass || len(c.Trees.Classes) > 2
	}
	if !missing || !joint || !multiclass {
		t.Fatalf("missing values %v, joint %v, multi-class %v", missing, joint, multiclass)
	}
}

// A corrupt export is refused, not predicted from: a child pointing back up a tree would
// loop forever, one out of range would read outside the nodes.
func TestRejectsBadTrees(t *testing.T) {
	fx := loadFixtures(t)
	c := fx.Cases[0]
	for name, corrupt := range map[string]func(e *exported){
		"cycle":         func(e *exported) { e.Left[e.Roots[0]+1] = e.Roots[0] },
		"child range":   func(e *exported) { e.Right[e.Roots[0]] = int32(len(e.Feature)) },
		"feature range": func(e *exported) { e.Feature[e.Roots[0]] = int32(e.NumFeatures) },
		"tree output":   func(e *exported) { e.TreeOutput[0] = int32(len(e.Init)) },
		"values":        func(e *exported) { e.Values = e.Values[1:] },
	} {
		t.Run(name, func(t *testing.T) {
			e := c.Trees
			for _, s := range []*[]int32{&e.Feature, &e.Left, &e.Right, &e.Missing, &e.TreeOutput} {
				*s = append([]int32(nil), *s...)
			}
			corrupt(&e)
			_, err := New(Arrays{Algorithm: e.Algorithm, Task: c.task(), Combine: combines[e.Combine], CastFloat32: e.CastFloat32,
				NumFeatures: e.NumFeatures, Feature: e.Feature, Left: e.Left, Right: e.Right, Missing: e.Missing,
				Threshold: e.Threshold, Values: e.Values, Width: e.Width, Roots: e.Roots, TreeOutput: e.TreeOutput,
				Init: e.Init, Scale: e.Scale, Classes: e.Classes})
			if err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
