package lifecycle

import (
	"context"
	"time"

	"github.com/pgml-go/pgml/algorithms"
)

// fitted is one trained model with the hyperparameters it used and its test metrics; the
// final fit keeps its predictions of the test rows for its analysis (analysis.go).
type fitted struct {
	model     algorithms.Model
	used      algorithms.Hyperparams
	metrics   map[string]float64
	predicted []float64
}

// fitAndScore trains one model within budget and scores it on the held-out rows; final is the
// fit of the model to store: it announces the fitting and scoring phases (a search's own fits
// are all inside its searching phase), and only it asks for a native form.
func (sess *Session) fitAndScore(ctx context.Context, rt Runtime, algorithm string, task algorithms.Task, train, test dataSplit, hp algorithms.Hyperparams, budget MemoryBudget, final bool) (*fitted, error) {
	if final {
		if err := sess.enter(phaseFitting); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	model, used, err := sess.trainReporting(ctx, rt, &Fit{Algorithm: algorithm, Task: task, X: train.x, Y: train.y, Held: test.x, Hyperparams: hp,
		Budget: budget, Final: final, Notice: sess.notice})
	if err != nil {
		return nil, interrupted(ctx, err)
	}
	fitTime := time.Since(start).Seconds()
	if final {
		if err := sess.enter(phaseScoring); err != nil {
			closeModel(model)
			return nil, err
		}
	}
	start = time.Now()
	metrics, predicted, err := score(ctx, model, task, test.x, test.y)
	if err != nil {
		closeModel(model)
		return nil, interrupted(ctx, err)
	}
	metrics["fit_time"] = fitTime
	metrics["score_time"] = time.Since(start).Seconds()
	f := &fitted{model: model, used: used, metrics: metrics}
	if final {
		f.predicted = predicted
	}
	return f, nil
}
