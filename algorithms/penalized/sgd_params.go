package penalized

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// SGDHyperparams are the names accepted by FitSGDRegressor and
// FitSGDClassifier, as in sklearn's SGDRegressor and SGDClassifier.
// early_stopping, average, class_weight and warm_start are not supported.
var SGDHyperparams = []string{"loss", "penalty", "alpha", "l1_ratio", "fit_intercept", "max_iter", "tol",
	"shuffle", "epsilon", "random_state", "learning_rate", "eta0", "power_t", "n_iter_no_change"}

// Penalty kinds, as sklearn's penalty_type.
const (
	noPenalty = iota
	l1Penalty
	l2Penalty
	elasticNetPenalty
)

type sgdParams struct {
	loss          sgdLoss
	penalty       int
	alpha         float64
	l1Ratio       float64
	fitIntercept  bool
	maxIter       int
	tol           float64 // -Inf disables the no-improvement rule
	shuffle       bool
	seed          uint64
	learningRate  string
	eta0          float64
	powerT        float64
	nIterNoChange int
}

// parseSGD reads the hyperparameters with the defaults of the sklearn
// estimator for task; the two differ in loss, learning rate, eta0 and power_t.
func parseSGD(hp algorithms.Hyperparams, task algorithms.Task) (params sgdParams, err error) {
	if err := hp.CheckKeys(SGDHyperparams...); err != nil {
		return params, err
	}
	lossName, rate, eta0, powerT, losses := "squared_error", "invscaling", 0.01, 0.25, regressionLosses
	if task == algorithms.Classification {
		lossName, rate, eta0, powerT, losses = "hinge", "optimal", 0, 0.5, classificationLosses
	}
	if lossName, err = choice(hp, "loss", lossName, losses...); err != nil {
		return params, err
	}
	epsilon, err := nonNegativeFloat(hp, "epsilon", 0.1)
	if err != nil {
		return params, err
	}
	params.loss = newSGDLoss(lossName, epsilon)

	penalty := "l2"
	if v, ok := hp["penalty"]; ok && v == nil {
		penalty = "none"
	} else if penalty, err = choice(hp, "penalty", "l2", "l2", "l1", "elasticnet"); err != nil {
		return params, fmt.Errorf("%w (or null)", err)
	}
	if params.l1Ratio, err = fraction(hp, "l1_ratio", 0.15); err != nil {
		return params, err
	}
	switch penalty {
	case "none":
		params.penalty = noPenalty
	case "l1":
		params.penalty, params.l1Ratio = l1Penalty, 1
	case "l2":
		params.penalty, params.l1Ratio = l2Penalty, 0
	default:
		params.penalty = elasticNetPenalty
	}

	if params.alpha, err = nonNegativeFloat(hp, "alpha", 1e-4); err != nil {
		return params, err
	}
	if params.fitIntercept, err = hp.Bool("fit_intercept", true); err != nil {
		return params, err
	}
	if params.maxIter, err = hp.IntInRange("max_iter", 1000, 1, algorithms.MaxIterations); err != nil {
		return params, err
	}
	if params.tol, err = optionalTol(hp, 1e-3); err != nil {
		return params, err
	}
	if params.shuffle, err = hp.Bool("shuffle", true); err != nil {
		return params, err
	}
	if params.seed, err = randomState(hp); err != nil {
		return params, err
	}
	if params.learningRate, err = choice(hp, "learning_rate", rate, "constant", "optimal", "invscaling", "adaptive"); err != nil {
		return params, err
	}
	if params.eta0, err = nonNegativeFloat(hp, "eta0", eta0); err != nil {
		return params, err
	}
	if params.learningRate != "optimal" && params.eta0 == 0 {
		return params, fmt.Errorf("hyperparameter \"eta0\" must be > 0 with learning_rate %q", params.learningRate)
	}
	if params.learningRate == "optimal" && params.alpha == 0 {
		return params, fmt.Errorf("hyperparameter \"alpha\" must be > 0 with learning_rate \"optimal\": the step size is 1/(alpha·t)")
	}
	if params.powerT, err = nonNegativeFloat(hp, "power_t", powerT); err != nil {
		return params, err
	}
	if params.nIterNoChange, err = hp.IntInRange("n_iter_no_change", 5, 1, algorithms.MaxIterations); err != nil {
		return params, err
	}
	if math.IsNaN(params.tol) {
		return params, fmt.Errorf("hyperparameter \"tol\" must be a number")
	}
	return params, nil
}
