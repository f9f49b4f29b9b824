package neighbors

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Points on a line at 0, 1, 2, 3, 10 with targets equal to their position
// (and 10× it as a second output) and labels 0, 0, 1, 1, 2.
var (
	lineX   = algorithms.Matrix{Rows: 5, Cols: 1, Data: []float64{0, 1, 2, 3, 10}}
	lineY   = algorithms.Matrix{Rows: 5, Cols: 2, Data: []float64{0, 0, 1, 10, 2, 20, 3, 30, 10, 100}}
	lineLab = algorithms.Matrix{Rows: 5, Cols: 1, Data: []float64{0, 0, 1, 1, 2}}
)

func TestRegressorKnownAnswers(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		hp    algorithms.Hyperparams
		query []float64
		want  []float64
	}{
		// Nearest two of 1.2 are 1 and 2: mean 1.5.
		{algorithms.Hyperparams{"n_neighbors": 2.0}, []float64{1.2}, []float64{1.5, 15}},
		// Inverse distance: weights 1/0.2 and 1/0.8.
		{algorithms.Hyperparams{"n_neighbors": 2.0, "weights": "distance"}, []float64{1.2}, []float64{(1/0.2 + 2/0.8) / (1/0.2 + 1/0.8), (10/0.2 + 20/0.8) / (1/0.2 + 1/0.8)}},
		// A query on a training row takes that row's target alone.
		{algorithms.Hyperparams{"n_neighbors": 3.0, "weights": "distance"}, []float64{3}, []float64{3, 30}},
		// Ties keep the earlier training row: 0.5 is equidistant to 0 and 1.
		{algorithms.Hyperparams{"n_neighbors": 1.0}, []float64{0.5}, []float64{0, 0}},
		{algorithms.Hyperparams{"n_neighbors": 5.0, "p": 1.0}, []float64{100}, []float64{3.2, 32}},
	}
	for _, c := range cases {
		m, err := FitRegressor(ctx, lineX, lineY, c.hp)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]float64, 2)
		m.Predict(got, c.query)
		for o := range got {
			if math.Abs(got[o]-c.want[o]) > 1e-12 {
				t.Errorf("%v at %v: got %v, want %v", c.hp, c.query, got, c.want)
				break
			}
		}
	}
}

func TestClassifierKnownAnswers(t *testing.T) {
	m, err := FitClassifier(context.Background(), lineX, lineLab, algorithms.Hyperparams{"n_neighbors": 3.0})
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]float64, 3)
	m.Predict(pred, []float64{0.2, 2.6, 9})
	if !slices.Equal(pred, []float64{0, 1, 1}) {
		t.Errorf("predicted %v", pred)
	}
	proba := make([]float64, 3)
	m.PredictProba(proba, []float64{9})
	if want := []float64{0, 2.0 / 3, 1.0 / 3}; !slices.Equal(proba, want) {
		t.Errorf("proba %v, want %v", proba, want)
	}
	// Two neighbours of 1.5 are 1 (class 0) and 2 (class 1): the tie goes
	// to the smaller label, as sklearn's mode.
	m2, _ := FitClassifier(context.Background(), lineX, lineLab, algorithms.Hyperparams{"n_neighbors": 2.0})
	m2.Predict(pred[:1], []float64{1.5})
	if pred[0] != 0 {
		t.Errorf("tie predicted %v, want 0", pred[0])
	}
}

