package cluster_test

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cluster"
)

func ExampleFitKMeans() {
	x := algorithms.Matrix{Rows: 6, Cols: 2, Data: []float64{
		0, 0, 1, 0, // near the origin
		10, 10, 11, 10, // near (10, 10)
		0, 20, 1, 20, // near (0, 20)
	}}
	m, err := cluster.FitKMeans(context.Background(), x, algorithms.Hyperparams{"n_clusters": 3.0})
	if err != nil {
		panic(err)
	}
	labels := make([]float64, x.Rows)
	m.Predict(labels, x.Data)
	fmt.Printf("inertia %.1f\n", m.Inertia())
	fmt.Println("same cluster:", labels[0] == labels[1], labels[2] == labels[3], labels[4] == labels[5])
	fmt.Printf("silhouette %.3f\n", cluster.Silhouette(x, labels))
	// Output:
	// inertia 1.5
	// same cluster: true true true
	// silhouette 0.929
}
