package preprocess

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// Pipeline is a fitted preprocessing of every source column.
type Pipeline struct {
	cols              []fitted
	inWidth, outWidth int
	identity          bool
}

// fitted is one source column with what Fit learnt about it.
type fitted struct {
	Column
	spec  Spec
	stats []Statistics // per position
	// target holds, under EncodeTarget, the mean training target of each
	// code (0 is NULL); NaN for a code without training rows.
	target []float64
	// code maps a category code to its encoded value; nil for numeric and
	// one_hot columns, which keep the value.
	code []float64
	// fill replaces NaN per position; NaN under ImputeError. For one_hot it
	// is a code.
	fill []float64
	// center and scale map each output column to (v-center)/scale; nil
	// under ScalePreserve.
	center, scale []float64
	in, out       int // offsets in the input and output rows
	outWidth      int
}

// newPipeline lays out the columns; Fit and UnmarshalBinary fill in the
// fitted values.
func newPipeline(cols []Column, specs map[string]Spec) *Pipeline {
	p := &Pipeline{cols: make([]fitted, len(cols)), identity: true}
	for i, c := range cols {
		s := specs[c.Name]
		s.Ordinal = append([]string(nil), s.Ordinal...)
		c.Categories = append([]string(nil), c.Categories...)
		f := fitted{Column: c, spec: s, in: p.inWidth, out: p.outWidth, outWidth: c.Width}
		if s.Encode == EncodeOneHot {
			f.outWidth = len(c.Categories)
		}
		p.inWidth += f.Width
		p.outWidth += f.outWidth
		p.identity = p.identity && s.isDefault()
		p.cols[i] = f
	}
	return p
}

// buildCodes fills the code table from the spec and, under target
// encoding, f.target.
func (f *fitted) buildCodes() {
	if f.Kind != Categorical || f.spec.Encode == EncodeOneHot {
		return
	}
	f.code = make([]float64, len(f.Categories)+1)
	switch f.spec.Encode {
	case EncodeNative:
		for k := range f.code {
			f.code[k] = float64(k)
		}
	case EncodeOrdinal:
		pos := make(map[string]int, len(f.spec.Ordinal))
		for i, v := range f.spec.Ordinal {
			pos[v] = i + 1
		}
		for i, v := range f.Categories {
			f.code[i+1] = float64(pos[v])
		}
	case EncodeTarget:
		copy(f.code, f.target)
	}
}

// fillValue is the replacement for NaN that imp takes from st.
func fillValue(imp Impute, st Statistics) float64 {
	switch imp {
	case ImputeMean:
		return st.Mean
	case ImputeMedian:
		return st.Median
	case ImputeMode:
		return st.Mode
	case ImputeMin:
		return st.Min
	case ImputeMax:
		return st.Max
	case ImputeZero:
		return 0
	}
	return math.NaN()
}

// setFill derives the replacements from the statistics.
func (f *fitted) setFill() error {
	f.fill = make([]float64, f.Width)
	for j, st := range f.stats {
		f.fill[j] = fillValue(f.spec.Impute, st)
		if f.spec.Impute != ImputeError && math.IsNaN(f.fill[j]) {
			return fmt.Errorf("cannot impute the %s for %s: it has no values in the training data", f.spec.Impute, f.position(j))
		}
	}
	return nil
}

// scaleParams returns the affine map of one output column. A zero spread
// leaves the column centred, as scikit-learn's scalers do, instead of
// dividing by zero.
func scaleParams(s Scale, st Statistics) (center, scale float64) {
	switch s {
	case ScaleStandard:
		if st.Min == st.Max {
			// The computed mean of a constant may be off in the last bit.
			return st.Min, 1
		}
		center, scale = st.Mean, st.StdDev
	case ScaleMinMax:
		center, scale = st.Min, st.Max-st.Min
	case ScaleMaxAbs:
		center, scale = 0, st.MaxAbs
	case ScaleRobust:
		center, scale = st.Median, st.P75-st.P25
	default:
		return 0, 1
	}
	if !(scale > 0) || math.IsInf(scale, 0) {
		scale = 1
	}
	return center, scale
}

