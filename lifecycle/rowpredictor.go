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
	columns  []preprocess.Column  // the training's feature columns, in training order
	codes    []map[string]float64 // per column: category -> code (nil for numeric columns)
	raw      []float64            // one row as read, then as transformed
	Features []float64            // the preprocessed row, after Assemble
}

func newRowPredictor(p *preprocess.Pipeline) *RowPredictor {
	rp := &RowPredictor{pipeline: p, columns: p.Columns(), raw: make([]float64, p.InputWidth()), Features: make([]float64, p.OutputWidth())}
	for _, c := range rp.columns {
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

// NumColumns is the number of training columns a row supplies.
func (rp *RowPredictor) NumColumns() int { return len(rp.columns) }

// Field is one field of the row given to the row form of predict.
type Field struct {
	IsText bool
	IsNull bool
	Text   []byte    // a text field's value; only read during Assemble
	Values []float64 // a number's value, or an array's elements
}

// Match maps each training column to a field of a row whose fields are named names (in
// order): by name when the row has names of its own (a table, view or composite type), by
// position when it is anonymous (ROW(...), whose fields PostgreSQL names f1, f2, ...). Extra
// named fields are ignored. Called once per row type and call site, not per row.
func (rp *RowPredictor) Match(names []string, named bool) ([]int, error) {
	fieldOf := make([]int, len(rp.columns))
	if !named {
		if len(names) != len(rp.columns) {
			return nil, WithHint(Errorf(StateInvalidParameter, "the model was trained on %d feature columns, the row has %d fields", len(rp.columns), len(names)),
				"Pass the feature columns in training order: "+rp.describeColumns()+"; or pass a row with field names (a table or view row, or a composite type), matched by name.")
		}
		for i := range fieldOf {
			fieldOf[i] = i
		}
		return fieldOf, nil
	}
	index := make(map[string]int, len(names))
	for i, name := range names {
		if _, seen := index[name]; !seen {
			index[name] = i
		}
	}
	var missing []string
	for i, c := range rp.columns {
		field, ok := index[c.Name]
		if !ok {
			missing = append(missing, c.Name)
		}
		fieldOf[i] = field
	}
	if len(missing) > 0 {
		noun := "column"
		if len(missing) > 1 {
			noun = "columns"
		}
		return nil, WithHint(Errorf(StateUndefinedColumn, "the row has no field for the training %s %s", noun, strings.Join(missing, ", ")),
			"Fields are matched to the training columns by name (extra fields are ignored): "+rp.describeColumns()+".")
	}
	return fieldOf, nil
}

// describeColumns lists the training columns with their kinds, in training order.
func (rp *RowPredictor) describeColumns() string {
	parts := make([]string, len(rp.columns))
	for i, c := range rp.columns {
		kind := "number"
		switch {
		case c.Kind == preprocess.Categorical:
			kind = "text"
		case c.Width > 1:
			kind = fmt.Sprintf("number[%d]", c.Width)
		}
		parts[i] = c.Name + " " + kind
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Assemble lays the row's fields (one per training column, in training order, as Match
// arranged them) out as the training matrix had them and preprocesses them into Features.
func (rp *RowPredictor) Assemble(fields []Field) error {
	cols := rp.columns
	if len(fields) != len(cols) {
		return WithHint(Errorf(StateInvalidParameter, "the model was trained on %d feature columns, the row has %d fields", len(cols), len(fields)),
			"Pass the feature columns in training order: "+rp.describeColumns()+".")
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
					// Unseen in training: a missing value, imputed as training imputed NULLs.
					if !rp.pipeline.Imputes(i) {
						return WithHint(Errorf(StateInvalidParameter, "column %s holds %s, a category not seen in training, and the model was trained without imputation for it", c.Name, quoteCategory(f.Text)),
							fmt.Sprintf(`Train with an imputer to treat unseen categories as missing, e.g. preprocess => '{"%s": {"impute": "mode"}}', or map the value to a known category.`, c.Name))
					}
					code = math.NaN()
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

// quoteCategory quotes a category for a message, shortened if long.
func quoteCategory(text []byte) string {
	const limit = 60
	s := string(text)
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit]) + "..."
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
