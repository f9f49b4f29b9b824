package preprocess

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

var nan = math.NaN()

func num(name string) Column { return Column{Name: name, Kind: Numeric, Width: 1} }

// colors has the codes NULL 0, blue 1, green 2, red 3.
var colors = Column{Name: "color", Kind: Categorical, Width: 1, Categories: []string{"blue", "green", "red"}}

func matrix(cols int, data ...float64) algorithms.Matrix {
	return algorithms.Matrix{Rows: len(data) / cols, Cols: cols, Data: data}
}

// sameFloats compares with a relative tolerance; NaN equals NaN.
func sameFloats(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if math.IsNaN(g) || math.IsNaN(w) {
			if math.IsNaN(g) != math.IsNaN(w) {
				return false
			}
			continue
		}
		if math.Abs(g-w) > tol*math.Max(1, math.Abs(w)) {
			return false
		}
	}
	return true
}

// fitTransform fits on x and returns the transformed training rows and the
// transform of each row of later.
func fitTransform(t *testing.T, cols []Column, specs map[string]Spec, x algorithms.Matrix, target []float64, later ...[]float64) (*Pipeline, []float64, [][]float64) {
	t.Helper()
	p, err := Fit(cols, specs, x, target)
	if err != nil {
		t.Fatalf("Fit: %v", err)
	}
	out, err := p.Transform(x)
	if err != nil {
		t.Fatalf("Transform: %v", err)
	}
	var rows [][]float64
	for _, src := range later {
		dst := make([]float64, p.OutputWidth())
		if err := p.TransformRow(src, dst); err != nil {
			t.Fatalf("TransformRow(%v): %v", src, err)
		}
		rows = append(rows, dst)
	}
	return p, out.Data, rows
}

func TestImputeNumeric(t *testing.T) {
	// Known values 1, 3, 4, 4: mean 3, median 3.5, mode 4, min 1, max 4.
	x := matrix(1, 1, nan, 3, 4, 4)
	for _, tc := range []struct {
		impute Impute
		want   float64
	}{
		{ImputeMean, 3},
		{ImputeMedian, 3.5},
		{ImputeMode, 4},
		{ImputeMin, 1},
		{ImputeMax, 4},
		{ImputeZero, 0},
	} {
		specs := map[string]Spec{"a": {Impute: tc.impute}}
		_, got, later := fitTransform(t, []Column{num("a")}, specs, x, nil, []float64{nan}, []float64{-2})
		want := []float64{1, tc.want, 3, 4, 4}
		if !sameFloats(got, want, 0) || later[0][0] != tc.want || later[1][0] != -2 {
			t.Errorf("impute %s: training %v, later %v, want %v, %v and -2", tc.impute, got, later, want, tc.want)
		}
	}
}

func TestArrayImputeAndScale(t *testing.T) {
	// Position 0 knows 1, 3, 5 (mean 3), position 1 knows 10, 20, 30 (mean
	// 20). After imputation they are 1 3 3 5 (std √2) and 10 20 20 30
	// (std √50), so every outer row scales to ±√2.
	cols := []Column{{Name: "v", Kind: Numeric, Width: 2}}
	x := matrix(2,
		1, 10,
		nan, 20,
		3, nan,
		5, 30)
	specs := map[string]Spec{"v": {Impute: ImputeMean, Scale: ScaleStandard}}
	p, got, later := fitTransform(t, cols, specs, x, nil, []float64{nan, nan}, []float64{7, 0})
	s := math.Sqrt2
	want := []float64{-s, -s, 0, 0, 0, 0, s, s}
	if !sameFloats(got, want, 1e-15) {
		t.Errorf("training rows = %v, want %v", got, want)
	}
	if !sameFloats(later[0], []float64{0, 0}, 1e-15) || !sameFloats(later[1], []float64{4 / s, -20 / math.Sqrt(50)}, 1e-15) {
		t.Errorf("later rows = %v", later)
	}
	st := p.Statistics()[0].Positions
	if st[0].Mean != 3 || st[0].Missing != 1 || st[1].Mean != 20 || st[1].Missing != 1 {
		t.Errorf("position statistics = %+v", st)
	}
}