// Fit is FitContext without cancellation.
func Fit(cols []Column, specs map[string]Spec, x algorithms.Matrix, target []float64) (*Pipeline, error) {
	return FitContext(context.Background(), cols, specs, x, target)
}

// FitContext learns the preprocessing of x, whose columns are laid out as
// cols. specs, as returned by ParseSpecs, configures some columns; the
// others get the zero Spec. target holds one label per row and is only
// needed for target encoding; pass nil otherwise. It returns ctx.Err() once
// ctx is done (checked as rows are read and between sorts).
//
// Memory beyond x: three columns' worth of values (24 bytes a row) for the
// statistics of one position at a time, whatever the widths, and the
// fitted tables.
func FitContext(ctx context.Context, cols []Column, specs map[string]Spec, x algorithms.Matrix, target []float64) (*Pipeline, error) {
	if err := validateColumns(cols); err != nil {
		return nil, err
	}
	byName := make(map[string]Column, len(cols))
	for _, c := range cols {
		byName[c.Name] = c
	}
	needTarget := false
	for _, name := range sortedKeys(specs) {
		c, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("preprocess configures column %q, which is not a feature", name)
		}
		if err := validateSpec(c, specs[name]); err != nil {
			return nil, err
		}
		needTarget = needTarget || specs[name].Encode == EncodeTarget
	}
	p := newPipeline(cols, specs)
	switch {
	case x.Rows < 1:
		return nil, fmt.Errorf("preprocess needs at least one training row")
	case x.Cols != p.inWidth:
		return nil, fmt.Errorf("training data has %d columns, but the features are %d wide", x.Cols, p.inWidth)
	case len(x.Data) != x.Rows*x.Cols:
		return nil, fmt.Errorf("training data is %d×%d but holds %d values", x.Rows, x.Cols, len(x.Data))
	case p.outWidth == 0:
		return nil, fmt.Errorf("preprocess leaves no features: every one_hot column has no categories")
	case target != nil && len(target) != x.Rows:
		return nil, fmt.Errorf("target has %d values for %d training rows", len(target), x.Rows)
	}
	if needTarget {
		if target == nil {
			return nil, fmt.Errorf("encode \"target\" needs a target, and this training has none")
		}
		for r, y := range target {
			if math.IsNaN(y) || math.IsInf(y, 0) {
				return nil, fmt.Errorf("encode \"target\" needs a known target, but it is %v at row %d", y, r)
			}
		}
	}
	vals, buf := make([]float64, x.Rows), make([]float64, x.Rows)
	scratch := make([]float64, 0, x.Rows)
	check := cancel.New(ctx)
	if err := check.Err(); err != nil {
		return nil, err
	}
	for i := range p.cols {
		var err error
		if scratch, err = p.cols[i].fit(check, x, target, vals, scratch, buf); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (f *fitted) fit(check *cancel.Checker, x algorithms.Matrix, target, vals, scratch, buf []float64) ([]float64, error) {
	at := func(r, j int) float64 { return x.Data[r*x.Cols+f.in+j] }
	if f.Kind == Categorical {
		if err := check.Add(2 * x.Rows); err != nil {
			return nil, err
		}
		for r := 0; r < x.Rows; r++ {
			if v := at(r, 0); !math.IsNaN(v) {
				if _, ok := f.codeOf(v); !ok {
					return nil, fmt.Errorf("row %d: %w", r, f.codeError(v))
				}
			}
		}
		if f.spec.Encode == EncodeTarget {
			sums := make([]float64, len(f.Categories)+1)
			counts := make([]int, len(f.Categories)+1)
			for r := 0; r < x.Rows; r++ {
				if v := at(r, 0); !math.IsNaN(v) {
					sums[int(v)] += target[r]
					counts[int(v)]++
				}
			}
			f.target = make([]float64, len(sums))
			for k := range sums {
				f.target[k] = math.NaN()
				if counts[k] > 0 {
					f.target[k] = sums[k] / float64(counts[k])
				}
			}
		}
		f.buildCodes()
	}

	f.stats = make([]Statistics, f.Width)
	missing := 0
	for j := 0; j < f.Width; j++ {
		if err := check.Add(4 * x.Rows); err != nil {
			return nil, err
		}
		for r := range vals {
			v := at(r, j)
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s is %v at row %d: only finite values can be learnt from", f.position(j), v, r)
			}
			if f.code != nil && !math.IsNaN(v) {
				v = f.code[int(v)]
			}
			vals[r] = v
		}
		var err error
		if f.stats[j], scratch, err = describeChecked(check, vals, scratch, buf); err != nil {
			return nil, err
		}
		missing += f.stats[j].Missing
	}
	if missing > 0 && f.spec.Impute == ImputeError {
		return nil, fmt.Errorf("%d missing values for %s. You may provide a preprocessor to impute a value. e.g: %s", missing, f.Name, f.hint())
	}
	if err := f.setFill(); err != nil {
		return nil, err
	}

	if f.spec.Scale == ScalePreserve || f.outWidth == 0 {
		return scratch, nil
	}
	// Scale on the imputed, expanded training values, one output column at
	// a time: output column k of row r is computed from the row alone, so
	// no expanded copy of the column is needed.
	f.center = make([]float64, f.outWidth)
	f.scale = make([]float64, f.outWidth)
	if f.Kind == Categorical && f.code == nil {
		return scratch, f.fitOneHotScale(check, x)
	}
	row := make([]float64, f.outWidth)
	for k := range f.center {
		if err := check.Add(4 * x.Rows); err != nil {
			return nil, err
		}
		for r := range vals {
			if err := f.apply(x.Data[r*x.Cols+f.in:r*x.Cols+f.in+f.Width], row); err != nil {
				return nil, fmt.Errorf("row %d: %w", r, err)
			}
			vals[r] = row[k]
		}
		st, s, err := describeChecked(check, vals, scratch, buf)
		if err != nil {
			return nil, err
		}
		scratch = s
		f.center[k], f.scale[k] = scaleParams(f.spec.Scale, st)
	}
	return scratch, nil
}

