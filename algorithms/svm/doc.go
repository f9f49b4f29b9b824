// Package svm implements pgml's "svm" algorithm: scikit-learn's SVC and SVR,
// kernel support vector machines solved like libsvm.
//
// Training solves the dual problem with sequential minimal optimisation
// (SMO) using libsvm's second-order working set selection (Fan, Chen and
// Lin, 2005). Kernel rows are computed on demand and kept in a bounded LRU
// cache, so memory grows with cache_size rather than with the square of the
// number of rows. Classification with more than two classes trains one
// machine per pair of classes and predicts by voting, as libsvm does;
// regression with several targets trains one SVR per target.
//
// Names, defaults and semantics follow sklearn (C, kernel, degree, gamma
// "scale"/"auto", coef0, tol, epsilon, max_iter). Probability estimates
// (probability=true) are not implemented. Features are used as given: like
// sklearn, nothing is standardised internally.
package svm
