package svm

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// twoPoints is a separable 1-D problem whose maximal margin is known: the
// support vectors are −1 and 1, w = 1, b = 0, and α = ½ for both.
func twoPoints() (x, y algorithms.Matrix) {
	x = algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{-2, -1, 1, 2}}
	y = algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{3, 3, 7, 7}}
	return x, y
}

func TestKnownAnswerLinearSVC(t *testing.T) {
	x, y := twoPoints()
	m, err := FitSVC(context.Background(), x, y, algorithms.Hyperparams{"kernel": "linear", "C": 100.0})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.NumSupport(); len(got) != 2 || got[0] != 1 || got[1] != 1 {
		t.Fatalf("support counts %v, want [1 1]", got)
	}
	if sv := [2]float64{m.SupportVector(0)[0], m.SupportVector(1)[0]}; sv != [2]float64{-1, 1} {
		t.Errorf("support vectors %v, want [-1 1]", sv)
	}
	// libsvm's pair (3, 7) has 3 as its positive class: y·α = (+½, −½).
	if c := m.DualCoef(0); math.Abs(c[0]-0.5) > 1e-9 || math.Abs(c[1]+0.5) > 1e-9 {
		t.Errorf("dual coefficients %v, want [0.5 -0.5]", c)
	}
	if r := m.Rho(); math.Abs(r[0]) > 1e-9 {
		t.Errorf("rho %v, want 0", r)
	}
	pred := make([]float64, 4)
	m.Predict(pred, []float64{-0.1, 0.1, -5, 5})
	if want := []float64{3, 7, 3, 7}; !equal(pred, want) {
		t.Errorf("predictions %v, want %v", pred, want)
	}
}

func TestKnownAnswerLinearSVR(t *testing.T) {
	// y = 2x exactly; with ε = 0 and a large C the fit is exact.
	x := algorithms.Matrix{Rows: 5, Cols: 1, Data: []float64{-2, -1, 0, 1, 2}}
	y := algorithms.Matrix{Rows: 5, Cols: 1, Data: []float64{-4, -2, 0, 2, 4}}
	m, err := FitSVR(context.Background(), x, y, algorithms.Hyperparams{"kernel": "linear", "C": 100.0, "epsilon": 0.0, "tol": 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]float64, 2)
	m.Predict(pred, []float64{0.5, 3})
	if math.Abs(pred[0]-1) > 1e-4 || math.Abs(pred[1]-6) > 1e-4 {
		t.Errorf("predictions %v, want [1 6]", pred)
	}
}

func TestEveryKernelSeparatesBlobs(t *testing.T) {
	x := algorithms.Matrix{Rows: 6, Cols: 2, Data: []float64{0, 0, 0.1, 0.2, 0.2, 0, 3, 3, 3.1, 2.9, 2.9, 3.2}}
	y := algorithms.Matrix{Rows: 6, Cols: 1, Data: []float64{0, 0, 0, 1, 1, 1}}
	for _, kernel := range []string{"linear", "poly", "rbf", "sigmoid"} {
		hp := algorithms.Hyperparams{"kernel": kernel, "C": 10.0, "gamma": "auto"}
		if kernel == "sigmoid" {
			hp["gamma"], hp["coef0"] = 0.1, -1.0
		}
		m, err := FitSVC(context.Background(), x, y, hp)
		if err != nil {
			t.Fatal(err)
		}
		pred := make([]float64, 6)
		m.Predict(pred, x.Data)
		if !equal(pred, y.Data) {
			t.Errorf("%s: training predictions %v, want %v", kernel, pred, y.Data)
		}
	}
}

func TestMultiTargetSVR(t *testing.T) {
	x := algorithms.Matrix{Rows: 5, Cols: 1, Data: []float64{-2, -1, 0, 1, 2}}
	y := algorithms.Matrix{Rows: 5, Cols: 2, Data: []float64{-4, 1, -2, 1, 0, 1, 2, 1, 4, 1}}
	hp := algorithms.Hyperparams{"kernel": "linear", "C": 100.0, "epsilon": 0.0, "tol": 1e-6}
	m, err := FitSVR(context.Background(), x, y, hp)
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]float64, 2)
	m.Predict(pred, []float64{1.5})
	if m.NumOutputs() != 2 || math.Abs(pred[0]-3) > 1e-4 || math.Abs(pred[1]-1) > 1e-4 {
		t.Errorf("predictions %v, want [3 1]", pred)
	}
}

