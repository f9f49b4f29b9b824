// Package neighbors implements pgml's "knn" algorithm: scikit-learn's
// KNeighborsRegressor and KNeighborsClassifier.
//
// A fitted model keeps its training rows, as sklearn's does, so its model
// file grows with the training set. Neighbours are found as sklearn's
// algorithm hyperparameter says (search_method.go): by brute force, or
// through a k-d tree or a ball tree (tree.go) built at fit and rebuilt when
// a model file is loaded; "auto" picks the k-d tree for up to 15 features
// and k below half the rows, brute force otherwise, as sklearn does. Every
// method returns exactly the same neighbours, ties included (the earlier
// training row wins): the trees skip a node only when a bound that provably
// never exceeds a computed distance says so (bounds.go).
//
// Prediction keeps the k nearest in a small bounded heap and allocates
// nothing once its scratch buffers (pooled, so concurrent Predict calls are
// safe) are warm. PredictContext and PredictProbaContext stop once their
// context is done, within one row's search if need be: brute force over a
// large set is one long loop. Fits, and loads through
// UnmarshalRegressorContext and UnmarshalClassifierContext, stop likewise
// during the index build. FitMemory says what a fit allocates.
package neighbors
