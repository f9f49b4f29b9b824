// Package penalized implements pgml's regularised linear families with
// scikit-learn's names, defaults and objectives:
//
//   - "ridge": Ridge (closed form, joint multi-target) and RidgeClassifier;
//   - "lasso" and "elastic_net": Lasso and ElasticNet by sklearn's cyclic
//     (or random) coordinate descent with its duality-gap stopping rule;
//   - "stochastic_gradient_descent": SGDRegressor and SGDClassifier;
//   - "linear_svm": LinearSVC and LinearSVR by liblinear's dual coordinate
//     descent.
//
// Every family yields either a *Regressor (one weight vector per target) or
// a *Classifier (one vector for two classes, one per class otherwise), so
// prediction and the model file format are shared. Features are used as
// given: like sklearn, nothing is standardised internally.
package penalized
