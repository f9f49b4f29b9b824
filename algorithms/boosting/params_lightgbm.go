package boosting

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// LightGBM accepts several names for most parameters; these are its
// scikit-learn names followed by the native aliases PostgresML users pass.
var (
	lgbmIterations      = []string{"n_estimators", "num_iterations", "num_iteration", "n_iter", "num_tree", "num_trees", "num_round", "num_rounds", "num_boost_round"}
	lgbmLearningRate    = []string{"learning_rate", "shrinkage_rate", "eta"}
	lgbmNumLeaves       = []string{"num_leaves", "num_leaf", "max_leaves", "max_leaf"}
	lgbmMaxDepth        = []string{"max_depth"}
	lgbmMinChildSamples = []string{"min_child_samples", "min_data_in_leaf", "min_data_per_leaf", "min_data"}
	lgbmMinChildWeight  = []string{"min_child_weight", "min_sum_hessian_in_leaf", "min_sum_hessian_per_leaf", "min_sum_hessian", "min_hessian"}
	lgbmMinSplitGain    = []string{"min_split_gain", "min_gain_to_split"}
	lgbmSubsample       = []string{"subsample", "bagging_fraction", "sub_row", "bagging"}
	lgbmSubsampleFreq   = []string{"subsample_freq", "bagging_freq"}
	lgbmColsample       = []string{"colsample_bytree", "feature_fraction", "sub_feature"}
	lgbmRegAlpha        = []string{"reg_alpha", "lambda_l1", "l1_regularization"}
	lgbmRegLambda       = []string{"reg_lambda", "lambda_l2", "l2_regularization"}
	lgbmMaxBin          = []string{"max_bin"}
	lgbmRandomState     = []string{"random_state", "seed", "random_seed"}
	lgbmJobs            = []string{"n_jobs", "num_threads", "nthread", "num_thread"}
	lgbmObjective       = []string{"objective", "objective_type", "app", "application"}
	lgbmNumClass        = []string{"num_class", "num_classes"}
	lgbmBoostingType    = []string{"boosting_type", "boosting", "boost"}
	lgbmVerbose         = []string{"verbose", "verbosity"}
)

// Objectives LightGBM accepts for each task; "binary" additionally needs
// exactly two classes, which fit checks.
var (
	lgbmRegressionObjectives     = []string{"regression", "regression_l2", "l2", "mean_squared_error", "mse", "l2_root", "root_mean_squared_error", "rmse"}
	lgbmClassificationObjectives = []string{"binary", "multiclass", "softmax"}
)

// lightgbmConfig reads LightGBM's parameters. As in LightGBM, bagging
// (subsample < 1) only happens when subsample_freq > 0.
func lightgbmConfig(hp algorithms.Hyperparams, task algorithms.Task) (config, error) {
	groups := [][]string{lgbmIterations, lgbmLearningRate, lgbmNumLeaves, lgbmMaxDepth, lgbmMinChildSamples,
		lgbmMinChildWeight, lgbmMinSplitGain, lgbmSubsample, lgbmSubsampleFreq, lgbmColsample, lgbmRegAlpha,
		lgbmRegLambda, lgbmMaxBin, lgbmRandomState, lgbmJobs, lgbmObjective, lgbmNumClass, lgbmBoostingType, lgbmVerbose}
	var allowed []string
	for _, g := range groups {
		allowed = append(allowed, g...)
	}
	if err := hp.CheckKeys(allowed...); err != nil {
		return config{}, err
	}
	c := defaultConfig()
	var err error
	objectives := lgbmRegressionObjectives
	if task == algorithms.Classification {
		objectives = lgbmClassificationObjectives
	}
	if c.objective, err = stringParam(hp, "", objectives, lgbmObjective...); err != nil {
		return c, fmt.Errorf("%w (the %v objectives)", err, task)
	}
	if c.numClass, err = intParam(hp, 0, 1, math.MaxInt32, lgbmNumClass...); err != nil {
		return c, err
	}
	if _, err = stringParam(hp, "gbdt", []string{"gbdt", "gbrt"}, lgbmBoostingType...); err != nil {
		return c, err
	}
	if c.iterations, err = intParam(hp, c.iterations, 1, algorithms.MaxEstimators, lgbmIterations...); err != nil {
		return c, err
	}
	if c.learningRate, err = floatParam(hp, c.learningRate, 0, math.Inf(1), true, lgbmLearningRate...); err != nil {
		return c, err
	}
	if c.maxLeaves, err = intParam(hp, c.maxLeaves, 2, algorithms.MaxLeaves, lgbmNumLeaves...); err != nil {
		return c, err
	}
	if c.maxDepth, err = intParam(hp, -1, math.MinInt32, algorithms.MaxDepth, lgbmMaxDepth...); err != nil {
		return c, err
	}
	if c.maxDepth < 0 {
		c.maxDepth = 0 // LightGBM: <= 0 means no limit
	}
	if c.minSamplesLeaf, err = intParam(hp, c.minSamplesLeaf, 0, math.MaxInt32, lgbmMinChildSamples...); err != nil {
		return c, err
	}
	if c.minHessian, err = floatParam(hp, c.minHessian, 0, math.Inf(1), false, lgbmMinChildWeight...); err != nil {
		return c, err
	}
	if c.minGain, err = floatParam(hp, 0, 0, math.Inf(1), false, lgbmMinSplitGain...); err != nil {
		return c, err
	}
	if c.rowFraction, err = floatParam(hp, 1, 0, 1, true, lgbmSubsample...); err != nil {
		return c, err
	}
	if c.rowSampleEvery, err = intParam(hp, 0, 0, algorithms.MaxIterations, lgbmSubsampleFreq...); err != nil {
		return c, err
	}
	if c.rowSampleEvery == 0 {
		c.rowFraction = 1
	}
	if c.treeFeatureFraction, err = floatParam(hp, 1, 0, 1, true, lgbmColsample...); err != nil {
		return c, err
	}
	if c.l1, err = floatParam(hp, 0, 0, math.Inf(1), false, lgbmRegAlpha...); err != nil {
		return c, err
	}
	if c.l2, err = floatParam(hp, 0, 0, math.Inf(1), false, lgbmRegLambda...); err != nil {
		return c, err
	}
	if c.maxBins, err = intParam(hp, c.maxBins, 2, 255, lgbmMaxBin...); err != nil {
		return c, err
	}
	// LightGBM's seeds default to fixed values, so an absent random_state
	// gives a reproducible model there too.
	if _, _, present, _ := lookup(hp, lgbmRandomState...); present {
		if c.seed, err = seedParam(hp, lgbmRandomState...); err != nil {
			return c, err
		}
	}
	jobs, err := intParam(hp, -1, math.MinInt32, math.MaxInt32, lgbmJobs...)
	if err != nil {
		return c, err
	}
	c.workers = workerCount(jobs)
	return c, ignoredParam(hp, lgbmVerbose...)
}
