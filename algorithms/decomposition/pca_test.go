package decomposition

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// line is four points on the line y = 2x plus a little noise.
var line = algorithms.Matrix{Rows: 4, Cols: 2, Data: []float64{0, 0.1, 1, 1.9, 2, 4.1, 3, 5.9}}

func TestPCA(t *testing.T) {
	m, err := FitPCA(context.Background(), line, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.NumComponents() != 2 || m.NumOutputs() != 2 || m.NumFeatures() != 2 {
		t.Fatalf("components %d, outputs %d, features %d", m.NumComponents(), m.NumOutputs(), m.NumFeatures())
	}
	r := m.ExplainedVarianceRatio()
	if math.Abs(r[0]+r[1]-1) > 1e-12 || r[0] < 0.99 {
		t.Errorf("variance ratios %v", r)
	}
	axis := m.Components().Row(0)
	if math.Abs(math.Abs(axis[1]/axis[0])-2) > 0.05 {
		t.Errorf("first axis %v is not along y = 2x", axis)
	}
	// Whitened projections of the training rows have unit variance.
	w, _ := FitPCA(context.Background(), line, algorithms.Hyperparams{"whiten": true, "n_components": 1.0})
	out := make([]float64, line.Rows)
	w.Transform(out, line.Data)
	ss := 0.0
	for _, v := range out {
		ss += v * v
	}
	if math.Abs(ss/float64(line.Rows-1)-1) > 1e-12 {
		t.Errorf("whitened variance %v", ss/float64(line.Rows-1))
	}
	if f, _ := FitPCA(context.Background(), line, algorithms.Hyperparams{"n_components": 0.5}); f.NumComponents() != 1 {
		t.Errorf("n_components 0.5 kept %d components", f.NumComponents())
	}
}

func TestConstantRows(t *testing.T) {
	x := algorithms.Matrix{Rows: 3, Cols: 2, Data: []float64{1, 2, 1, 2, 1, 2}}
	m, err := FitPCA(context.Background(), x, algorithms.Hyperparams{"whiten": true})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, 3*m.NumComponents())
	m.Transform(out, x.Data)
	for _, v := range append(out, m.ExplainedVarianceRatio()...) {
		if v != 0 {
			t.Errorf("constant rows give %v and ratios %v, want zeros", out, m.ExplainedVarianceRatio())
			break
		}
	}
}

func TestHyperparameterErrors(t *testing.T) {
	cases := []struct {
		hp   algorithms.Hyperparams
		want string
	}{
		{algorithms.Hyperparams{"n_components": 3.0}, "at most"},
		{algorithms.Hyperparams{"n_components": "mle"}, "mle"},
		{algorithms.Hyperparams{"n_components": 1.5}, "n_components"},
		{algorithms.Hyperparams{"n_components": 0.0}, "n_components"},
		{algorithms.Hyperparams{"whiten": 1.0}, "whiten"},
		{algorithms.Hyperparams{"svd_solver": "lobpcg"}, "svd_solver"},
		{algorithms.Hyperparams{"random_state": -1.0}, "random_state"},
		{algorithms.Hyperparams{"alpha": 1.0}, "unknown hyperparameter"},
	}
	for _, c := range cases {
		_, err := FitPCA(context.Background(), line, c.hp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one mentioning %q", c.hp, err, c.want)
		}
	}
	one := algorithms.Matrix{Rows: 1, Cols: 2, Data: []float64{1, 2}}
	if _, err := FitPCA(context.Background(), one, nil); err == nil {
		t.Error("a single row was accepted")
	}
	ok := algorithms.Hyperparams{"n_components": nil, "svd_solver": "randomized", "random_state": 42.0, "copy": true}
	if _, err := FitPCA(context.Background(), line, ok); err != nil {
		t.Error(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitPCA(ctx, line, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fit: %v", err)
	}
}

// payloadOf checks and strips the modelfile header.
func payloadOf(file []byte) []byte {
	header, payload, err := modelfile.ReadHeader(file)
	if err != nil || header.Algorithm != PCAName || header.Task != algorithms.Decomposition {
		return nil
	}
	return payload
}

func TestRoundTrip(t *testing.T) {
	for _, whiten := range []bool{false, true} {
		m, _ := FitPCA(context.Background(), line, algorithms.Hyperparams{"whiten": whiten})
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(PCAName)) || m.Algorithm() != PCAName || m.Task() != algorithms.Decomposition {
			t.Errorf("header %q, Algorithm %q, Task %v", b[:20], m.Algorithm(), m.Task())
		}
		loaded, err := UnmarshalPCA(payloadOf(b))
		if err != nil {
			t.Fatal(err)
		}
		want, got := make([]float64, 8), make([]float64, 8)
		m.Predict(want, line.Data)
		loaded.Predict(got, line.Data)
		for i := range want {
			if want[i] != got[i] {
				t.Fatalf("whiten %v: loaded model gives %v, original %v", whiten, got, want)
			}
		}
		if again, _ := loaded.MarshalBinary(); !bytes.Equal(again, b) {
			t.Error("re-encoding differs")
		}
		if _, err := UnmarshalPCA(payloadOf(b)[:len(payloadOf(b))-1]); err == nil {
			t.Error("truncated payload accepted")
		}
	}
}

// FuzzUnmarshal checks that no payload makes the decoder panic or return a
// model that cannot transform. Run with:
// go test -fuzz=FuzzUnmarshal ./algorithms/decomposition
func FuzzUnmarshal(f *testing.F) {
	for _, whiten := range []bool{false, true} {
		m, _ := FitPCA(context.Background(), line, algorithms.Hyperparams{"whiten": whiten})
		b, _ := m.MarshalBinary()
		f.Add(payloadOf(b))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		m, err := UnmarshalPCA(payload)
		if err != nil {
			return
		}
		if err := algorithms.Predict(m, make([]float64, m.NumOutputs()), make([]float64, m.NumFeatures())); err != nil {
			t.Fatal(err)
		}
	})
}
