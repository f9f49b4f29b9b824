package native

import (
	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/linear"
)

// The native forms of models trained by the python runtime (issue 11): loaded, never trained
// here, so they are not among the algorithms users choose.
func init() {
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
		registerLoader(linear.ExportedName, task, func(b []byte) (algorithms.Model, error) { return linear.UnmarshalExported(task, b) })
	}
}
