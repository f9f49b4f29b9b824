package boosting

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// histConfig reads scikit-learn's HistGradientBoostingRegressor/Classifier
// parameters. Early stopping is not implemented: "auto" (the default, which
// sklearn only enables above 10,000 rows) and false train all max_iter
// iterations, and true is rejected rather than silently ignored.
func histConfig(hp algorithms.Hyperparams, task algorithms.Task) (config, error) {
	if err := hp.CheckKeys("loss", "learning_rate", "max_iter", "max_leaf_nodes", "max_depth",
		"min_samples_leaf", "l2_regularization", "max_bins", "early_stopping", "random_state", "verbose"); err != nil {
		return config{}, err
	}
	c := defaultConfig()
	losses := []string{"squared_error"}
	if task == algorithms.Classification {
		losses = []string{"log_loss", "auto"}
	}
	var err error
	if _, err = stringParam(hp, losses[0], losses, "loss"); err != nil {
		return c, err
	}
	if c.learningRate, err = floatParam(hp, c.learningRate, 0, math.Inf(1), true, "learning_rate"); err != nil {
		return c, err
	}
	if c.iterations, err = intParam(hp, c.iterations, 1, algorithms.MaxEstimators, "max_iter"); err != nil {
		return c, err
	}
	if c.maxLeaves, err = nullableIntParam(hp, c.maxLeaves, 2, algorithms.MaxLeaves, "max_leaf_nodes"); err != nil {
		return c, err
	}
	if c.maxDepth, err = nullableIntParam(hp, 0, 1, algorithms.MaxDepth, "max_depth"); err != nil {
		return c, err
	}
	if c.minSamplesLeaf, err = intParam(hp, c.minSamplesLeaf, 1, math.MaxInt32, "min_samples_leaf"); err != nil {
		return c, err
	}
	if c.l2, err = floatParam(hp, 0, 0, math.Inf(1), false, "l2_regularization"); err != nil {
		return c, err
	}
	if c.maxBins, err = intParam(hp, c.maxBins, 2, 255, "max_bins"); err != nil {
		return c, err
	}
	if es, ok := hp["early_stopping"]; ok && es != "auto" && es != false {
		return c, fmt.Errorf("hyperparameter \"early_stopping\" must be \"auto\" or false: native training does not stop early, got %s", algorithms.Describe(es))
	}
	if c.seed, err = seedParam(hp, "random_state"); err != nil {
		return c, err
	}
	return c, ignoredParam(hp, "verbose")
}
