// Package sklearnkernels predicts like scikit-learn's kernel models — SVR,
// NuSVR, SVC and NuSVC (libsvm), KernelRidge and GaussianProcessRegressor's
// predictive mean — from their exported parameters, in pure Go: the native
// form of a model trained by the python runtime (issue 11;
// pybridge/bridge.py exports the parameters, pybridge/nativeform_kernels.go
// builds the Model).
//
// Every one of these predicts a kernel expansion Σᵢ k(x, pᵢ)·cᵢ + b over
// points pᵢ it kept from its training rows (support vectors, KernelRidge's
// X_fit_, the Gaussian process's X_train_). A regressor is one or more such
// expansions (MultiOutputRegressor fits one SVR per target), un-normalized
// by a scale and an offset per output (GaussianProcessRegressor's
// normalize_y). A classifier is libsvm's one-vs-one machine: one decision
// value per pair of classes, a vote whose ties go to the smaller class, and,
// when the model was fitted with probability=True, libsvm's Platt
// probabilities of every pair coupled into class probabilities by the same
// iterative method as libsvm's multiclass_probability.
package sklearnkernels
