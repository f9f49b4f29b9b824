package neighbors

import "fmt"

// rowsOf is the number of query rows in xLen values of features each, when
// dstLen holds perRow outputs for each.
func rowsOf(features, dstLen, xLen, perRow int) (int, error) {
	rows := xLen / features
	if rows*features != xLen || dstLen != rows*perRow {
		return 0, fmt.Errorf("%s: prediction with %d values for %d features into %d outputs (%d per row)", Name, xLen, features, dstLen, perRow)
	}
	return rows, nil
}

// mustPredict is the panic of algorithms.Model's Predict and PredictProba,
// whose callers guarantee the shapes (their only error without a context).
func mustPredict(err error) {
	if err != nil {
		panic(err.Error())
	}
}
