// Package catboost is a native implementation of CatBoost's gradient boosting on symmetric
// (oblivious) trees, for regression (RMSE, and MultiRMSE for several label columns) and
// classification (Logloss for two classes, MultiClass above), under the names and defaults of
// CatBoost's Python API (iterations 1000, depth 6, l2_leaf_reg 3, border_count 254, the
// automatic learning rate, random_strength 1, Bayesian bootstrap with bagging_temperature 1).
//
// A symmetric tree applies one split (feature > border) to every node of a level, so a tree
// of depth d is d splits and 2^d leaves, and evaluating it is d comparisons, each one bit of
// the leaf index (model.go). Training (fit.go, search.go) quantizes every feature into at
// most border_count borders (quantize.go), then grows each tree level by level, choosing the
// split of best Cosine score over histograms of the weighted derivatives, perturbed by
// random_strength; leaf values are Newton steps (loss.go). Categorical columns named by
// cat_features are replaced by CatBoost's ordered target statistics (ctr.go).
//
// docs/catboost.md describes what differs from the CatBoost library and the quality measured
// against hist_gradient_boosting and xgboost.
package catboost
