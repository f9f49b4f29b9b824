package sklearnkernels

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cluster"
	"github.com/pgml-go/pgml/algorithms/decomposition"
	"github.com/pgml-go/pgml/algorithms/internal/fixtures"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// fixtureCase mirrors one case of testdata/sklearnkernels_fixtures.json.gz, written by
// testdata/make_sklearnkernels_fixtures.py: an export and scikit-learn's answers.
type fixtureCase struct {
	Name          string      `json:"name"`
	Algorithm     string      `json:"algorithm"`
	Class         string      `json:"class"`
	Export        exported    `json:"export"`
	X             [][]float64 `json:"x"`
	Predictions   [][]float64 `json:"predictions"`
	Probabilities [][]float64 `json:"probabilities"`
}

// exported is bridge.py's export with its arrays as JSON lists.
type exported struct {
	Kernels *struct {
		Algorithm   string `json:"algorithm"`
		NumFeatures int    `json:"n_features"`
		Expansions  []struct {
			Kernel    string    `json:"kernel"`
			Gamma     float64   `json:"gamma"`
			Coef0     float64   `json:"coef0"`
			Degree    float64   `json:"degree"`
			Amplitude float64   `json:"amplitude"`
			Output    int       `json:"output"`
			Width     int       `json:"width"`
			Points    []float64 `json:"points"`
			Coef      []float64 `json:"coef"`
			Intercept []float64 `json:"intercept"`
		} `json:"expansions"`
		Scale        []float64 `json:"scale"`
		Offset       []float64 `json:"offset"`
		Classes      []float64 `json:"classes"`
		SupportCount []int     `json:"support_count"`
		ProbA        []float64 `json:"prob_a"`
		ProbB        []float64 `json:"prob_b"`
		Laplace      []struct {
			WSr   []float64 `json:"w_sr"`
			Lower []float64 `json:"lower"`
		} `json:"laplace"`
	} `json:"kernels"`
	Centres *struct {
		Algorithm   string    `json:"algorithm"`
		NumFeatures int       `json:"n_features"`
		Centres     []float64 `json:"centres"`
		Labels      []float64 `json:"labels"`
	} `json:"centres"`
	PCA *struct {
		NumFeatures int       `json:"n_features"`
		Mean        []float64 `json:"mean"`
		Components  []float64 `json:"components"`
		Variance    []float64 `json:"explained_variance"`
		Ratio       []float64 `json:"explained_variance_ratio"`
		Whiten      bool      `json:"whiten"`
	} `json:"pca"`
}

func loadFixtures(t testing.TB) []fixtureCase {
	t.Helper()
	var fx struct {
		Cases []fixtureCase `json:"cases"`
	}
	if err := fixtures.LoadGzipJSON("sklearnkernels_fixtures.json.gz", &fx); err != nil {
		t.Fatal(err)
	}
	return fx.Cases
}

// arrays is the kernel export as Arrays.
func (c fixtureCase) arrays(t testing.TB) Arrays {
	t.Helper()
	e := c.Export.Kernels
	a := Arrays{Algorithm: e.Algorithm, Task: algorithms.Regression, NumFeatures: e.NumFeatures, Scale: e.Scale, Offset: e.Offset,
		Classes: e.Classes, SupportCount: e.SupportCount, ProbA: e.ProbA, ProbB: e.ProbB}
	if len(e.Classes) > 0 {
		a.Task = algorithms.Classification
	}
	for _, x := range e.Expansions {
		kernel, ok := KernelOf(x.Kernel)
		if !ok {
			t.Fatalf("kernel %q", x.Kernel)
		}
		a.Expansions = append(a.Expansions, Expansion{Kernel: Kernel{Type: kernel, Gamma: x.Gamma, Coef0: x.Coef0, Degree: x.Degree,
			Amplitude: x.Amplitude}, Points: x.Points, Coef: x.Coef, Intercept: x.Intercept, Output: x.Output, Width: x.Width})
	}
	for _, f := range e.Laplace {
		a.Laplace = append(a.Laplace, Laplace{WSr: f.WSr, Lower: f.Lower})
	}
	return a
}

