package penalized

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// EstimateFit bounds the bytes that fitting algorithm name for task on n
// rows and p features allocates beyond x and y; k is the number of outputs
// (regression) or classes (classification). It checks the hyperparameters
// as the fit would.
//
//	ridge          R of p+k columns and the p×p SVD (no copy of x); the
//	               classifier adds its ±1 targets, n×vectors
//	lasso, elastic the centred column-major copy of x (n·p) and 3 vectors of n
//	SGD            the row order and one target column (2n), per vector
//	linear SVM     the dual variables, diagonal and order (3n) and a target
//	               column, per vector
//
// plus, for classifiers, the sorted copy of the labels and their class
// indices (2n), and the model (vectors × (p+3)). What is allocated afresh
// for each vector or output counts once per vector: a solver allocates
// nothing while it runs, so the collector may not free one vector's
// scratch before the last vector is solved.
func EstimateFit(name string, task algorithms.Task, n, p, k int, hp algorithms.Hyperparams) (int64, error) {
	est, err := estimateFit(name, task, n, p, k, hp)
	// A tenth more, and 64 KiB, for what the formulas leave out (solver
	// state, random sources) and for the collector's timing.
	return est + est/10 + 64<<10, err
}

func estimateFit(name string, task algorithms.Task, n, p, k int, hp algorithms.Hyperparams) (int64, error) {
	n64 := int64(n)
	labels := int64(0)
	vectors := k
	if task == algorithms.Classification {
		labels = 16 * n64
		vectors = numVectors(k)
	}
	model := modelBytes(p, vectors)
	switch name {
	case RidgeName:
		if _, err := parseRidge(hp); err != nil {
			return 0, err
		}
		targets := int64(0)
		if task == algorithms.Classification {
			targets = 2 * 8 * n64 * int64(vectors)
		}
		return labels + targets + estimateRidge(p, vectors) + model + 64<<10, nil
	case LassoName, ElasticNetName:
		keys := ElasticNetHyperparams
		if name == LassoName {
			keys = LassoHyperparams
		}
		if err := hp.CheckKeys(keys...); err != nil {
			return 0, err
		}
		if _, err := fraction(hp, "l1_ratio", 0.5); err != nil {
			return 0, err
		}
		if _, err := parseElasticNet(hp); err != nil {
			return 0, err
		}
		return estimateElasticNet(n, p, k), nil
	case StochasticGradientDescentName:
		if _, err := parseSGD(hp, task); err != nil {
			return 0, err
		}
		return labels + int64(vectors)*(16*n64+8*int64(2*p+2)) + model + 4096, nil
	case LinearSVMName:
		keys, loss, losses := LinearSVRHyperparams, "epsilon_insensitive", []string{"epsilon_insensitive", "squared_epsilon_insensitive"}
		if task == algorithms.Classification {
			keys, loss, losses = LinearSVCHyperparams, "squared_hinge", []string{"squared_hinge", "hinge"}
		}
		if err := hp.CheckKeys(keys...); err != nil {
			return 0, err
		}
		if _, err := parseDual(hp, loss, losses...); err != nil {
			return 0, err
		}
		return labels + int64(vectors)*(32*n64+8*int64(p+2)) + model + 4096, nil
	}
	return 0, fmt.Errorf("penalized: unknown algorithm %q", name)
}
