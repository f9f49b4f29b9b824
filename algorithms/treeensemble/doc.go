// Package treeensemble predicts with additive tree ensembles (and linear
// boosters) trained elsewhere, in pure Go: the engine holds every tree's
// nodes in one flat array, walks a row through each tree without
// allocating, sums the leaves per output and applies the output transform.
//
// xgboostmodel.go reads XGBoost's saved model (its UBJSON, ubjson.go) into
// an Ensemble with XGBoost 1.7's prediction semantics, so that a backend
// predicts an xgboost model without loading libxgboost (issue 11). XGBoost
// computes in float32: features are rounded to float32 before comparing
// with the float32 thresholds, and leaves are summed in float32 in the
// order of the trees, so the results match libxgboost's to rounding.
package treeensemble
