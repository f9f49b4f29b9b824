package forest

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/progress"
	"github.com/pgml-go/pgml/algorithms/safego"
)

// FitRegressor grows a regression forest of kind on x (one row per sample)
// and y (one column per target; several columns are fitted jointly). It
// returns a wrapped ctx.Err() once ctx is done.
func FitRegressor(ctx context.Context, kind Kind, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Regressor, error) {
	e, data, err := fit(ctx, kind, algorithms.Regression, x, y, hp)
	if err != nil {
		return nil, err
	}
	return &Regressor{ensemble: e, numOutputs: data.numOutputs}, nil
}

// FitClassifier grows a classification forest of kind on x and the labels in
// y's single column; the classes are the sorted distinct labels.
func FitClassifier(ctx context.Context, kind Kind, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Classifier, error) {
	e, data, err := fit(ctx, kind, algorithms.Classification, x, y, hp)
	if err != nil {
		return nil, err
	}
	return &Classifier{ensemble: e, classes: data.classes}, nil
}

func fit(ctx context.Context, kind Kind, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) (ensemble, *trainingSet, error) {
	if !kind.Valid() {
		return ensemble{}, nil, fmt.Errorf("forest: unknown kind %d", int(kind))
	}
	if err := ctx.Err(); err != nil {
		return ensemble{}, nil, fmt.Errorf("forest training stopped: %w", err)
	}
	set, err := parseSettings(kind, task, hp, x.Rows, x.Cols)
	if err != nil {
		return ensemble{}, nil, err
	}
	data, err := newTrainingSet(ctx, task, x, y)
	if err != nil {
		return ensemble{}, nil, err
	}
	trees, err := growTrees(ctx, data, &set)
	if err != nil {
		return ensemble{}, nil, err
	}
	return ensemble{kind: kind, numFeatures: x.Cols, width: data.width(), trees: trees, importance: meanImportance(trees, x.Cols)}, data, nil
}

// meanImportance is scikit-learn's forest feature_importances_: each tree's impurity
// decreases normalized to sum 1, averaged over the trees that split at all, normalized
// again. It releases the trees' own.
func meanImportance(trees []tree, features int) []float64 {
	mean := make([]float64, features)
	for t := range trees {
		total := 0.0
		for _, d := range trees[t].importance {
			total += d.decrease
		}
		if len(trees[t].nodes) > 1 && total > 0 {
			for _, d := range trees[t].importance {
				mean[d.feature] += d.decrease / total
			}
		}
		trees[t].importance = nil
	}
	total := 0.0
	for _, v := range mean {
		total += v
	}
	if total > 0 {
		for f := range mean {
			mean[f] /= total
		}
	}
	return mean
}

// FeatureImportance is the mean decrease of impurity of each feature, as scikit-learn's
// feature_importances_; ok is false for a loaded model, which does not keep it.
func (e *ensemble) FeatureImportance() (method string, importance []float64, ok bool) {
	if e.importance == nil {
		return "", nil, false
	}
	return "impurity", append([]float64(nil), e.importance...), true
}

// growTrees grows set.numTrees trees on set.workers goroutines. Workers take
// the next tree index from a shared counter; tree t lands in slot t whoever
// grows it.
func growTrees(ctx context.Context, data *trainingSet, set *settings) ([]tree, error) {
	trees := make([]tree, set.numTrees)
	// The first failure (or panic) cancels ctx, which stops the other workers early.
	group, ctx := safego.WithContext(ctx)
	var next atomic.Int64
	progress.Start(ctx, "trees", set.numTrees)
	for range min(set.workers, set.numTrees) {
		group.Go(func() error {
			g := newGrower(data, set, cancel.New(ctx))
			for {
				t := int(next.Add(1) - 1)
				if t >= set.numTrees {
					return nil
				}
				if err := g.check.Err(); err != nil {
					return fmt.Errorf("forest training stopped: %w", err)
				}
				g.rng = treeRNG(set.seed, t)
				g.drawSamples(data.rows)
				grown, err := g.grow()
				if err != nil {
					return fmt.Errorf("forest training stopped: %w", err)
				}
				trees[t] = grown
				progress.Advance(ctx, 1)
			}
		})
	}
	if err := group.Wait(); err != nil {
		return nil, err
	}
	nodes := 0
	for _, t := range trees {
		nodes += len(t.nodes)
	}
	if nodes > math.MaxInt32 {
		return nil, fmt.Errorf("forest: %d nodes exceed the format's limit of %d; use fewer or shallower trees", nodes, math.MaxInt32)
	}
	return trees, nil
}
