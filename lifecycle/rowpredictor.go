package lifecycle

import (
	"fmt"
	"math"
	"strings"

	"github.com/pgml-go/pgml/algorithms/preprocess"
)

// RowPredictor is what the row form of predict needs beside the model, built at load.
type RowPredictor struct {
	pipeline *preprocess.Pipeline
	codes    []map[string]float64 // per column: category -> code (nil for numeric columns)
	raw      []float64            // one row as read, then as transformed
	Features []float64            // the preprocessed row, after Assemble
}

func newRowPredictor(p *preprocess.Pipeline) *RowPredictor {
	rp := &RowPredictor{pipeline: p, raw: make([]float64, p.InputWidth()), Features: make([]float64, p.OutputWidth())}
	for _, c := range p.Columns() {
		var codes map[string]float64
		if c.Kind == preprocess.Categorical {
			codes = make(map[string]float64, len(c.Categories))
			for i, v := range c.Categories {
				codes[v] = float64(i + 1)
			}
		}
		rp.codes = append(rp.codes, codes)
	}
	return rp
}

// Field is one field of the row given to the row form of predict.
type Field struct {
	IsText bool
	IsNull bool
	Text   []byte    // a text field's value; only read during Assemble
	Values []float64 // a number's value, or an array's elements
}

// Assemble lays the row's fields out as the training matrix had them and preprocesses them
// into Features.
func (rp *RowPredictor) Assemble(fields []Field) error {
	cols := rp.pipeline.Columns()
	if len(fields) != len(cols) {
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.Name
		}
		return WithHint(Errorf(StateInvalidParameter, "the model was trained on %d feature columns, the row has %d fields", len(cols), len(fields)),
			"Pass the feature columns in training order: ("+strings.Join(names, ", ")+").")
	}
	off := 0
	for i, c := range cols {
		f := fields[i]
		switch {
		case c.Kind == preprocess.Categorical:
			if !f.IsText {
				return Errorf(StateDatatypeMismatch, "field %d (%s) must be text: the column was text in training", i+1, c.Name)
			}
			rp.raw[off] = 0 // NULL is its own category
			if !f.IsNull {
				code, ok := rp.codes[i][string(f.Text)]
				if !ok {
					code = math.NaN() // unseen in training: imputed, or an error without imputation
				}
				rp.raw[off] = code
			}
		case f.IsText:
			return Errorf(StateDatatypeMismatch, "field %d (%s) is text, but the column was numeric in training", i+1, c.Name)
		case f.IsNull:
			for j := 0; j < c.Width; j++ {
				rp.raw[off+j] = math.NaN()
			}
		default:
			if len(f.Values) != c.Width {
				return Errorf(StateInvalidParameter, "field %d (%s) has %d values, the column had %d in training", i+1, c.Name, len(f.Values), c.Width)
			}
			values := f.Values
			if err := rejectInfinities(values, i, c); err != nil {
				return err
			}
			copy(rp.raw[off:off+c.Width], values)
		}
		off += c.Width
	}
	if err := rp.pipeline.TransformRow(rp.raw, rp.Features); err != nil {
		return Errorf(StateNullValue, "%s", err.Error())
	}
	return nil
}

// rejectInfinities refuses ±Infinity in a numeric field of the row form; NaN, like NULL, is a
// missing value that the preprocessing imputes (or refuses, naming the column).
func rejectInfinities(values []float64, field int, c preprocess.Column) error {
	for j, v := range values {
		if math.IsInf(v, 0) {
			position := fmt.Sprintf("field %d (%s)", field+1, c.Name)
			if c.Width > 1 {
				position = fmt.Sprintf("element %d of field %d (%s)", j+1, field+1, c.Name)
			}
			return WithHint(Errorf(StateInvalidParameter, "%s is %s: pgml cannot predict from infinite values", position, infinityText(v)),
				"Replace infinite values before predicting (e.g. with CASE): NULL and NaN count as missing values, imputed when the model was trained to impute.")
		}
	}
	return nil
}
