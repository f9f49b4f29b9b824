package penalized

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// FitSGDClassifier fits sklearn's SGDClassifier (hinge loss, L2 penalty,
// "optimal" step size by default): one binary problem scoring the larger
// class when there are two classes, otherwise one-vs-all per class, each on
// its own shuffling stream of the seed.
func FitSGDClassifier(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Classifier, error) {
	params, err := parseSGD(hp, algorithms.Classification)
	if err != nil {
		return nil, err
	}
	classes, target, err := algorithms.CheckClassification(x, y)
	if err != nil {
		return nil, err
	}
	m := newClassifier(StochasticGradientDescentName, x.Cols, classes)
	for v := 0; v < m.NumVectors(); v++ {
		w, b, err := plainSGD(ctx, x, oneVsAllSigns(target, len(classes), v), params, uint64(v))
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("%s: training cancelled: %w", StochasticGradientDescentName, ctxErr)
			}
			return nil, fmt.Errorf("%s: %w", StochasticGradientDescentName, err)
		}
		copy(m.Coef(v), w)
		m.intercept[v] = b
	}
	return m, nil
}
