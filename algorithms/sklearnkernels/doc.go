// Package sklearnkernels predicts like scikit-learn's kernel models — SVR,
// NuSVR, SVC and NuSVC (libsvm), KernelRidge, GaussianProcessRegressor's
// predictive mean and GaussianProcessClassifier — from their exported parameters, in pure Go: the native
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
//
// A Gaussian process classifier (laplace.go) is one binary machine of the Laplace
// approximation for two classes, one per class (one-vs-rest) for more: each an expansion
// giving the latent mean, with the Cholesky factor of its training rows, against which every
// row's kernel values are solved for the latent variance; the logistic sigmoid's integral
// over that Gaussian, by scikit-learn's five error functions, is the machine's probability.
package sklearnkernels
