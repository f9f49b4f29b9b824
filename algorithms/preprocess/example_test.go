package preprocess_test

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/preprocess"
)

func Example() {
	cols := []preprocess.Column{
		{Name: "temp", Kind: preprocess.Numeric, Width: 1},
		// Codes: NULL 0, cirrus 1, cumulus 2, stratus 3.
		{Name: "clouds", Kind: preprocess.Categorical, Width: 1, Categories: []string{"cirrus", "cumulus", "stratus"}},
	}
	specs, ignored, err := preprocess.ParseSpecs(`{
		"temp": {"impute": "mean", "scale": "min_max"},
		"clouds": {"encode": "one_hot", "impute": "mode"},
		"humidity": {"scale": "standard"}
	}`, cols)
	if err != nil {
		panic(err)
	}
	x := algorithms.Matrix{Rows: 4, Cols: 2, Data: []float64{
		10, 2,
		math.NaN(), 2, // temp is NULL
		20, 3,
		30, 0, // clouds is NULL
	}}
	p, err := preprocess.Fit(cols, specs, x, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("ignored:", ignored)
	fmt.Println("features:", p.InputWidth(), "→", p.OutputWidth())
	train, _ := p.Transform(x)
	for r := 0; r < train.Rows; r++ {
		fmt.Println(train.Row(r))
	}
	// At prediction, a missing temperature gets the training mean (20) and
	// a cloud never seen in training the most common one (cumulus).
	row := make([]float64, p.OutputWidth())
	if err := p.TransformRow([]float64{math.NaN(), math.NaN()}, row); err != nil {
		panic(err)
	}
	fmt.Println(row)
	// Output:
	// ignored: [humidity]
	// features: 2 → 4
	// [0 0 1 0]
	// [0.5 0 1 0]
	// [0.5 0 0 1]
	// [1 0 0 0]
	// [0.5 0 1 0]
}

func ExamplePipeline_Statistics() {
	cols := []preprocess.Column{{Name: "v", Kind: preprocess.Numeric, Width: 2}}
	x := algorithms.Matrix{Rows: 3, Cols: 2, Data: []float64{
		1, 4,
		2, math.NaN(),
		2, 8,
	}}
	p, err := preprocess.Fit(cols, map[string]preprocess.Spec{"v": {Impute: preprocess.ImputeZero}}, x, nil)
	if err != nil {
		panic(err)
	}
	b, _ := json.MarshalIndent(p.Statistics()[0].Positions[1], "", "  ")
	fmt.Println(string(b))
	// Output:
	// {
	//   "min": 4,
	//   "max": 8,
	//   "max_abs": 8,
	//   "mean": 6,
	//   "median": 6,
	//   "mode": 4,
	//   "variance": 4,
	//   "std_dev": 2,
	//   "missing": 1,
	//   "distinct": 2,
	//   "p25": 5,
	//   "p75": 7
	// }
}

func ExampleParseSpecs_error() {
	cols := []preprocess.Column{{Name: "city", Kind: preprocess.Categorical, Width: 1, Categories: []string{"Oslo", "Rome"}}}
	_, _, err := preprocess.ParseSpecs(`{"city": {"encode": {"ordinal": ["Rome"]}}}`, cols)
	fmt.Println(err)
	// Output:
	// column "city": value is not present in ordinal: "Oslo"
}
