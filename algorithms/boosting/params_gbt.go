package boosting

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// gbtConfig reads scikit-learn's GradientBoostingRegressor/Classifier
// parameters. Options that would need another engine (other losses, an init
// estimator, early stopping, pruning, sample weights) are accepted only at
// their defaults so that a grid over them fails loudly instead of training
// something else.
func gbtConfig(hp algorithms.Hyperparams, task algorithms.Task) (config, error) {
	if err := hp.CheckKeys("loss", "learning_rate", "n_estimators", "subsample", "criterion",
		"min_samples_split", "min_samples_leaf", "min_weight_fraction_leaf", "max_depth",
		"min_impurity_decrease", "init", "random_state", "max_features", "verbose", "max_leaf_nodes",
		"warm_start", "validation_fraction", "n_iter_no_change", "tol", "ccp_alpha"); err != nil {
		return config{}, err
	}
	c := defaultConfig()
	c.gradientSplits = true
	c.maxLeaves = 0
	c.maxDepth = 3
	c.minSamplesLeaf = 1
	c.minHessian = 0

	losses := []string{"squared_error"}
	if task == algorithms.Classification {
		losses = []string{"log_loss", "deviance"}
	}
	var err error
	if _, err = stringParam(hp, losses[0], losses, "loss"); err != nil {
		return c, err
	}
	// Both criteria rank splits identically: Friedman's improvement
	// nL·nR/n·(meanL−meanR)² equals the reduction in squared error.
	if _, err = stringParam(hp, "friedman_mse", []string{"friedman_mse", "squared_error"}, "criterion"); err != nil {
		return c, err
	}
	if c.learningRate, err = floatParam(hp, c.learningRate, 0, math.Inf(1), false, "learning_rate"); err != nil {
		return c, err
	}
	if c.iterations, err = intParam(hp, c.iterations, 1, algorithms.MaxEstimators, "n_estimators"); err != nil {
		return c, err
	}
	if c.rowFraction, err = floatParam(hp, 1, 0, 1, true, "subsample"); err != nil {
		return c, err
	}
	c.rowSampleEvery = 1
	if c.minSamplesSplit, c.minSamplesSplitFraction, err = countOrFraction(hp, "min_samples_split", 2, 2); err != nil {
		return c, err
	}
	if c.minSamplesLeaf, c.minSamplesLeafFraction, err = countOrFraction(hp, "min_samples_leaf", 1, 1); err != nil {
		return c, err
	}
	if c.maxDepth, err = nullableIntParam(hp, c.maxDepth, 1, algorithms.MaxDepth, "max_depth"); err != nil {
		return c, err
	}
	if c.maxLeaves, err = nullableIntParam(hp, 0, 2, algorithms.MaxLeaves, "max_leaf_nodes"); err != nil {
		return c, err
	}
	if c.minImpurityDecrease, err = floatParam(hp, 0, 0, math.Inf(1), false, "min_impurity_decrease"); err != nil {
		return c, err
	}
	if c.nodeFeatures, err = maxFeaturesParam(hp); err != nil {
		return c, err
	}
	if c.seed, err = seedParam(hp, "random_state"); err != nil {
		return c, err
	}
	if _, err = floatParam(hp, 0.1, 0, 1, true, "validation_fraction"); err != nil {
		return c, err
	}
	if _, err = floatParam(hp, 1e-4, 0, math.Inf(1), false, "tol"); err != nil {
		return c, err
	}
	for key, def := range map[string]any{"min_weight_fraction_leaf": 0.0, "ccp_alpha": 0.0, "init": nil, "warm_start": false, "n_iter_no_change": nil} {
		if v, ok := hp[key]; ok && v != def {
			return c, fmt.Errorf("hyperparameter %q is only supported natively at its default %s, got %s", key, algorithms.Describe(def), algorithms.Describe(v))
		}
	}
	return c, ignoredParam(hp, "verbose")
}

// countOrFraction reads sklearn's min_samples_* forms: an integer >= min, or
// a float in (0, 1) meaning a fraction of the training rows.
func countOrFraction(hp algorithms.Hyperparams, key string, def, min int) (int, float64, error) {
	v, ok := hp[key]
	if !ok {
		return def, 0, nil
	}
	if f, isNum := algorithms.Number(v); isNum && f > 0 && f < 1 {
		return def, f, nil
	}
	n, err := toInt(key, v, min, math.MaxInt32)
	if err != nil {
		return 0, 0, fmt.Errorf("%w, or a fraction in (0, 1)", err)
	}
	return n, 0, nil
}

// maxFeaturesParam reads sklearn's max_features: how many features each split
// may try, drawn afresh at every node.
func maxFeaturesParam(hp algorithms.Hyperparams) (func(p int) int, error) {
	v, ok := hp["max_features"]
	if !ok || v == nil {
		return nil, nil
	}
	atLeastOne := func(n int) int { return max(1, n) }
	switch v {
	case "sqrt":
		return func(p int) int { return atLeastOne(int(math.Sqrt(float64(p)))) }, nil
	case "log2":
		return func(p int) int { return atLeastOne(int(math.Log2(float64(p)))) }, nil
	}
	if f, isNum := algorithms.Number(v); isNum {
		switch {
		case f > 0 && f < 1:
			return func(p int) int { return atLeastOne(int(f * float64(p))) }, nil
		case f >= 1 && f == math.Trunc(f) && f <= math.MaxInt32:
			n := int(f)
			return func(p int) int { return min(n, p) }, nil
		}
	}
	return nil, fmt.Errorf("hyperparameter \"max_features\" must be null, \"sqrt\", \"log2\", a positive integer or a fraction in (0, 1), got %s", algorithms.Describe(v))
}
