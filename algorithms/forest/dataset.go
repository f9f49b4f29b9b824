package forest

import (
	"fmt"
	"math"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
)

// trainingSet is the read-only training data shared by all tree growers.
type trainingSet struct {
	rows int
	// columns[f] holds feature f of every row: a split search reads one
	// feature for many rows, which is sequential here and strided in x.
	columns [][]float64
	// Regression: targets is rows×numOutputs, row-major.
	targets    []float64
	numOutputs int
	// Classification: labels[i] indexes classes.
	labels  []int32
	classes []float64
}

// Node indices are int32 and a tree has fewer than 2×rows nodes.
const maxRows = math.MaxInt32 / 2

func newTrainingSet(task algorithms.Task, x, y algorithms.Matrix) (*trainingSet, error) {
	if err := x.Validate("x"); err != nil {
		return nil, err
	}
	if err := y.Validate("y"); err != nil {
		return nil, err
	}
	if y.Rows != x.Rows {
		return nil, fmt.Errorf("x has %d rows but y has %d", x.Rows, y.Rows)
	}
	if x.Rows > maxRows {
		return nil, fmt.Errorf("x has %d rows, more than the %d a forest supports", x.Rows, maxRows)
	}
	d := &trainingSet{rows: x.Rows, columns: make([][]float64, x.Cols)}
	for f := range d.columns {
		col := make([]float64, x.Rows)
		for i := range col {
			col[i] = x.Data[i*x.Cols+f]
		}
		d.columns[f] = col
	}
	if task == algorithms.Regression {
		d.targets, d.numOutputs = y.Data, y.Cols
		return d, nil
	}
	if y.Cols != 1 {
		return nil, fmt.Errorf("classification takes one label column, got %d", y.Cols)
	}
	d.classes = slices.Compact(slices.Sorted(slices.Values(y.Data)))
	d.labels = make([]int32, x.Rows)
	for i, v := range y.Data {
		c, _ := slices.BinarySearch(d.classes, v)
		d.labels[i] = int32(c)
	}
	return d, nil
}

// width is the number of values a leaf stores.
func (d *trainingSet) width() int {
	if d.labels != nil {
		return len(d.classes)
	}
	return d.numOutputs
}