// fitOneHotScale sets the scaling of a one_hot column's indicators from
// how often each category occurs (after imputation): the statistics of n
// values of which c are 1 and the others 0, without materialising them.
func (f *fitted) fitOneHotScale(check *cancel.Checker, x algorithms.Matrix) error {
	ones := make([]int, f.outWidth)
	row := make([]float64, f.outWidth)
	if err := check.Add(2 * x.Rows); err != nil {
		return err
	}
	for r := 0; r < x.Rows; r++ {
		if err := f.apply(x.Data[r*x.Cols+f.in:r*x.Cols+f.in+f.Width], row); err != nil {
			return fmt.Errorf("row %d: %w", r, err)
		}
		for k, v := range row {
			if v == 1 {
				ones[k]++
			}
		}
	}
	for k, c := range ones {
		f.center[k], f.scale[k] = scaleParams(f.spec.Scale, describeIndicator(c, x.Rows))
	}
	return nil
}

// codeOf returns v as a category code when it is one.
func (f *fitted) codeOf(v float64) (int, bool) {
	if !(v >= 0 && v <= float64(len(f.Categories))) || v != math.Trunc(v) {
		return 0, false
	}
	return int(v), true
}

func (f *fitted) codeError(v float64) error {
	return fmt.Errorf("column %q holds %v, which is not a category code: want 0 for NULL, 1 to %d for a category, or NaN for a value not seen in training",
		f.Name, v, len(f.Categories))
}

// position names element j of an array column, or the column.
func (f *fitted) position(j int) string {
	if f.Width == 1 {
		return fmt.Sprintf("column %q", f.Name)
	}
	return fmt.Sprintf("element %d of column %q", j+1, f.Name)
}

