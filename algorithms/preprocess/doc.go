// Package preprocess implements the preprocess argument of pgml.train
// (PostgresML 2.x): per column imputation of missing values, encoding of
// categorical (text) columns and scaling, fitted on the training rows and
// replayed identically on every later row, together with the per column
// statistics PostgresML stores in its snapshots.
//
// # Input
//
// The caller reads the relation into an algorithms.Matrix with one block of
// Column.Width consecutive columns per source column. A Numeric column holds
// its values (booleans as 0 and 1, arrays expanded element by element) with
// NULL as NaN. A Categorical column holds one code per row: 0 for NULL, i+1
// for Categories[i], and NaN for a text that was not seen in training. The
// package never sees text, so the same mapping serves training and
// prediction; Pipeline.Columns returns the categories after decoding a stored
// pipeline.
//
// # Steps
//
// Each source value goes through three steps, in the order PostgresML uses:
//
//  1. encode turns a category code into a number: the code itself (native),
//     its 1-based position in a user supplied list (ordinal, NULL stays 0),
//     or the mean of the training target over the rows of that category
//     (target; NULL is a category of its own). one_hot keeps the code for
//     the next step and expands it afterwards into len(Categories)
//     indicators, position i set when the code is i+1, so NULL is all zeros.
//  2. impute replaces NaN: missing numbers, categories never seen in
//     training and categories without training rows under target encoding.
//     The replacement is a statistic of the encoded training values (for
//     one_hot a code, so "mode" picks the most common category and "zero"
//     gives all zeros). Under "error", the default, a NaN is an error: Fit
//     reports how many training values are missing, Transform names the
//     column.
//  3. scale applies an affine map to each output column, fitted on the
//     training rows after imputation (and after one_hot expansion, so every
//     indicator has its own): standard, min_max, max_abs or robust. As in
//     scikit-learn, a zero spread leaves the column centred rather than
//     dividing by zero.
//
// Unlike PostgresML 2.x, target encoding is applied to the training rows too,
// not only to later ones, so the model learns on the values it will be asked
// about.
//
// # Statistics
//
// Statistics describe the encoded training values before imputation, per
// array position: NaN is excluded and counted as missing; the median and the
// quartiles interpolate linearly between order statistics like numpy's
// default; the variance is the population variance; the mode is the most
// frequent value, the smallest on ties.
//
// A Pipeline is immutable once fitted and safe for concurrent use.
// MarshalBinary stores it as versioned JSON.
package preprocess
