// Package sampling splits training data into training and test rows the way
// pgml.train's test_size and test_sampling arguments ask for.
package sampling
