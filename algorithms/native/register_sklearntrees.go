package native

import (
	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/sklearntrees"
)

// The native forms of tree models trained by the python runtime (issue 11), like
// register_exported.go's linear ones: loaded, never trained here.
func init() {
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
		registerLoader(sklearntrees.Name, task, func(b []byte) (algorithms.Model, error) { return sklearntrees.Unmarshal(task, b) })
	}
}
