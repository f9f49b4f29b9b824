package boosting

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// Registry names of the three parameterisations of the engine.
const (
	HistGradientBoosting  = "hist_gradient_boosting"
	LightGBM              = "lightgbm"
	GradientBoostingTrees = "gradient_boosting_trees"
)

// Algorithms lists the registry names this package implements.
var Algorithms = []string{GradientBoostingTrees, HistGradientBoosting, LightGBM}

// maxFeatures bounds the columns of a model. Trees need not use every
// column, so a file's size does not bound its feature count; the cap keeps a
// corrupt count from making callers allocate gigabytes per row. A histogram
// over this many features would already take gigabytes per node.
const maxFeatures = 1 << 20

// config is the engine's view of the hyperparameters, whatever names the
// user spelled them with.
type config struct {
	iterations   int
	learningRate float64
	// maxLeaves bounds the leaves per tree; 0 means no bound.
	maxLeaves int
	// maxDepth bounds the depth (edges from the root); 0 means no bound.
	maxDepth        int
	minSamplesLeaf  int
	minSamplesSplit int
	// minHessian is the smallest hessian sum a child may have.
	minHessian float64
	// minGain is the gain a split must exceed.
	minGain float64
	l1, l2  float64
	maxBins int

	// rowFraction < 1 trains each tree on that share of the rows, drawn
	// without replacement every rowSampleEvery iterations.
	rowFraction    float64
	rowSampleEvery int
	// treeFeatureFraction < 1 lets each tree see only that share of the
	// features (LightGBM's feature_fraction).
	treeFeatureFraction float64
	// nodeFeatures returns how many features each node may try for p
	// features (sklearn's max_features); nil means all of them.
	nodeFeatures func(p int) int

	// gradientSplits chooses splits as sklearn's GradientBoosting does: by
	// squared error on the gradients, i.e. with unit hessians, while leaf
	// values still take a Newton step with the true hessians.
	gradientSplits bool

	// objective and numClass are LightGBM's, checked against the labels.
	objective string
	numClass  int

	// minSamplesLeafFraction and minSamplesSplitFraction, when positive,
	// are sklearn's fractional forms, resolved against the training rows.
	minSamplesLeafFraction  float64
	minSamplesSplitFraction float64
	// minImpurityDecrease is sklearn's per-sample form of minGain.
	minImpurityDecrease float64

	seed    uint64
	workers int
}

// defaultConfig holds the settings shared by sklearn's HistGradientBoosting
// and LightGBM; the parameter readers override what differs.
func defaultConfig() config {
	return config{
		iterations:          100,
		learningRate:        0.1,
		maxLeaves:           31,
		minSamplesLeaf:      20,
		minSamplesSplit:     2,
		minHessian:          1e-3,
		maxBins:             255,
		rowFraction:         1,
		treeFeatureFraction: 1,
		workers:             algorithms.Workers(0),
	}
}

// workerCount bounds a requested n_jobs by GOMAXPROCS (pgml.training_threads);
// zero or negative values mean all of them, as in LightGBM.
func workerCount(nJobs int) int {
	if nJobs <= 0 {
		return algorithms.Workers(0)
	}
	return algorithms.Workers(nJobs)
}

func (c config) validate() error {
	switch {
	case c.iterations < 1:
		return fmt.Errorf("the number of boosting iterations must be positive, got %d", c.iterations)
	case !(c.learningRate > 0):
		return fmt.Errorf("learning_rate must be positive, got %v", c.learningRate)
	case c.maxBins < 2 || c.maxBins > 255:
		return fmt.Errorf("max_bins must be between 2 and 255, got %d", c.maxBins)
	case !(c.rowFraction > 0 && c.rowFraction <= 1):
		return fmt.Errorf("subsample must be in (0, 1], got %v", c.rowFraction)
	case !(c.treeFeatureFraction > 0 && c.treeFeatureFraction <= 1):
		return fmt.Errorf("colsample_bytree must be in (0, 1], got %v", c.treeFeatureFraction)
	}
	return nil
}