// model is the case's native form, whichever package builds it.
func (c fixtureCase) model(t testing.TB) algorithms.Model {
	t.Helper()
	var m algorithms.Model
	var err error
	switch e := c.Export; {
	case e.Kernels != nil:
		m, err = New(c.arrays(t))
	case e.Centres != nil:
		m, err = cluster.NewExported(e.Centres.Algorithm, e.Centres.NumFeatures, e.Centres.Centres, e.Centres.Labels)
	case e.PCA != nil:
		m, err = decomposition.NewExported(e.PCA.NumFeatures, e.PCA.Mean, e.PCA.Components, e.PCA.Variance, e.PCA.Ratio, e.PCA.Whiten)
	default:
		t.Fatal("an export of no known form")
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sameWithin fails unless got equals want within the lifecycle's tolerance.
func sameWithin(t *testing.T, what string, want, got []float64, tolerance float64) {
	t.Helper()
	if err := fixtures.SameWithin(what, want, got, tolerance); err != nil {
		t.Fatal(err)
	}
}

// The native forms predict (and give the probabilities) as scikit-learn did, within the
// lifecycle's tolerance of their family, before and after a round trip through their model
// file.
func TestExportedModelsPredictAsScikitLearn(t *testing.T) {
	for _, c := range loadFixtures(t) {
		t.Run(c.Algorithm+"/"+c.Class+"/"+c.Name, func(t *testing.T) {
			tolerance := 1e-9
			if c.Export.Kernels != nil {
				tolerance = 1e-6
			}
			built := c.model(t)
			b, err := built.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			h, payload, err := modelfile.ReadHeader(b)
			if err != nil {
				t.Fatal(err)
			}
			var loaded algorithms.Model
			switch h.Algorithm {
			case Name:
				loaded, err = Unmarshal(h.Task, payload)
			case cluster.ExportedName:
				loaded, err = cluster.UnmarshalExported(payload)
			case decomposition.PCAName:
				loaded, err = decomposition.UnmarshalPCA(payload)
			default:
				t.Fatalf("model file of %q", h.Algorithm)
			}
			if err != nil {
				t.Fatal(err)
			}
			x := fixtures.Flat(c.X)
			for name, m := range map[string]algorithms.Model{"built": built, "loaded": loaded} {
				if m.Algorithm() != c.Algorithm {
					t.Fatalf("%s: algorithm %q", name, m.Algorithm())
				}
				got := make([]float64, len(c.X)*m.NumOutputs())
				if err := algorithms.Predict(m, got, x); err != nil {
					t.Fatal(err)
				}
				sameWithin(t, name+" prediction", fixtures.Flat(c.Predictions), got, tolerance)
				if c.Probabilities == nil {
					continue
				}
				k := m.(*Model)
				if !k.HasPredictProba() {
					t.Fatalf("%s: no probabilities", name)
				}
				gotP := make([]float64, len(c.X)*len(k.Classes()))
				if err := k.PredictProbaChecked(gotP, x); err != nil {
					t.Fatal(err)
				}
				sameWithin(t, name+" probability", fixtures.Flat(c.Probabilities), gotP, tolerance)
			}
		})
	}
}

// A classifier fitted without probability=True says it has none, as scikit-learn's lacks
// predict_proba.
func TestClassifierWithoutProbabilities(t *testing.T) {
	for _, c := range loadFixtures(t) {
		if c.Export.Kernels == nil || len(c.Export.Kernels.Classes) == 0 || c.Probabilities != nil {
			continue
		}
		m := c.model(t).(*Model)
		if m.HasPredictProba() {
			t.Fatalf("%s %s: probabilities without Platt parameters", c.Class, c.Name)
		}
		if err := m.PredictProbaChecked(make([]float64, len(m.Classes())), c.X[0]); err == nil {
			t.Fatalf("%s %s: probabilities without Platt parameters", c.Class, c.Name)
		}
		return
	}
	t.Fatal("no classifier without probabilities among the fixtures")
}

// Every truncation of a stored model and arrays that disagree are refused with an error,
// never a panic or a model that reads out of bounds.
func TestCorruptModelsAreRefused(t *testing.T) {
	var classifier, regressor fixtureCase
	for _, c := range loadFixtures(t) {
		if c.Export.Kernels == nil {
			continue
		}
		if c.Class == "GaussianProcessClassifier" {
			continue // TestCorruptGaussianProcessClassifiersAreRefused
		}
		if c.Probabilities != nil && len(c.Export.Kernels.Classes) > 2 {
			classifier = c
		} else if len(c.Export.Kernels.Expansions) > 1 {
			regressor = c
		}
	}
	for _, c := range []fixtureCase{classifier, regressor} {
		m := c.model(t).(*Model)
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		_, payload, err := modelfile.ReadHeader(b)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(payload); n += 1 + n/16 {
			if _, err := Unmarshal(m.Task(), payload[:n]); err == nil || !errors.Is(err, modelfile.ErrTruncated) && !strings.Contains(err.Error(), "sklearnkernels") {
				t.Fatalf("%s: %d of %d bytes decoded: %v", c.Class, n, len(payload), err)
			}
		}
	}
	a := classifier.arrays(t)
	bad := map[string]func(a *Arrays){
		"support counts": func(a *Arrays) { a.SupportCount = append([]int{1}, a.SupportCount[1:]...) },
		"platt":          func(a *Arrays) { a.ProbA = a.ProbA[1:] },
		"classes":        func(a *Arrays) { a.Classes = []float64{2, 1, 0} },
		"intercepts":     func(a *Arrays) { a.Expansions[0].Intercept = a.Expansions[0].Intercept[1:] },
		"coefficient":    func(a *Arrays) { a.Expansions[0].Coef[3] = math.NaN() },
		"kernel":         func(a *Arrays) { a.Expansions[0].Kernel.Type = numKernels },
		"algorithm":      func(a *Arrays) { a.Algorithm = "linear" },
		"task":           func(a *Arrays) { a.Task = algorithms.Clustering },
	}
	for name, corrupt := range bad {
		b := a
		b.Expansions = []Expansion{a.Expansions[0]}
		b.Expansions[0].Coef = append([]float64(nil), a.Expansions[0].Coef...)
		corrupt(&b)
		if _, err := New(b); err == nil {
			t.Errorf("%s: a corrupt classifier was built", name)
		}
	}
	r := regressor.arrays(t)
	r.Expansions = r.Expansions[:1]
	if _, err := New(r); err == nil {
		t.Error("a regressor with outputs no expansion predicts was built")
	}
	r = regressor.arrays(t)
	r.Scale = append(r.Scale, 1)
	if _, err := New(r); err == nil {
		t.Error("a regressor with scales for outputs no expansion predicts was built")
	}
}

// libsvm's coupling of pairwise probabilities: when they agree with some class probabilities
// p (r[i][j] = p_i / (p_i + p_j)), the iterations find p.
func TestMulticlassProbabilityRecoversConsistentPairs(t *testing.T) {
	want := []float64{0.5, 0.3, 0.15, 0.05}
	k := len(want)
	r := make([]float64, k*k)
	for i := range want {
		for j := range want {
			if i != j {
				r[i*k+j] = want[i] / (want[i] + want[j])
			}
		}
	}
	got := make([]float64, k)
	multiclassProbability(k, r, make([]float64, k*k), make([]float64, k), got)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-3 {
			t.Fatalf("coupled %v, want %v", got, want)
		}
	}
}
