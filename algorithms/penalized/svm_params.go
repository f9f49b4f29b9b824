package penalized

import (
	"github.com/pgml-go/pgml/algorithms"
)

// LinearSVCHyperparams and LinearSVRHyperparams are the names accepted by
// FitLinearSVC and FitLinearSVR, as in sklearn's LinearSVC and LinearSVR.
// Only the dual solvers are implemented, so sklearn's penalty (l2 only)
// and dual (true only) are not accepted.
var (
	LinearSVCHyperparams = []string{"C", "loss", "tol", "max_iter", "fit_intercept", "intercept_scaling", "random_state"}
	LinearSVRHyperparams = []string{"C", "epsilon", "loss", "tol", "max_iter", "fit_intercept", "intercept_scaling", "random_state"}
)

// dualParams configures liblinear's dual coordinate descent.
type dualParams struct {
	c       float64
	tol     float64
	maxIter int
	// bias is the value of the extra constant feature whose weight, times
	// bias, is the intercept; 0 fits no intercept. Like liblinear, the
	// intercept is thereby penalised, less so the larger bias is.
	bias float64
	seed uint64
	// squaredLoss selects the L2 (squared hinge / squared epsilon
	// insensitive) loss rather than the L1 one.
	squaredLoss bool
	epsilon     float64
}

func parseDual(hp algorithms.Hyperparams, defaultLoss string, losses ...string) (params dualParams, err error) {
	if params.c, err = hp.PositiveFloat("C", 1); err != nil {
		return params, err
	}
	loss, err := choice(hp, "loss", defaultLoss, losses...)
	if err != nil {
		return params, err
	}
	params.squaredLoss = loss == "squared_hinge" || loss == "squared_epsilon_insensitive"
	if params.tol, err = hp.PositiveFloat("tol", 1e-4); err != nil {
		return params, err
	}
	if params.maxIter, err = hp.IntInRange("max_iter", 1000, 1, algorithms.MaxIterations); err != nil {
		return params, err
	}
	fitIntercept, err := hp.Bool("fit_intercept", true)
	if err != nil {
		return params, err
	}
	scaling, err := hp.PositiveFloat("intercept_scaling", 1)
	if err != nil {
		return params, err
	}
	if fitIntercept {
		params.bias = scaling
	}
	if params.seed, err = randomState(hp); err != nil {
		return params, err
	}
	params.epsilon, err = nonNegativeFloat(hp, "epsilon", 0)
	return params, err
}

// augmentedDot is w·(x, bias) for w of len(x)+1 weights.
func augmentedDot(w, x []float64, bias float64) float64 {
	return dot(w[:len(x)], x) + w[len(x)]*bias
}

// augmentedAxpy sets w += a·(x, bias).
func augmentedAxpy(a float64, x []float64, bias float64, w []float64) {
	axpy(a, x, w[:len(x)])
	w[len(x)] += a * bias
}

// splitAugmented writes the feature weights and the intercept of an
// augmented weight vector.
func splitAugmented(w []float64, bias float64, coef []float64) (intercept float64) {
	copy(coef, w[:len(coef)])
	return w[len(coef)] * bias
}
