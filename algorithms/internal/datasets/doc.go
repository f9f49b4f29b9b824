// Package datasets reads the toy datasets in algorithms/testdata (gzipped
// CSV as shipped for pgml.load_dataset) into matrices for tests and
// benchmarks.
package datasets
