// Package runtimes holds the runtimes that train and load models for the lifecycle
// (lifecycle.Runtime): Native (the pure-Go algorithms of algorithms/native), XGBoost (XGBoost's
// C library, xgboost/) — together the "go" runtime users choose — and Python (scikit-learn in
// the embedded interpreter, pybridge/). The boundary registers them in that order of
// preference (extension/runtimes.go).
//
// Each maps what can go wrong in its fits to lifecycle errors with a SQLSTATE: bad
// hyperparameters or labels are the user's, a missing library is a feature not installed, a
// panic is a bug reported as an internal error.
package runtimes
