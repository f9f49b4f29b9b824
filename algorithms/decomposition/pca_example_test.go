package decomposition_test

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/decomposition"
)

func ExampleFitPCA() {
	// Points close to the line y = x: one component explains nearly all.
	// (Not symmetric about their mean: with an exact tie between the
	// largest projections, which one sets the sign is up to rounding.)
	x := algorithms.Matrix{Rows: 4, Cols: 2, Data: []float64{0, 0.1, 1, 0.9, 2, 2.1, 3, 3.2}}
	m, err := decomposition.FitPCA(context.Background(), x, algorithms.Hyperparams{"n_components": 0.95})
	if err != nil {
		panic(err)
	}
	fmt.Println("components kept:", m.NumComponents())
	fmt.Printf("variance explained: %.4f\n", m.ExplainedVarianceRatio()[0])
	projected := make([]float64, x.Rows*m.NumComponents())
	m.Transform(projected, x.Data)
	fmt.Printf("projections: %.3f\n", projected)
	// Output:
	// components kept: 1
	// variance explained: 0.9984
	// projections: [-2.102 -0.834 0.725 2.211]
}