// hint is a pgml.train call that would impute f, ready to paste into SQL.
func (f *fitted) hint() string {
	imp := "mean"
	if f.Kind == Categorical && f.spec.Encode != EncodeTarget {
		imp = "mode" // the mean would be rejected
	}
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(f.Name) // a string always encodes
	spec := fmt.Sprintf(`{%s: {"impute": %q}}`, strings.TrimSpace(b.String()), imp)
	return fmt.Sprintf("pgml.train(preprocess => '%s')", strings.ReplaceAll(spec, "'", "''"))
}

// apply encodes and imputes one source value block into dst, without
// scaling.
func (f *fitted) apply(src, dst []float64) error {
	if f.Kind == Numeric {
		for j, v := range src {
			if math.IsNaN(v) {
				if v = f.fill[j]; math.IsNaN(v) {
					return fmt.Errorf("%s is missing (NULL), and was trained with {\"impute\": \"error\"}. You may provide a preprocessor to impute a value when training. e.g: %s", f.position(j), f.hint())
				}
			} else if math.IsInf(v, 0) {
				return fmt.Errorf("%s is %v: only finite values can be preprocessed", f.position(j), v)
			}
			dst[j] = v
		}
		return nil
	}
	v := src[0]
	if math.IsNaN(v) {
		if v = f.fill[0]; math.IsNaN(v) {
			return fmt.Errorf("column %q holds a category not seen in training, and was trained with {\"impute\": \"error\"}. You may provide a preprocessor to impute a value when training. e.g: %s", f.Name, f.hint())
		}
		if f.code != nil {
			dst[0] = v // fill is already an encoded value
			return nil
		}
	}
	k, ok := f.codeOf(v)
	if !ok {
		return f.codeError(v)
	}
	if f.code == nil { // one_hot
		clear(dst)
		if k > 0 {
			dst[k-1] = 1
		}
		return nil
	}
	if v = f.code[k]; math.IsNaN(v) {
		// Only target encoding leaves a code without value: the category
		// (or NULL) had no training rows.
		if v = f.fill[0]; math.IsNaN(v) {
			return fmt.Errorf("column %q holds a category without training rows, so target encoding has no mean for it, and was trained with {\"impute\": \"error\"}. You may provide a preprocessor to impute a value when training. e.g: %s", f.Name, f.hint())
		}
	}
	dst[0] = v
	return nil
}

// Imputes reports whether column i replaces a missing value (NULL, NaN, or
// a category not seen in training) instead of refusing it.
func (p *Pipeline) Imputes(i int) bool {
	f := &p.cols[i]
	return len(f.fill) > 0 && !math.IsNaN(f.fill[0])
}

// InputWidth is the number of values in an input row.
func (p *Pipeline) InputWidth() int { return p.inWidth }

// OutputWidth is the number of values in a transformed row: the features
// the model sees.
func (p *Pipeline) OutputWidth() int { return p.outWidth }

// Identity reports whether every column uses the defaults (impute error,
// encode native, scale preserve), so that Transform returns its input
// unchanged or fails. Callers that skip Transform on that ground must still
// reject NaN, infinities and invalid category codes themselves.
func (p *Pipeline) Identity() bool { return p.identity }

// TransformRow preprocesses one input row src into dst, which must hold
// OutputWidth values. It does not allocate unless it fails.
func (p *Pipeline) TransformRow(src, dst []float64) error {
	if len(src) != p.inWidth {
		return fmt.Errorf("preprocess expects %d values per row, got %d", p.inWidth, len(src))
	}
	if len(dst) != p.outWidth {
		return fmt.Errorf("preprocess writes %d values per row, but the destination holds %d", p.outWidth, len(dst))
	}
	for i := range p.cols {
		f := &p.cols[i]
		d := dst[f.out : f.out+f.outWidth]
		if err := f.apply(src[f.in:f.in+f.Width], d); err != nil {
			return err
		}
		if f.center != nil {
			for k, v := range d {
				d[k] = (v - f.center[k]) / f.scale[k]
			}
		}
	}
	return nil
}

