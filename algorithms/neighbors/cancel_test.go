package neighbors

import (
	"context"
	"errors"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// countingContext becomes done once its Err has been consulted live times,
// and counts the consultations.
type countingContext struct {
	context.Context
	live, calls int
}

func (c *countingContext) Err() error {
	c.calls++
	if c.calls > c.live {
		return context.Canceled
	}
	return nil
}

// TestPredictContextStopsWithinARow: brute force over 3·CheckEvery values
// is one query that would consult the context three times; cancelled, it
// stops at the first consultation instead of finishing the row.
func TestPredictContextStopsWithinARow(t *testing.T) {
	const features = 4
	x, y := benchData(3*cancel.CheckEvery/features, features, 2)
	r, err := FitRegressor(context.Background(), x, y, algorithms.Hyperparams{"algorithm": "brute"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := FitClassifier(context.Background(), x, y, algorithms.Hyperparams{"algorithm": "brute"})
	if err != nil {
		t.Fatal(err)
	}
	row := x.Row(0)
	for name, predict := range map[string]func(ctx context.Context) error{
		"regressor":  func(ctx context.Context) error { return r.PredictContext(ctx, make([]float64, 1), row) },
		"classifier": func(ctx context.Context) error { return c.PredictContext(ctx, make([]float64, 1), row) },
		"proba":      func(ctx context.Context) error { return c.PredictProbaContext(ctx, make([]float64, 2), row) },
	} {
		ctx := &countingContext{Context: context.Background()}
		if err := predict(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", name, err)
		}
		if ctx.calls != 1 {
			t.Errorf("%s: consulted the context %d times, want 1", name, ctx.calls)
		}
		if err := predict(context.Background()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestPredictContextStopsABatch: a tree search is short, but a batch of
// them stops once the context is done.
func TestPredictContextStopsABatch(t *testing.T) {
	x, y := benchData(20000, 3, 0)
	m, err := FitRegressor(context.Background(), x, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := &countingContext{Context: context.Background(), live: 1}
	if err := m.PredictContext(ctx, make([]float64, x.Rows), x.Data); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if ctx.calls != 2 {
		t.Errorf("consulted the context %d times, want 2", ctx.calls)
	}
	if err := m.PredictContext(context.Background(), make([]float64, 3), x.Data[:8]); err == nil {
		t.Error("a malformed batch was accepted")
	}
}

// TestFitStopsDuringTheIndexBuild: the build of a tree over 5·CheckEvery
// values consults the context many times; a fit cancelled at the second
// consultation (the first is before the copy) stops there.
func TestFitStopsDuringTheIndexBuild(t *testing.T) {
	x, y := benchData(5*cancel.CheckEvery/4, 4, 0)
	for _, method := range []string{"kd_tree", "ball_tree"} {
		ctx := &countingContext{Context: context.Background(), live: 1}
		_, err := FitRegressor(ctx, x, y, algorithms.Hyperparams{"algorithm": method})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", method, err)
		}
		if ctx.calls != 2 {
			t.Errorf("%s: consulted the context %d times, want 2", method, ctx.calls)
		}
	}
}

// TestLoadStopsDuringTheIndexBuild: loading a model file rebuilds its tree,
// which stops at the first consultation of a done context.
func TestLoadStopsDuringTheIndexBuild(t *testing.T) {
	x, labels := benchData(5*cancel.CheckEvery/4, 4, 2)
	r, err := FitRegressor(context.Background(), x, labels, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := FitClassifier(context.Background(), x, labels, algorithms.Hyperparams{"algorithm": "ball_tree"})
	if err != nil {
		t.Fatal(err)
	}
	for name, load := range map[string]func(ctx context.Context) error{
		"regressor": func(ctx context.Context) error {
			_, err := UnmarshalRegressorContext(ctx, payloadOf(t, r))
			return err
		},
		"classifier": func(ctx context.Context) error {
			_, err := UnmarshalClassifierContext(ctx, payloadOf(t, c))
			return err
		},
	} {
		ctx := &countingContext{Context: context.Background()}
		if err := load(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", name, err)
		}
		if ctx.calls != 1 {
			t.Errorf("%s: consulted the context %d times, want 1", name, ctx.calls)
		}
	}
}

// A model keeps its training rows: encoding a large one consults the context as it goes, and
// a context done mid-way stops it with the context's error.
func TestMarshalStopsWhenDone(t *testing.T) {
	x, y := benchData(4*cancel.CheckEvery/8, 8, 2)
	for _, hp := range []algorithms.Hyperparams{{"algorithm": "brute"}, {"algorithm": "kd_tree"}} {
		r, err := FitRegressor(context.Background(), x, y, hp)
		if err != nil {
			t.Fatal(err)
		}
		c, err := FitClassifier(context.Background(), x, y, hp)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []algorithms.ContextMarshaler{r, c} {
			ctx := &countingContext{Context: context.Background(), live: 1}
			if _, err := m.MarshalBinaryContext(ctx); !errors.Is(err, context.Canceled) || ctx.calls < 2 {
				t.Errorf("%T %v: error %v after %d consultations, want context.Canceled after at least 2", m, hp, err, ctx.calls)
			}
		}
	}
}
