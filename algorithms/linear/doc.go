// Package linear implements pgml's "linear" algorithm: ordinary least squares
// for regression (single or joint multi-target) and L2-regularised logistic
// regression for classification, both matching scikit-learn's
// LinearRegression and LogisticRegression defaults.
package linear
