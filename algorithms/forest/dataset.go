package forest

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// trainingSet is the read-only training data shared by all tree growers.
type trainingSet struct {
	rows, cols int
	// values holds x column by column, as float32 like sklearn's trees:
	// a split search reads one feature for many rows, which is sequential
	// here and strided in x, and float32 halves the copy. Thresholds stay
	// float64 midpoints of these values, so every training row is routed
	// by its float64 value exactly as its float32 value was.
	values []float32
	// Regression: targets is rows×numOutputs, row-major (y itself).
	targets    []float64
	numOutputs int
	// Classification: labels[i] indexes classes.
	labels  []int32
	classes []float64
}

// Node indices are int32 and a tree has fewer than 2×rows nodes.
const maxRows = math.MaxInt32 / 2

// column returns feature f of every row.
func (d *trainingSet) column(f int) []float32 { return d.values[f*d.rows : (f+1)*d.rows] }

func newTrainingSet(ctx context.Context, task algorithms.Task, x, y algorithms.Matrix) (*trainingSet, error) {
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
	if task == algorithms.Classification && y.Cols != 1 {
		return nil, fmt.Errorf("classification takes one label column, got %d", y.Cols)
	}
	d := &trainingSet{rows: x.Rows, cols: x.Cols}
	if task == algorithms.Classification {
		sorted := slices.Sorted(slices.Values(y.Data))
		d.classes = slices.Clone(slices.Compact(sorted))
		if err := algorithms.CheckClasses(len(d.classes)); err != nil {
			return nil, err
		}
		d.labels = make([]int32, x.Rows)
		for i, v := range y.Data {
			c, _ := slices.BinarySearch(d.classes, v)
			d.labels[i] = int32(c)
		}
	} else {
		d.targets, d.numOutputs = y.Data, y.Cols
	}
	d.values = make([]float32, x.Rows*x.Cols)
	check := cancel.New(ctx)
	n, p := x.Rows, x.Cols
	for i := 0; i < n; i++ {
		// Writes n apart miss the cache: count them as several units.
		if err := check.Add(8 * p); err != nil {
			return nil, fmt.Errorf("forest training stopped: %w", err)
		}
		for f, v := range x.Row(i) {
			if math.Abs(v) > math.MaxFloat32 {
				return nil, fmt.Errorf("x has %v at row %d, column %d: trees work on float32 features (as scikit-learn's), which cannot hold it; rescale the feature", v, i, f)
			}
			d.values[f*n+i] = float32(v)
		}
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
