package algorithms

import (
	"context"
	"errors"
	"testing"
)

// sumModel predicts the sum of each row's features and counts its calls.
type sumModel struct {
	features int
	calls    int
}

func (m *sumModel) Algorithm() string              { return "sum" }
func (m *sumModel) Task() Task                     { return Regression }
func (m *sumModel) NumFeatures() int               { return m.features }
func (m *sumModel) NumOutputs() int                { return 1 }
func (m *sumModel) MarshalBinary() ([]byte, error) { return nil, nil }
func (m *sumModel) Predict(dst, x []float64) {
	m.calls++
	for i := range dst {
		for _, v := range x[i*m.features : (i+1)*m.features] {
			dst[i] += v
		}
	}
}

func TestPredictContextEqualsPredict(t *testing.T) {
	m := &sumModel{features: 3}
	x := make([]float64, 3*10000)
	for i := range x {
		x[i] = float64(i % 7)
	}
	got := make([]float64, 10000)
	if err := PredictContext(context.Background(), m, got, x); err != nil {
		t.Fatal(err)
	}
	want := make([]float64, 10000)
	(&sumModel{features: 3}).Predict(want, x)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: %v, want %v", i, got[i], want[i])
		}
	}
	if m.calls < 2 {
		t.Errorf("PredictContext called Predict %d times: rows were not chunked", m.calls)
	}
}

func TestPredictContextStopsWhenDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := &sumModel{features: 2}
	err := PredictContext(ctx, m, make([]float64, 5), make([]float64, 10))
	if !errors.Is(err, context.Canceled) || m.calls != 0 {
		t.Errorf("on a done context: err %v after %d calls", err, m.calls)
	}
}

func TestPredictContextChecksShapes(t *testing.T) {
	m := &sumModel{features: 2}
	if err := PredictContext(context.Background(), m, make([]float64, 4), make([]float64, 10)); err == nil {
		t.Error("a destination of the wrong length was accepted")
	}
}

// stoppingModel has its own PredictContext, as models whose single row can take long do.
type stoppingModel struct {
	sumModel
	ownCalls int
}

func (m *stoppingModel) PredictContext(ctx context.Context, dst, x []float64) error {
	m.ownCalls++
	if err := ctx.Err(); err != nil {
		return err
	}
	m.Predict(dst, x)
	return nil
}

func TestPredictContextUsesTheModelsOwn(t *testing.T) {
	m := &stoppingModel{sumModel: sumModel{features: 2}}
	dst := make([]float64, 2)
	if err := PredictContext(context.Background(), m, dst, []float64{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	if m.ownCalls != 1 || m.calls != 1 || dst[0] != 3 || dst[1] != 7 {
		t.Errorf("own PredictContext called %d times, Predict %d times, predictions %v", m.ownCalls, m.calls, dst)
	}
}
