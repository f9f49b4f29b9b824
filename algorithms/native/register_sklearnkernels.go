package native

import (
	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/sklearnkernels"
)

// The native forms of kernel models trained by the python runtime (issue 11), like
// register_sklearntrees.go's tree models: loaded, never trained here.
func init() {
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
		registerLoader(sklearnkernels.Name, task, func(b []byte) (algorithms.Model, error) { return sklearnkernels.Unmarshal(task, b) })
	}
}
