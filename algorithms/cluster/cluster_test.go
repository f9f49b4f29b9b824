package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// blobs is three well separated groups of two points each.
var blobs = algorithms.Matrix{Rows: 6, Cols: 2, Data: []float64{0, 0, 1, 0, 10, 10, 11, 10, 0, 20, 1, 20}}

type fitter func(context.Context, algorithms.Matrix, algorithms.Hyperparams) (algorithms.Model, error)

var fitters = map[string]fitter{
	KMeansName: func(ctx context.Context, x algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitKMeans(ctx, x, hp)
	},
	MiniBatchKMeansName: func(ctx context.Context, x algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitMiniBatchKMeans(ctx, x, hp)
	},
}

func TestSeparatedBlobs(t *testing.T) {
	for name, fit := range fitters {
		for _, init := range []string{"k-means++", "random"} {
			if name == MiniBatchKMeansName && init == "random" {
				continue // three random seeds on six points can all be bad, as in sklearn
			}
			m, err := fit(context.Background(), blobs, algorithms.Hyperparams{"n_clusters": 3.0, "init": init, "random_state": 1.0})
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float64, blobs.Rows)
			m.Predict(got, blobs.Data)
			if got[0] != got[1] || got[2] != got[3] || got[4] != got[5] || got[0] == got[2] || got[2] == got[4] || got[0] == got[4] {
				t.Errorf("%s %s: labels %v do not follow the blobs", name, init, got)
			}
		}
	}
	m, _ := FitKMeans(context.Background(), blobs, algorithms.Hyperparams{"n_clusters": 3.0})
	if math.Abs(m.Inertia()-1.5) > 1e-12 {
		t.Errorf("inertia = %v, want 1.5", m.Inertia())
	}
	dist := make([]float64, 3)
	m.Transform(dist, []float64{0.5, 0})
	if math.Abs(minOf(dist)) > 1e-12 {
		t.Errorf("distances to centres %v: want one 0", dist)
	}
}

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, f := range v {
		m = math.Min(m, f)
	}
	return m
}

