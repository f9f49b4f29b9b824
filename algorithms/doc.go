// Package algorithms defines the vocabulary shared by pgml's pure-Go
// machine-learning core: the dense Matrix handed over by the extension, the
// learning Task, the fitted Model and Classifier interfaces, and validation of
// scikit-learn style hyperparameters.
//
// Estimators live in sub-packages (linear, …); package native is the registry
// the extension calls to train and load them, modelfile is their versioned
// binary format, metrics scores predictions and sampling splits rows into
// training and test sets.
package algorithms
