package native

import (
	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cluster"
)

// The native forms of clusterers trained by the python runtime (issue 11): loaded, never
// trained here. A python PCA's native form is this package's own decomposition.PCA, which
// register_cluster.go registers.
func init() {
	registerLoader(cluster.ExportedName, algorithms.Clustering, func(b []byte) (algorithms.Model, error) { return asModel(cluster.UnmarshalExported(b)) })
}
