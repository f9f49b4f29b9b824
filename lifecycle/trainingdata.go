package lifecycle

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// fetchBatchRows is the number of rows per cursor fetch while reading training data: one
// call across the boundary per batch, never per value (rule 13 in docs/architecture.md).
const fetchBatchRows = 10000

// trainingData is a relation read into Go: features flattened (arrays expanded) and labels.
type trainingData struct {
	x        algorithms.Matrix
	y        algorithms.Matrix
	features []column
	widths   []int // per feature column: 1 for scalars, the array length for arrays
	labels   []column
	// categories holds the sorted values of each text feature column (nil for numbers):
	// code i+1 is categories[i], 0 is NULL. labelCategories: code i is labelCategories[i].
	categories      [][]string
	labelCategories [][]string
}

// readTrainingData reads every row of the relation `from` through a cursor, a batch per
// fetch, straight into feature and label matrices sized once from the planner's row
// estimate, and checks the values. admit is asked after every batch whether the rows read
// so far still fit the training's memory budget.
func (sess *Session) readTrainingData(ctx context.Context, from string, features, labels []column, admit *admission) (*trainingData, error) {
	all := append(append([]column{}, features...), labels...)
	data := &trainingData{features: features, labels: labels,
		categories: make([][]string, len(features)), labelCategories: make([][]string, len(labels))}
	names := make([]string, len(all))
	for i, c := range all {
		if err := checkColumnType(c); err != nil {
			return nil, err
		}
		names[i] = quoteIdent(c.name)
		if !isCategorical(c.typeName) {
			continue
		}
		values, err := sess.readCategories(from, c)
		if err != nil {
			return nil, err
		}
		isLabel := i >= len(features)
		firstCode, nullCode := 1, "0"
		if isLabel {
			firstCode, nullCode = 0, ""
			data.labelCategories[i-len(features)] = values
		} else {
			data.categories[i] = values
		}
		if names[i], err = sess.codeExpression(c, values, firstCode, nullCode); err != nil {
			return nil, err
		}
	}
	selectList := strings.Join(names, ", ")
	estimate, err := sess.plannedRows(selectList, from)
	if err != nil {
		return nil, err
	}
	cursor, err := sess.Store.OpenCursor("SELECT " + selectList + " FROM " + from)
	if err != nil {
		return nil, err
	}
	if err := data.fetch(ctx, cursor, len(all), estimate, admit); err != nil {
		// After a PostgreSQL error the transaction is aborted, and the abort closes the cursor.
		return nil, err
	}
	if err := cursor.Close(); err != nil {
		return nil, err
	}
	return data, data.checkValues(ctx)
}

// plannedRows is the planner's estimate of the rows the training query returns.
func (sess *Session) plannedRows(selectList, from string) (int, error) {
	rows, err := sess.queryAsCaller("EXPLAIN (FORMAT JSON) SELECT " + selectList + " FROM " + from)
	if err != nil {
		return 0, err
	}
	var plan []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if len(rows) == 0 || json.Unmarshal([]byte(rows[0].Str(0)), &plan) != nil || len(plan) == 0 {
		return 0, nil // no estimate: the matrices grow as rows arrive
	}
	return int(min(plan[0].Plan.Rows, 1<<40)), nil
}

// fetch copies each batch's rows into x (the feature columns, arrays flattened) and y.
// The matrices are allocated once the first batch gives the row width, with room for the
// planner's estimate; more rows than that make them grow (a transient copy, admitted too).
func (d *trainingData) fetch(ctx context.Context, cursor Cursor, ncols, estimate int, admit *admission) error {
	widths := make([]int, ncols)
	for i := range widths {
		widths[i] = -1
	}
	nlabels := len(d.labels)
	featureWidth, rows, capacity := 0, 0, 0
	for {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		batch, n, err := cursor.Fetch(fetchBatchRows, widths)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		if capacity == 0 {
			for _, w := range widths[:len(d.features)] {
				featureWidth += w
			}
			capacity = max(n, min(estimate+estimate/10+fetchBatchRows, admit.maxRows(featureWidth)))
			d.x.Data = make([]float64, 0, capacity*featureWidth)
			d.y.Data = make([]float64, 0, capacity*nlabels)
		}
		if err := admit.check(rows+n, featureWidth, true); err != nil {
			return err
		}
		if rows+n > capacity {
			// The estimate was low: grow, counting the old and the new copy together.
			capacity = max(rows+n, capacity+capacity/4)
			if err := admit.check(capacity+rows, featureWidth, true); err != nil {
				return err
			}
			d.x.Data = append(make([]float64, 0, capacity*featureWidth), d.x.Data...)
			d.y.Data = append(make([]float64, 0, capacity*nlabels), d.y.Data...)
		}
		rowWidth := featureWidth + nlabels
		for r := 0; r < n; r++ {
			row := batch[r*rowWidth : (r+1)*rowWidth]
			d.x.Data = append(d.x.Data, row[:featureWidth]...)
			d.y.Data = append(d.y.Data, row[featureWidth:]...)
		}
		rows += n
	}
	d.x.Rows, d.x.Cols = rows, featureWidth
	d.y.Rows, d.y.Cols = rows, nlabels
	d.widths = make([]int, len(d.features))
	for i := range d.widths {
		d.widths[i] = max(widths[i], 0)
	}
	return nil
}