func TestScale(t *testing.T) {
	for _, tc := range []struct {
		name  string
		train []float64
		scale Scale
		in    float64
		want  float64
	}{
		// 1 2 3 4: mean 2.5, population std √1.25, p25 1.75, p75 3.25.
		{"preserve", []float64{1, 2, 3, 4}, ScalePreserve, 6, 6},
		{"standard", []float64{1, 2, 3, 4}, ScaleStandard, 6, 3.5 / math.Sqrt(1.25)},
		{"min_max", []float64{1, 2, 3, 4}, ScaleMinMax, 6, 5.0 / 3},
		{"max_abs", []float64{1, 2, 3, 4}, ScaleMaxAbs, 6, 1.5},
		{"max_abs negative", []float64{-8, 2}, ScaleMaxAbs, 4, 0.5},
		{"robust", []float64{1, 2, 3, 4}, ScaleRobust, 6, 3.5 / 1.5},
		// A zero spread only centres.
		{"standard constant", []float64{2, 2, 2}, ScaleStandard, 5, 3},
		{"min_max constant", []float64{2, 2, 2}, ScaleMinMax, 5, 3},
		{"max_abs constant", []float64{2, 2, 2}, ScaleMaxAbs, 5, 2.5},
		{"max_abs zero", []float64{0, 0}, ScaleMaxAbs, 5, 5},
		{"robust constant", []float64{2, 2, 2}, ScaleRobust, 5, 3},
		{"robust zero iqr", []float64{1, 2, 2, 2, 9}, ScaleRobust, 5, 3},
	} {
		specs := map[string]Spec{"a": {Scale: tc.scale}}
		_, _, later := fitTransform(t, []Column{num("a")}, specs, matrix(1, tc.train...), nil, []float64{tc.in})
		if !sameFloats(later[0], []float64{tc.want}, 1e-15) {
			t.Errorf("%s: %v → %v, want %v", tc.name, tc.in, later[0][0], tc.want)
		}
	}
}

