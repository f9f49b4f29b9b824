// Package boosting implements pgml's gradient boosted trees natively: one
// histogram-based engine behind three algorithm names.
//
//   - "hist_gradient_boosting" takes scikit-learn's HistGradientBoosting
//     parameter names and defaults.
//   - "lightgbm" takes LightGBM's names (and the aliases PostgresML users
//     pass) and defaults, growing trees leaf-wise (best gain first).
//   - "gradient_boosting_trees" takes scikit-learn's GradientBoosting names
//     and defaults: depth-limited trees chosen on the gradients alone (the
//     friedman_mse / squared_error criterion, which select the same splits)
//     with Newton leaf values, as sklearn does.
//
// Every feature is first cut into at most 255 bins at quantiles of the
// training data, as sklearn's HistGradientBoosting and LightGBM do. Split
// thresholds are therefore the bin edges (midpoints between training values),
// not the exact thresholds GradientBoosting would try on every distinct value;
// with fewer than 256 distinct values per feature the two coincide.
//
// Trees fit squared error (one ensemble per target for joint regression),
// binary log loss, or the multinomial softmax loss with one tree per class and
// iteration. Node histograms are built per feature in parallel goroutines and
// the larger child's histogram is the parent's minus the smaller child's; the
// result does not depend on the number of workers.
//
// Fitted models store every tree in one flat preorder node array, predict one
// row without allocating, and are written with package modelfile. Loading
// checks every index, so corrupt bytes are an error, never a panic or a loop.
package boosting