// isMissing tells a NULL read by the cursor from a NaN stored in the data.
func isMissing(v float64) bool {
	return math.Float64bits(v) == MissingBits
}

// valueCounts counts the values that cannot be learnt from in a column, and where the first
// infinite one is (a row number counted from 1, in the order rows were read, and its value).
type valueCounts struct {
	missing, nan, infinite int
	firstInfiniteRow       int
	firstInfinite          float64
}

func (c *valueCounts) add(row int, v float64) {
	switch {
	case isMissing(v):
		c.missing++
	case math.IsNaN(v):
		c.nan++
	case math.IsInf(v, 0):
		if c.infinite == 0 {
			c.firstInfiniteRow, c.firstInfinite = row+1, v
		}
		c.infinite++
	}
}

// infinityText writes an infinity as PostgreSQL does.
func infinityText(v float64) string {
	if v < 0 {
		return "-Infinity"
	}
	return "Infinity"
}

// plural writes n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// checkValues refuses labels that are NULL, NaN or infinite and features that are
// infinite, naming the column; NULL and NaN features are missing values, imputed by the
// preprocessing or reported by it with the column's name.
func (d *trainingData) checkValues(ctx context.Context) error {
	check := cancel.New(ctx)
	for j, label := range d.labels {
		var c valueCounts
		for r := 0; r < d.y.Rows; r++ {
			c.add(r, d.y.Data[r*d.y.Cols+j])
		}
		if err := check.Add(d.y.Rows); err != nil {
			return ErrInterrupted
		}
		filter := "Consider filtering them out with `WHERE " + quoteIdent(label.name) + " IS NOT NULL`."
		switch {
		case c.missing > 0:
			return WithHint(Errorf(StateNullValue, "The training data labels in %q contain %s.", label.name, plural(c.missing, "NULL value")), filter)
		case c.nan > 0:
			return WithHint(Errorf(StateDataException, "The training data labels in %q contain %s.", label.name, plural(c.nan, "NaN value")),
				"Filter them out, e.g. with `WHERE "+quoteIdent(label.name)+" <> 'NaN'`.")
		case c.infinite > 0:
			return WithHint(Errorf(StateDataException, "The training data labels in %q contain %s (the first in row %d is %s).", label.name, plural(c.infinite, "infinite value"), c.firstInfiniteRow, infinityText(c.firstInfinite)),
				"Filter them out, e.g. with `WHERE "+quoteIdent(label.name)+" NOT IN ('Infinity', '-Infinity')`.")
		}
	}
	off := 0
	for i, feature := range d.features {
		var c valueCounts
		w := d.widths[i]
		for r := 0; r < d.x.Rows; r++ {
			row := d.x.Data[r*d.x.Cols+off : r*d.x.Cols+off+w]
			for k, v := range row {
				c.add(r, v)
				if math.IsNaN(v) {
					row[k] = math.NaN() // missing, whichever kind
				}
			}
			if err := check.Add(w); err != nil {
				return ErrInterrupted
			}
		}
		if c.infinite > 0 {
			return WithHint(Errorf(StateDataException, "feature column %q contains %s (the first in row %d is %s): only finite values can be learnt from",
				feature.name, plural(c.infinite, "infinite value"), c.firstInfiniteRow, infinityText(c.firstInfinite)),
				"Replace them with NULL to have the preprocessing impute them, or filter the rows out.")
		}
		off += w
	}
	return nil
}