func TestMaxIterStopsEarly(t *testing.T) {
	f := loadFixtures(t)
	xTrain, yTrain, _, _ := splitDataset(t, f, "digits")
	m, err := FitSVC(context.Background(), xTrain, yTrain, algorithms.Hyperparams{"max_iter": 100.0})
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]float64, yTrain.Rows)
	m.Predict(pred, xTrain.Data)
	if !(accuracy(yTrain.Data, pred) > 0.9) {
		t.Errorf("training accuracy after 100 iterations per pair: %v", accuracy(yTrain.Data, pred))
	}
}

func TestCancelled(t *testing.T) {
	x, y := twoPoints()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitSVC(ctx, x, y, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("FitSVC error = %v, want context.Canceled", err)
	}
	if _, err := FitSVR(ctx, x, y, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("FitSVR error = %v, want context.Canceled", err)
	}
}

func TestHyperparamErrors(t *testing.T) {
	x, y := twoPoints()
	cases := []struct {
		hp   algorithms.Hyperparams
		want string
	}{
		{algorithms.Hyperparams{"alpha": 1.0}, `"alpha"`},
		{algorithms.Hyperparams{"C": 0.0}, `"C"`},
		{algorithms.Hyperparams{"kernel": "precomputed"}, `"kernel"`},
		{algorithms.Hyperparams{"gamma": "big"}, `"gamma"`},
		{algorithms.Hyperparams{"gamma": -1.0}, `"gamma"`},
		{algorithms.Hyperparams{"degree": 1.5}, `"degree"`},
		{algorithms.Hyperparams{"max_iter": -2.0}, `"max_iter"`},
		{algorithms.Hyperparams{"tol": 0.0}, `"tol"`},
		{algorithms.Hyperparams{"cache_size": "x"}, `"cache_size"`},
		{algorithms.Hyperparams{"shrinking": 1.0}, `"shrinking"`},
		{algorithms.Hyperparams{"probability": true}, `"probability"`},
		{algorithms.Hyperparams{"break_ties": true}, `"break_ties"`},
		{algorithms.Hyperparams{"class_weight": "balanced"}, `"class_weight"`},
		{algorithms.Hyperparams{"decision_function_shape": "x"}, `"decision_function_shape"`},
		{algorithms.Hyperparams{"random_state": -1.0}, `"random_state"`},
		{algorithms.Hyperparams{"epsilon": 0.1}, `"epsilon"`}, // SVR only
	}
	for _, c := range cases {
		if _, err := FitSVC(context.Background(), x, y, c.hp); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FitSVC(%v) error = %v, want one naming %s", c.hp, err, c.want)
		}
	}
	for hp, want := range map[string]algorithms.Hyperparams{
		`"epsilon"`:      {"epsilon": -1.0},
		`"random_state"`: {"random_state": 0.0}, // SVC only
	} {
		if _, err := FitSVR(context.Background(), x, y, want); err == nil || !strings.Contains(err.Error(), hp) {
			t.Errorf("FitSVR(%v) error = %v, want one naming %s", want, err, hp)
		}
	}
	// sklearn's defaults spelled out are accepted.
	ok := algorithms.Hyperparams{"C": 1.0, "kernel": "rbf", "degree": 3.0, "gamma": "scale", "coef0": 0.0,
		"shrinking": true, "probability": false, "tol": 1e-3, "cache_size": 200.0, "class_weight": nil,
		"verbose": false, "max_iter": -1.0, "decision_function_shape": "ovr", "break_ties": false, "random_state": nil}
	if _, err := FitSVC(context.Background(), x, y, ok); err != nil {
		t.Error(err)
	}
}

func TestSingleClassRejected(t *testing.T) {
	x := algorithms.Matrix{Rows: 2, Cols: 1, Data: []float64{1, 2}}
	y := algorithms.Matrix{Rows: 2, Cols: 1, Data: []float64{5, 5}}
	if _, err := FitSVC(context.Background(), x, y, nil); err == nil || err.Error() != "classification needs at least 2 distinct labels, got 1" {
		t.Errorf("error = %v", err)
	}
}

