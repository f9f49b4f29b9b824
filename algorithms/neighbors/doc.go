// Package neighbors implements pgml's "knn" algorithm: scikit-learn's
// KNeighborsRegressor and KNeighborsClassifier with brute-force search.
//
// A fitted model keeps its training rows, as sklearn's does, so its model
// file grows with the training set. Prediction scans every training row per
// query row, keeping the k nearest in a small bounded heap; it allocates
// nothing once its scratch buffers (pooled, so concurrent Predict calls are
// safe) are warm.
package neighbors
