// Package analysis computes what pgml.train stores in pgml.models.analysis beside the test
// metrics: the confusion matrix, ROC and precision-recall curves of classifiers, a sample of
// predicted against actual values and the residual quantiles of regressors, and feature
// importances. docs/analysis.md documents the JSON shape; the figures follow scikit-learn
// (confusion_matrix, roc_curve, precision_recall_curve, average_precision_score,
// numpy.quantile), which the tests compare against recorded fixtures.
package analysis