// TestDuplicatePoints has fewer distinct points than clusters, which leaves
// clusters empty: the fit must still succeed with finite centres.
func TestDuplicatePoints(t *testing.T) {
	x := algorithms.Matrix{Rows: 5, Cols: 1, Data: []float64{1, 1, 1, 2, 2}}
	for name, fit := range fitters {
		m, err := fit(context.Background(), x, algorithms.Hyperparams{"n_clusters": 4.0})
		if err != nil {
			t.Fatal(name, err)
		}
		b, _ := m.MarshalBinary()
		if _, err := unmarshal(name, b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestHyperparameterErrors(t *testing.T) {
	cases := []struct {
		hp   algorithms.Hyperparams
		want string
	}{
		{algorithms.Hyperparams{"n_clusters": 0.0}, "between 1 and 6 (the training rows), got 0"},
		{algorithms.Hyperparams{"n_clusters": 7.0}, "between 1 and 6 (the training rows), got 7"},
		{algorithms.Hyperparams{"init": "kmeans"}, "init"},
		{algorithms.Hyperparams{"n_init": "sometimes"}, "n_init"},
		{algorithms.Hyperparams{"tol": -1.0}, "tol"},
		{algorithms.Hyperparams{"random_state": 1.5}, "random_state"},
		{algorithms.Hyperparams{"alpha": 1.0}, "unknown hyperparameter"},
	}
	for name, fit := range fitters {
		for _, c := range cases {
			_, err := fit(context.Background(), blobs, c.hp)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s %v: error %v, want one mentioning %q", name, c.hp, err, c.want)
			}
		}
	}
	if _, err := FitKMeans(context.Background(), blobs, algorithms.Hyperparams{"algorithm": "magic"}); err == nil {
		t.Error("unknown algorithm accepted")
	}
	ok := algorithms.Hyperparams{"n_clusters": 2.0, "n_init": "auto", "algorithm": "elkan", "random_state": nil}
	if _, err := FitKMeans(context.Background(), blobs, ok); err != nil {
		t.Error(err)
	}
	ok = algorithms.Hyperparams{"n_clusters": 2.0, "n_init": "warn", "max_no_improvement": nil, "batch_size": 2.0, "tol": 0.01}
	if _, err := FitMiniBatchKMeans(context.Background(), blobs, ok); err != nil {
		t.Error(err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, fit := range fitters {
		if _, err := fit(ctx, blobs, algorithms.Hyperparams{"n_clusters": 2.0}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error = %v, want context.Canceled", name, err)
		}
	}
}

func TestSilhouette(t *testing.T) {
	// Any label values work: these are the three blobs.
	if got := Silhouette(blobs, []float64{5, 5, -1, -1, 7, 7}); !(got > 0.9 && got < 1) {
		t.Errorf("silhouette of separated blobs = %v", got)
	}
	// By hand: each of the first two rows is 1 from its partner and √200 or
	// √181 from the third row, which is alone in its cluster and counts 0.
	three := algorithms.Matrix{Rows: 3, Cols: 2, Data: []float64{0, 0, 1, 0, 10, 10}}
	s := Silhouette(three, []float64{0, 0, 1})
	wantFirst := (math.Sqrt(200) - 1) / math.Sqrt(200)
	wantSecond := (math.Sqrt(181) - 1) / math.Sqrt(181)
	if math.Abs(s-(wantFirst+wantSecond)/3) > 1e-15 {
		t.Errorf("silhouette = %v, want %v", s, (wantFirst+wantSecond)/3)
	}
	for _, bad := range [][]float64{{1, 1, 1, 1, 1, 1}, {1, 2, 3, 4, 5, 6}, {1, 2}} {
		if v := Silhouette(blobs, bad); !math.IsNaN(v) {
			t.Errorf("Silhouette(%v) = %v, want NaN", bad, v)
		}
	}
}

func unmarshal(name string, file []byte) (algorithms.Model, error) {
	header, payload, err := modelfile.ReadHeader(file)
	if err != nil {
		return nil, err
	}
	if header.Algorithm != name || header.Task != algorithms.Clustering {
		return nil, fmt.Errorf("header %+v, want %s clustering", header, name)
	}
	if name == KMeansName {
		return UnmarshalKMeans(payload)
	}
	return UnmarshalMiniBatchKMeans(payload)
}

func TestRoundTrip(t *testing.T) {
	for name, fit := range fitters {
		m, err := fit(context.Background(), blobs, algorithms.Hyperparams{"n_clusters": 3.0})
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(name)) || m.Algorithm() != name || m.Task() != algorithms.Clustering {
			t.Errorf("%s: header %q, Algorithm %q, Task %v", name, b[:40], m.Algorithm(), m.Task())
		}
		loaded, err := unmarshal(name, b)
		if err != nil {
			t.Fatal(err)
		}
		want, got := make([]float64, blobs.Rows), make([]float64, blobs.Rows)
		m.Predict(want, blobs.Data)
		loaded.Predict(got, blobs.Data)
		for i := range want {
			if want[i] != got[i] {
				t.Fatalf("%s: loaded model predicts %v, original %v", name, got, want)
			}
		}
		if again, _ := loaded.MarshalBinary(); !bytes.Equal(again, b) {
			t.Errorf("%s: re-encoding differs", name)
		}
		if _, err := unmarshal(name, b[:len(b)-1]); err == nil {
			t.Errorf("%s: truncated payload accepted", name)
		}
	}
}

// FuzzUnmarshal checks that no payload makes a decoder panic or return a
// model that cannot predict. Run with:
// go test -fuzz=FuzzUnmarshal ./algorithms/cluster
func FuzzUnmarshal(f *testing.F) {
	for name, fit := range fitters {
		m, _ := fit(context.Background(), blobs, algorithms.Hyperparams{"n_clusters": 3.0})
		b, _ := m.MarshalBinary()
		f.Add(name == KMeansName, b[len(modelfile.Magic)+4+len(name)+1:])
	}
	f.Fuzz(func(t *testing.T, kmeans bool, payload []byte) {
		var m algorithms.Model
		var err error
		if kmeans {
			m, err = UnmarshalKMeans(payload)
		} else {
			m, err = UnmarshalMiniBatchKMeans(payload)
		}
		if err != nil {
			return
		}
		if err := algorithms.Predict(m, make([]float64, 1), make([]float64, m.NumFeatures())); err != nil {
			t.Fatal(err)
		}
	})
}

// Values whose squares overflow are refused by name (they made k-means++ pick no centre and
// index row -1); large values whose squares fit cluster as the same data scaled down.
func TestHugeValues(t *testing.T) {
	for name, fit := range fitters {
		huge := algorithms.Matrix{Rows: 6, Cols: 2, Data: slices.Clone(blobs.Data)}
		huge.Data[5] = 1e300
		_, err := fit(context.Background(), huge, algorithms.Hyperparams{"n_clusters": 2.0})
		if err == nil || !strings.Contains(err.Error(), "feature 2 of row 3 is 1e+300") || !strings.Contains(err.Error(), "squared distances overflow") {
			t.Errorf("%s on 1e300: error %v", name, err)
		}
		large := algorithms.Matrix{Rows: 6, Cols: 2, Data: slices.Clone(blobs.Data)}
		for i := range large.Data {
			large.Data[i] *= 1e100
		}
		m, err := fit(context.Background(), large, algorithms.Hyperparams{"n_clusters": 3.0})
		if err != nil {
			t.Fatalf("%s on 1e100: %v", name, err)
		}
		got := make([]float64, 6)
		m.Predict(got, large.Data)
		if got[0] != got[1] || got[2] != got[3] || got[4] != got[5] || got[0] == got[2] || got[2] == got[4] || got[0] == got[4] {
			t.Errorf("%s on blobs × 1e100: clusters %v", name, got)
		}
	}
}
