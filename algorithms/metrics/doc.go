// Package metrics scores predictions the way scikit-learn does, for the
// figures pgml.train reports on the test set.
package metrics