func TestGammaScale(t *testing.T) {
	// Var of {0, 2, 0, 2} is 1, so "scale" is 1/(2·1).
	x := algorithms.Matrix{Rows: 2, Cols: 2, Data: []float64{0, 2, 0, 2}}
	if g := (gammaRule{name: "scale"}).resolve(x); g != 0.5 {
		t.Errorf("scale gamma = %v, want 0.5", g)
	}
	if g := (gammaRule{name: "auto"}).resolve(x); g != 0.5 {
		t.Errorf("auto gamma = %v, want 0.5", g)
	}
}

func TestKernelCacheEvictsLeastRecentlyUsed(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	c := newKernelCache(Kernel{Type: Linear}, x, nil, 1, 2*8*4) // two rows of 4
	if c.capacity != 2 {
		t.Fatalf("capacity %d, want 2", c.capacity)
	}
	c.row(0)
	c.row(1)
	c.row(0) // 1 is now the least recently used
	if r := c.row(2); !equal(r, []float64{3, 6, 9, 12}) {
		t.Errorf("row 2 = %v", r)
	}
	if c.slotOf[1] != -1 || c.slotOf[0] < 0 || c.slotOf[2] < 0 {
		t.Errorf("slots after eviction: %v", c.slotOf)
	}
	if r := c.row(0); !equal(r, []float64{1, 2, 3, 4}) {
		t.Errorf("row 0 = %v", r)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	x := algorithms.Matrix{Rows: 6, Cols: 2, Data: []float64{0, 0, 1, 0, 5, 5, 6, 5, 0, 9, 1, 9}}
	y := algorithms.Matrix{Rows: 6, Cols: 1, Data: []float64{1, 1, 2, 2, 3, 3}}
	c, err := FitSVC(context.Background(), x, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := FitSVR(context.Background(), x, y, algorithms.Hyperparams{"kernel": "poly"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []algorithms.Model{c, r} {
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		_, payload, err := modelfile.ReadHeader(b)
		if err != nil {
			t.Fatal(err)
		}
		var loaded algorithms.Model
		if m.Task() == algorithms.Classification {
			loaded, err = UnmarshalClassifier(payload)
		} else {
			loaded, err = UnmarshalRegressor(payload)
		}
		if err != nil {
			t.Fatal(err)
		}
		want, got := make([]float64, 6), make([]float64, 6)
		m.Predict(want, x.Data)
		loaded.Predict(got, x.Data)
		if !equal(got, want) {
			t.Errorf("%v: loaded model predicts %v, original %v", m.Task(), got, want)
		}
		if _, err := UnmarshalClassifier(payload[:len(payload)-1]); err == nil {
			t.Errorf("%v: truncated payload accepted", m.Task())
		}
	}
}

// FuzzUnmarshal checks that no payload makes either decoder panic or
// return a model that cannot predict. Run with:
// go test -fuzz=FuzzUnmarshal ./algorithms/svm
func FuzzUnmarshal(f *testing.F) {
	x := algorithms.Matrix{Rows: 6, Cols: 2, Data: []float64{0, 0, 1, 0, 5, 5, 6, 5, 0, 9, 1, 9}}
	y := algorithms.Matrix{Rows: 6, Cols: 1, Data: []float64{1, 1, 2, 2, 3, 3}}
	c, _ := FitSVC(context.Background(), x, y, nil)
	r, _ := FitSVR(context.Background(), x, y, nil)
	for _, m := range []algorithms.Model{c, r} {
		b, _ := m.MarshalBinary()
		_, payload, _ := modelfile.ReadHeader(b)
		f.Add(uint8(m.Task()), payload)
	}
	f.Fuzz(func(t *testing.T, task uint8, payload []byte) {
		var m algorithms.Model
		var err error
		if task%2 == 0 {
			m, err = UnmarshalRegressor(payload)
		} else {
			m, err = UnmarshalClassifier(payload)
		}
		if err != nil {
			return
		}
		if m.NumFeatures() > 1<<16 {
			return // a valid but huge model: not worth a huge allocation here
		}
		if err := algorithms.Predict(m, make([]float64, m.NumOutputs()), make([]float64, m.NumFeatures())); err != nil {
			t.Fatal(err)
		}
	})
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func accuracy(yTrue, yPred []float64) float64 {
	var right float64
	for i := range yTrue {
		if yTrue[i] == yPred[i] {
			right++
		}
	}
	return right / float64(len(yTrue))
}
