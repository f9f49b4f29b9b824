// Package sklearntrees predicts like scikit-learn's tree models — random
// forests, extra trees, bagged trees, gradient boosting (classic and
// histogram) and AdaBoost over trees — from their exported arrays, in pure
// Go: the native form of a model trained by the python runtime (issue 11;
// pybridge/bridge.py exports the arrays, pybridge/nativeform_trees.go
// builds the Ensemble).
//
// The engine is treeensemble's flat design with scikit-learn's numbers:
// every tree's nodes in one array, a row walked through each tree without
// allocating, each leaf adding a vector of float64 values to the row's
// margins in the order of the trees, then one combination (mean, link
// function, softmax) into predictions and probabilities. scikit-learn's
// trees compare float32(x) <= threshold (a float64), the histogram
// boosters x <= threshold in float64 with a learned direction for missing
// values: both are the same comparison here, with the row rounded to
// float32 first or not. Whatever scikit-learn computes per leaf (class
// fractions, the learning rate times the value, SAMME's log-ratios) the
// exporter computes with numpy, so that the sums here add the very values
// scikit-learn adds and agree with it to rounding.
package sklearntrees