func TestBadHyperparameters(t *testing.T) {
	cases := []struct {
		hp   algorithms.Hyperparams
		want string
	}{
		{algorithms.Hyperparams{"k": 3.0}, "allowed are algorithm, leaf_size, metric, n_neighbors, p, weights"},
		{algorithms.Hyperparams{"n_neighbors": 0.0}, "positive integer"},
		{algorithms.Hyperparams{"n_neighbors": 6.0}, "more than the 5 training rows"},
		{algorithms.Hyperparams{"weights": "gaussian"}, `"weights"`},
		{algorithms.Hyperparams{"p": 0.5}, "at least 1"},
		{algorithms.Hyperparams{"metric": "cosine"}, `"metric"`},
		{algorithms.Hyperparams{"algorithm": "lsh"}, `"algorithm"`},
		{algorithms.Hyperparams{"algorithm": 1.0}, `"algorithm"`},
		{algorithms.Hyperparams{"leaf_size": 0.0}, `"leaf_size" must be a positive integer`},
		{algorithms.Hyperparams{"leaf_size": 2.5}, `"leaf_size" must be a positive integer`},
		{algorithms.Hyperparams{"leaf_size": "30"}, `"leaf_size" must be a positive integer`},
	}
	for _, c := range cases {
		_, err := FitRegressor(context.Background(), lineX, lineY, c.hp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error = %v, want one containing %q", c.hp, err, c.want)
		}
	}
	for _, method := range []string{"brute", "kd_tree", "ball_tree"} {
		hp := algorithms.Hyperparams{"n_neighbors": 6.0, "algorithm": method}
		if _, err := FitClassifier(context.Background(), lineX, lineLab, hp); err == nil || !strings.Contains(err.Error(), "more than the 5 training rows") {
			t.Errorf("%v: error = %v", hp, err)
		}
	}
	if _, err := FitClassifier(context.Background(), lineX, lineY, nil); err == nil {
		t.Error("classifier accepted two label columns")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitClassifier(ctx, lineX, lineLab, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fit: error = %v", err)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	ctx := context.Background()
	r, _ := FitRegressor(ctx, lineX, lineY, algorithms.Hyperparams{"n_neighbors": 3.0, "weights": "distance", "p": 1.5})
	c, _ := FitClassifier(ctx, lineX, lineLab, algorithms.Hyperparams{"n_neighbors": 2.0, "metric": "manhattan"})
	query := []float64{-1, 0.4, 2.5, 7, 11}
	for _, m := range []algorithms.Model{r, c} {
		payload := payloadOf(t, m)
		unmarshal := func(p []byte) (algorithms.Model, error) {
			if m.Task() == algorithms.Regression {
				return UnmarshalRegressor(p)
			}
			return UnmarshalClassifier(p)
		}
		loaded, err := unmarshal(payload)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]float64, len(query)*m.NumOutputs())
		got := make([]float64, len(want))
		m.Predict(want, query)
		loaded.Predict(got, query)
		if !slices.Equal(got, want) {
			t.Errorf("%v: predictions %v after a round trip, want %v", m.Task(), got, want)
		}
		for cut := range len(payload) {
			if _, err := unmarshal(payload[:cut]); err == nil {
				t.Fatalf("%v: accepted %d of %d payload bytes", m.Task(), cut, len(payload))
			}
		}
	}
}

func TestConcurrentPredict(t *testing.T) {
	m, err := FitClassifier(context.Background(), lineX, lineLab, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := make([]float64, 3)
			for range 200 {
				m.PredictProba(dst, []float64{0.5})
				if !slices.Equal(dst, []float64{0.4, 0.4, 0.2}) {
					t.Errorf("concurrent proba %v", dst)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestPredictDoesNotAllocate(t *testing.T) {
	m, err := FitRegressor(context.Background(), lineX, lineY, algorithms.Hyperparams{"weights": "distance"})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float64, 2)
	m.Predict(dst, []float64{1}) // warm the scratch pool
	if a := testing.AllocsPerRun(100, func() { m.Predict(dst, []float64{1.5}) }); a > 0 {
		t.Errorf("Predict allocates %v times per call", a)
	}
	// Through a tree, one row or a batch taken in tree order.
	x, labels := benchData(500, 2, 3)
	for _, method := range []string{"kd_tree", "ball_tree"} {
		c, err := FitClassifier(context.Background(), x, labels, algorithms.Hyperparams{"algorithm": method})
		if err != nil {
			t.Fatal(err)
		}
		for _, rows := range []int{1, 2 * minOrderedQueries} {
			pred, proba := make([]float64, rows), make([]float64, 3*rows)
			queries := x.Data[:2*rows]
			c.Predict(pred, queries)
			c.PredictProba(proba, queries)
			if a := testing.AllocsPerRun(20, func() { c.Predict(pred, queries); c.PredictProba(proba, queries) }); a > 0 {
				t.Errorf("%s, %d rows: Predict and PredictProba allocate %v times per call", method, rows, a)
			}
		}
	}
}

// FuzzUnmarshal checks that no payload makes either decoder panic or
// return a model that cannot predict. Run with:
// go test -fuzz=FuzzUnmarshal ./algorithms/neighbors
func FuzzUnmarshal(f *testing.F) {
	r, _ := FitRegressor(context.Background(), lineX, lineY, nil)
	c, _ := FitClassifier(context.Background(), lineX, lineLab, nil)
	// Trees, with and without stored search settings.
	treeX, treeY := benchData(12, 2, 3)
	kd, _ := FitClassifier(context.Background(), treeX, treeY, algorithms.Hyperparams{"n_neighbors": 2.0, "leaf_size": 2.0})
	ball, _ := FitRegressor(context.Background(), treeX, treeY, algorithms.Hyperparams{"n_neighbors": 2.0, "algorithm": "ball_tree", "p": 3.0})
	for _, m := range []algorithms.Model{r, c, kd, ball} {
		b, _ := m.MarshalBinary()
		_, payload, _ := modelfile.ReadHeader(b)
		f.Add(uint8(m.Task()), payload)
	}
	f.Fuzz(func(t *testing.T, task uint8, payload []byte) {
		var m algorithms.Model
		var err error
		if task%2 == 1 {
			m, err = UnmarshalRegressor(payload)
		} else {
			m, err = UnmarshalClassifier(payload)
		}
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