func TestScaleAfterImputation(t *testing.T) {
	// The known values range over 1..3, the imputed ones over 0..3.
	specs := map[string]Spec{"a": {Impute: ImputeZero, Scale: ScaleMinMax}}
	_, got, _ := fitTransform(t, []Column{num("a")}, specs, matrix(1, 1, nan, 3), nil)
	if want := []float64{1.0 / 3, 0, 1}; !sameFloats(got, want, 1e-15) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// Training codes blue, red, red, NULL, green, red with targets 10 20 30 5 7 40.
var (
	colorCodes  = matrix(1, 1, 3, 3, 0, 2, 3)
	colorTarget = []float64{10, 20, 30, 5, 7, 40}
)

func TestEncode(t *testing.T) {
	ordinal := []string{"red", "purple", "green", "blue"} // blue 4, green 3, red 1
	for _, tc := range []struct {
		name  string
		spec  Spec
		want  []float64 // training rows
		later [][2][]float64
	}{
		{"native", Spec{}, []float64{1, 3, 3, 0, 2, 3},
			[][2][]float64{{{0}, {0}}, {{2}, {2}}}},
		{"native mode", Spec{Impute: ImputeMode}, []float64{1, 3, 3, 0, 2, 3},
			[][2][]float64{{{nan}, {3}}}},
		{"native zero", Spec{Impute: ImputeZero}, []float64{1, 3, 3, 0, 2, 3},
			[][2][]float64{{{nan}, {0}}}},
		// blue 10, red (20+30+40)/3, NULL 5, green 7; encoded training
		// values 5 7 10 30 30 30: mean 112/6, median 20.
		{"target mean", Spec{Encode: EncodeTarget, Impute: ImputeMean}, []float64{10, 30, 30, 5, 7, 30},
			[][2][]float64{{{nan}, {112.0 / 6}}, {{0}, {5}}, {{2}, {7}}}},
		{"target median", Spec{Encode: EncodeTarget, Impute: ImputeMedian}, []float64{10, 30, 30, 5, 7, 30},
			[][2][]float64{{{nan}, {20}}}},
		{"target min", Spec{Encode: EncodeTarget, Impute: ImputeMin}, nil, [][2][]float64{{{nan}, {5}}}},
		{"target max", Spec{Encode: EncodeTarget, Impute: ImputeMax}, nil, [][2][]float64{{{nan}, {30}}}},
		{"target mode", Spec{Encode: EncodeTarget, Impute: ImputeMode}, nil, [][2][]float64{{{nan}, {30}}}},
		{"target min_max", Spec{Encode: EncodeTarget, Scale: ScaleMinMax}, []float64{0.2, 1, 1, 0, 0.08, 1}, nil},
		{"one_hot", Spec{Encode: EncodeOneHot},
			[]float64{1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1},
			[][2][]float64{{{0}, {0, 0, 0}}, {{2}, {0, 1, 0}}}},
		{"one_hot mode", Spec{Encode: EncodeOneHot, Impute: ImputeMode}, nil,
			[][2][]float64{{{nan}, {0, 0, 1}}}},
		{"one_hot zero", Spec{Encode: EncodeOneHot, Impute: ImputeZero}, nil,
			[][2][]float64{{{nan}, {0, 0, 0}}}},
		// blue: 1 0 0 0 0 0, mean 1/6, std √5/6, so 1 → √5; red: 0 1 1 0
		// 0 1, mean and std 1/2, so 1 → 1 and 0 → -1.
		{"one_hot standard", Spec{Encode: EncodeOneHot, Scale: ScaleStandard}, nil,
			[][2][]float64{{{1}, {math.Sqrt(5), -1 / math.Sqrt(5), -1}}}},
		{"ordinal", Spec{Encode: EncodeOrdinal, Ordinal: ordinal}, []float64{4, 1, 1, 0, 3, 1},
			[][2][]float64{{{2}, {3}}}},
		// Encoded training values 0 1 1 1 3 4: the mode is 1 (red).
		{"ordinal mode", Spec{Encode: EncodeOrdinal, Ordinal: ordinal, Impute: ImputeMode}, nil,
			[][2][]float64{{{nan}, {1}}}},
		{"ordinal max_abs", Spec{Encode: EncodeOrdinal, Ordinal: ordinal, Scale: ScaleMaxAbs},
			[]float64{1, 0.25, 0.25, 0, 0.75, 0.25}, nil},
	} {
		var srcs [][]float64
		for _, l := range tc.later {
			srcs = append(srcs, l[0])
		}
		_, got, later := fitTransform(t, []Column{colors}, map[string]Spec{"color": tc.spec}, colorCodes, colorTarget, srcs...)
		if tc.want != nil && !sameFloats(got, tc.want, 1e-15) {
			t.Errorf("%s: training rows %v, want %v", tc.name, got, tc.want)
		}
		for i, l := range tc.later {
			if !sameFloats(later[i], l[1], 1e-15) {
				t.Errorf("%s: %v → %v, want %v", tc.name, l[0], later[i], l[1])
			}
		}
	}
}

func TestTargetWithoutNullRows(t *testing.T) {
	// NULL has no training rows, so target encoding has no mean for it.
	x, y := matrix(1, 1, 2, 2), []float64{1, 2, 4}
	_, got, later := fitTransform(t, []Column{colors}, map[string]Spec{"color": {Encode: EncodeTarget, Impute: ImputeZero}}, x, y, []float64{0}, []float64{3})
	if !sameFloats(got, []float64{1, 3, 3}, 0) || later[0][0] != 0 || later[1][0] != 0 {
		t.Errorf("training %v, NULL → %v, red → %v", got, later[0], later[1])
	}
	p, err := Fit([]Column{colors}, map[string]Spec{"color": {Encode: EncodeTarget}}, x, y)
	if err != nil {
		t.Fatal(err)
	}
	err = p.TransformRow([]float64{0}, make([]float64, 1))
	if err == nil || !strings.Contains(err.Error(), `column "color" holds a category without training rows, so target encoding has no mean for it`) {
		t.Errorf("NULL without training rows: %v", err)
	}
}

func TestOneHotWithoutCategories(t *testing.T) {
	empty := Column{Name: "e", Kind: Categorical, Width: 1}
	specs := map[string]Spec{"e": {Encode: EncodeOneHot}}
	_, got, later := fitTransform(t, []Column{num("a"), empty}, specs, matrix(2, 1, 0, 2, 0), nil, []float64{5, 0})
	if !sameFloats(got, []float64{1, 2}, 0) || !sameFloats(later[0], []float64{5}, 0) {
		t.Errorf("got %v and %v", got, later)
	}
	if _, err := Fit([]Column{empty}, specs, matrix(1, 0, 0), nil); err == nil || !strings.Contains(err.Error(), "leaves no features") {
		t.Errorf("Fit of nothing: %v", err)
	}
}

func TestIdentity(t *testing.T) {
	cols := []Column{num("a"), colors}
	x := matrix(2, 1.5, 1, -2, 0, 3, 3)
	p, got, _ := fitTransform(t, cols, map[string]Spec{"a": {}}, x, nil)
	if !p.Identity() || !sameFloats(got, x.Data, 0) {
		t.Errorf("Identity = %v, rows %v", p.Identity(), got)
	}
	for _, s := range []Spec{{Impute: ImputeZero}, {Scale: ScaleStandard}, {Encode: EncodeOneHot}} {
		p, err := Fit(cols, map[string]Spec{"color": s}, x, nil)
		if err != nil || p.Identity() {
			t.Errorf("%+v: Identity = %v, %v", s, p != nil && p.Identity(), err)
		}
	}
	if err := p.TransformRow([]float64{nan, 1}, make([]float64, 2)); err == nil {
		t.Error("an identity pipeline accepted a missing value")
	}
}

func TestFitErrors(t *testing.T) {
	price := []Column{num("price")}
	for _, tc := range []struct {
		name   string
		cols   []Column
		specs  map[string]Spec
		x      algorithms.Matrix
		target []float64
		want   string
	}{
		{"missing", price, nil, matrix(1, 1, nan, nan), nil,
			`2 missing values for price. You may provide a preprocessor to impute a value. e.g: pgml.train(preprocess => '{"price": {"impute": "mean"}}')`},
		{"missing in an array", []Column{{Name: "v", Kind: Numeric, Width: 2}}, nil, matrix(2, 1, nan, nan, 2), nil,
			`2 missing values for v. You may provide`},
		{"missing category", []Column{colors}, nil, matrix(1, 1, nan), nil,
			`1 missing values for color. You may provide a preprocessor to impute a value. e.g: pgml.train(preprocess => '{"color": {"impute": "mode"}}')`},
		{"missing with a quote", []Column{num(`it's "x"`)}, nil, matrix(1, nan), nil,
			`pgml.train(preprocess => '{"it''s \"x\"": {"impute": "mean"}}')`},
		{"nothing to impute", price, map[string]Spec{"price": {Impute: ImputeMedian}}, matrix(1, nan, nan), nil,
			`cannot impute the median for column "price": it has no values in the training data`},
		{"nothing to impute in an array", []Column{{Name: "v", Kind: Numeric, Width: 2}}, map[string]Spec{"v": {Impute: ImputeMean}}, matrix(2, 1, nan, 2, nan), nil,
			`cannot impute the mean for element 2 of column "v"`},
		{"infinite", price, nil, matrix(1, 1, math.Inf(1)), nil, `column "price" is +Inf at row 1`},
		{"code too large", []Column{colors}, nil, matrix(1, 4), nil,
			`row 0: column "color" holds 4, which is not a category code: want 0 for NULL, 1 to 3 for a category, or NaN for a value not seen in training`},
		{"fractional code", []Column{colors}, nil, matrix(1, 0, 1.5), nil, `holds 1.5, which is not a category code`},
		{"negative code", []Column{colors}, nil, matrix(1, -1), nil, `holds -1, which is not a category code`},
		{"no target", []Column{colors}, map[string]Spec{"color": {Encode: EncodeTarget}}, colorCodes, nil, `encode "target" needs a target`},
		{"unknown target", []Column{colors}, map[string]Spec{"color": {Encode: EncodeTarget}}, colorCodes, []float64{1, 2, nan, 4, 5, 6}, `needs a known target, but it is NaN at row 2`},
		{"short target", price, nil, matrix(1, 1, 2), []float64{1}, `target has 1 values for 2 training rows`},
		{"no rows", price, nil, matrix(1), nil, `at least one training row`},
		{"wrong width", price, nil, matrix(2, 1, 2), nil, `training data has 2 columns, but the features are 1 wide`},
		{"short data", price, nil, algorithms.Matrix{Rows: 3, Cols: 1, Data: []float64{1}}, nil, `training data is 3×1 but holds 1 values`},
		{"unknown column", price, map[string]Spec{"cost": {}}, matrix(1, 1), nil, `preprocess configures column "cost", which is not a feature`},
		{"invalid spec", price, map[string]Spec{"price": {Encode: EncodeOneHot}}, matrix(1, 1), nil, `It does not make sense to encode a continuous variable "price"`},
		{"invalid enum", price, map[string]Spec{"price": {Impute: 42}}, matrix(1, 1), nil, `invalid impute 42 for column "price"`},
		{"stray ordinal", []Column{colors}, map[string]Spec{"color": {Ordinal: []string{"red"}}}, colorCodes, nil, `an ordinal list is given for column "color", which is encoded with "native"`},
		{"no columns", nil, nil, matrix(1, 1), nil, `at least one column`},
	} {
		_, err := Fit(tc.cols, tc.specs, tc.x, tc.target)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Fit error = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestTransformErrors(t *testing.T) {
	cols := []Column{{Name: "v", Kind: Numeric, Width: 2}, colors}
	p, err := Fit(cols, nil, matrix(3, 1, 2, 1, 3, 4, 2), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		src  []float64
		dst  int
		want string
	}{
		{[]float64{1, nan, 1}, 3, `element 2 of column "v" is missing (NULL), and was trained with {"impute": "error"}. You may provide a preprocessor to impute a value when training. e.g: pgml.train(preprocess => '{"v": {"impute": "mean"}}')`},
		{[]float64{1, 2, nan}, 3, `column "color" holds a category not seen in training, and was trained with {"impute": "error"}. You may provide a preprocessor to impute a value when training. e.g: pgml.train(preprocess => '{"color": {"impute": "mode"}}')`},
		{[]float64{math.Inf(-1), 2, 1}, 3, `element 1 of column "v" is -Inf`},
		{[]float64{1, 2, 7}, 3, `column "color" holds 7, which is not a category code`},
		{[]float64{1, 2}, 3, `preprocess expects 3 values per row, got 2`},
		{[]float64{1, 2, 1}, 2, `preprocess writes 3 values per row, but the destination holds 2`},
	} {
		err := p.TransformRow(tc.src, make([]float64, tc.dst))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("TransformRow(%v) error = %v, want %q", tc.src, err, tc.want)
		}
	}
	if _, err := p.Transform(matrix(3, 1, 2, 1, 1, 2, nan)); err == nil || !strings.HasPrefix(err.Error(), `row 1: column "color" holds a category not seen`) {
		t.Errorf("Transform error = %v", err)
	}
	if _, err := p.Transform(matrix(2, 1, 2)); err == nil || !strings.Contains(err.Error(), "expects 3 columns, got 2") {
		t.Errorf("Transform of the wrong width: %v", err)
	}
	if _, err := p.Transform(algorithms.Matrix{Rows: 2, Cols: 3, Data: make([]float64, 3)}); err == nil || !strings.Contains(err.Error(), "2×3 but holds 3") {
		t.Errorf("Transform of a short matrix: %v", err)
	}
	if m, err := p.Transform(algorithms.Matrix{Cols: 3}); err != nil || m.Rows != 0 || m.Cols != 3 {
		t.Errorf("Transform of no rows = %+v, %v", m, err)
	}
}

// mixed builds a pipeline that uses every step, on random data with
// missing values, NULLs and an array column.
func mixed(t testing.TB, rows int) (*Pipeline, algorithms.Matrix) {
	cols := []Column{
		num("price"),
		{Name: "vec", Kind: Numeric, Width: 2},
		colors,
		{Name: "size", Kind: Categorical, Width: 1, Categories: []string{"L", "M", "S"}},
		{Name: "brand", Kind: Categorical, Width: 1, Categories: []string{"a", "b", "c", "d"}},
		num("flag"),
	}
	specs, ignored, err := ParseSpecs(`{
		"price": {"impute": "median", "scale": "robust"},
		"vec": {"impute": "mean", "scale": "standard"},
		"color": {"encode": "one_hot", "impute": "mode", "scale": "standard"},
		"size": {"encode": {"ordinal": ["S", "M", "L", "XL"]}, "impute": "zero", "scale": "min_max"},
		"brand": {"encode": "target", "impute": "mean", "scale": "max_abs"},
		"other": {}
	}`, cols)
	if err != nil || len(ignored) != 1 {
		t.Fatalf("ParseSpecs: %v, ignored %q", err, ignored)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := algorithms.Matrix{Rows: rows, Cols: 7, Data: make([]float64, rows*7)}
	y := make([]float64, rows)
	for r := 0; r < rows; r++ {
		row := x.Row(r)
		row[0] = rng.NormFloat64()*10 + 50
		row[1] = rng.Float64()
		row[2] = float64(rng.IntN(5)) - 2
		row[3] = float64(rng.IntN(4))
		row[4] = float64(rng.IntN(4))
		row[5] = float64(rng.IntN(5))
		row[6] = float64(rng.IntN(2))
		for _, j := range []int{0, 1, 2, 4} {
			if rng.IntN(10) == 0 {
				row[j] = nan
			}
		}
		y[r] = row[5]*3 + rng.Float64()
	}
	p, err := Fit(cols, specs, x, y)
	if err != nil {
		t.Fatalf("Fit: %v", err)
	}
	return p, x
}

func TestTransformMatchesTransformRow(t *testing.T) {
	p, x := mixed(t, 200)
	if p.InputWidth() != 7 || p.OutputWidth() != 1+2+3+1+1+1 {
		t.Fatalf("widths %d → %d", p.InputWidth(), p.OutputWidth())
	}
	// A row with every kind of gap: missing numbers, NULL and unseen
	// categories.
	x.Data = append(x.Data, nan, nan, nan, nan, nan, 0, 1)
	x.Rows++
	out, err := p.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float64, p.OutputWidth())
	for r := 0; r < x.Rows; r++ {
		if err := p.TransformRow(x.Row(r), dst); err != nil {
			t.Fatalf("row %d: %v", r, err)
		}
		for k, v := range dst {
			if v != out.Row(r)[k] || math.IsNaN(v) {
				t.Fatalf("row %d: TransformRow %v, Transform %v", r, dst, out.Row(r))
			}
		}
	}
	// Standardised training columns have mean 0 and variance 1.
	for _, k := range []int{1, 2, 3, 4, 5} {
		col := make([]float64, 200)
		for r := range col {
			col[r] = out.Row(r)[k]
		}
		st, _ := describe(col, nil)
		if math.Abs(st.Mean) > 1e-12 || math.Abs(st.Variance-1) > 1e-12 {
			t.Errorf("output column %d: mean %v, variance %v", k, st.Mean, st.Variance)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = p.TransformRow(x.Row(3), dst) }); n != 0 {
		t.Errorf("TransformRow allocates %v times", n)
	}
}

func TestOutputNames(t *testing.T) {
	arr := Column{Name: "v", Kind: Numeric, Width: 2}
	cols := []Column{num("a"), colors, arr, {Name: "shade", Kind: Categorical, Width: 1, Categories: []string{"dark"}}}
	specs := map[string]Spec{"color": {Encode: EncodeOneHot}}
	p, err := Fit(cols, specs, matrix(5, 1, 1, 0, 1, 1, 2, 2, 1, 2, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(p.OutputNames(), " ")
	if want := "a color=blue color=green color=red v[1] v[2] shade"; got != want || len(p.OutputNames()) != p.OutputWidth() {
		t.Errorf("names %q, want %q (width %d)", got, want, p.OutputWidth())
	}
}