// Transform preprocesses every row of x into a new matrix.
func (p *Pipeline) Transform(x algorithms.Matrix) (algorithms.Matrix, error) {
	out := algorithms.Matrix{Rows: x.Rows, Cols: p.outWidth}
	if x.Rows >= 0 && x.Rows <= len(x.Data) {
		out.Data = make([]float64, x.Rows*p.outWidth)
	}
	if err := p.TransformContext(context.Background(), out, x); err != nil {
		return algorithms.Matrix{}, err
	}
	return out, nil
}

// InPlace reports whether TransformContext may write into the matrix it
// reads: every column keeps its width and place (no one_hot expansion).
func (p *Pipeline) InPlace() bool {
	for _, f := range p.cols {
		if f.in != f.out || f.Width != f.outWidth {
			return false
		}
	}
	return true
}

// TransformContext preprocesses every row of x into dst (x.Rows rows of
// OutputWidth values), in chunks of rows that stop once ctx is done. dst
// may be x itself when InPlace, so that training data is preprocessed
// without a second copy.
func (p *Pipeline) TransformContext(ctx context.Context, dst, x algorithms.Matrix) error {
	switch {
	case x.Cols != p.inWidth:
		return fmt.Errorf("preprocess expects %d columns, got %d", p.inWidth, x.Cols)
	case x.Rows < 0 || len(x.Data) != x.Rows*x.Cols:
		return fmt.Errorf("matrix is %d×%d but holds %d values", x.Rows, x.Cols, len(x.Data))
	case dst.Rows != x.Rows || dst.Cols != p.outWidth || len(dst.Data) != dst.Rows*dst.Cols:
		return fmt.Errorf("destination is %d×%d holding %d values, want %d×%d", dst.Rows, dst.Cols, len(dst.Data), x.Rows, p.outWidth)
	case x.Rows > 0 && &dst.Data[0] == &x.Data[0] && !p.InPlace():
		return fmt.Errorf("preprocess cannot transform in place: one_hot columns change the row width")
	}
	return cancel.Chunks(ctx, x.Rows, func(lo, hi int) error {
		for r := lo; r < hi; r++ {
			if err := p.TransformRow(x.Row(r), dst.Data[r*p.outWidth:(r+1)*p.outWidth]); err != nil {
				return fmt.Errorf("row %d: %w", r, err)
			}
		}
		return nil
	})
}

// Columns returns the source columns, including the training categories
// needed to turn text into codes.
func (p *Pipeline) Columns() []Column {
	cols := make([]Column, len(p.cols))
	for i, f := range p.cols {
		cols[i] = f.Column
		cols[i].Categories = append([]string(nil), f.Categories...)
	}
	return cols
}

// Statistics returns the statistics of every source column, in order.
func (p *Pipeline) Statistics() []ColumnStatistics {
	out := make([]ColumnStatistics, len(p.cols))
	for i, f := range p.cols {
		s := f.spec
		s.Ordinal = append([]string(nil), s.Ordinal...)
		out[i] = ColumnStatistics{
			Name:       f.Name,
			Kind:       f.Kind,
			Width:      f.Width,
			Categories: append([]string(nil), f.Categories...),
			Preprocess: s,
			Positions:  append([]Statistics(nil), f.stats...),
		}
	}
	return out
}

// OutputNames names every output column, as feature importances show them: a column's
// name, name[i] (from 1) for the elements of an array column, and name=category for the
// indicators of a one_hot column.
func (p *Pipeline) OutputNames() []string {
	names := make([]string, 0, p.outWidth)
	for _, f := range p.cols {
		switch {
		case f.Kind == Categorical && f.spec.Encode == EncodeOneHot:
			for _, c := range f.Categories {
				names = append(names, f.Name+"="+c)
			}
		case f.Width == 1:
			names = append(names, f.Name)
		default:
			for j := 1; j <= f.Width; j++ {
				names = append(names, fmt.Sprintf("%s[%d]", f.Name, j))
			}
		}
	}
	return names
}
