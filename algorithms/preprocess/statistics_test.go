package preprocess

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

func statsSlice(s Statistics) []float64 {
	return []float64{s.Min, s.Max, s.MaxAbs, s.Mean, s.Median, s.Mode, s.Variance, s.StdDev,
		float64(s.Missing), float64(s.Distinct), s.P25, s.P75}
}

// The expected values were computed with numpy 1.24.2 over the non-NaN
// values v of each position: v.min(), v.max(), np.abs(v).max(), v.mean(),
// np.median(v), the first of np.unique(v, return_counts=True) with the
// largest count, v.var(), v.std(), the NaN count, len(np.unique(v)),
// np.percentile(v, 25) and np.percentile(v, 75).
func TestStatisticsAgainstNumpy(t *testing.T) {
	pos0 := []float64{3.5, -1, 2, 2, nan, 7.25, 0, 2, -1, 10, nan, -1, 0.1}
	pos1 := []float64{1e9 + 0.1, 1e9 + 0.2, nan, 1e9 + 0.3, 1e9 + 0.7, 5, 5, -3.25, 0.5, nan, nan, 12, -7}
	want := []Statistics{
		// -1 and 2 both appear three times: the mode is the smaller.
		{Min: -1, Max: 10, MaxAbs: 10, Mean: 2.1681818181818184, Median: 2, Mode: -1,
			Variance: 11.646487603305786, StdDev: 3.4126950645063188, Missing: 2, Distinct: 7, P25: -0.5, P75: 2.75},
		{Min: -7, Max: 1000000000.7, MaxAbs: 1000000000.7, Mean: 400000001.355, Median: 8.5, Mode: 5,
			Variance: 2.3999999917600006e+17, StdDev: 489897947.7156442, Missing: 3, Distinct: 9, P25: 1.625, P75: 1000000000.1750001},
	}
	cols := []Column{{Name: "v", Kind: Numeric, Width: 2}}
	x := matrix(2)
	for i := range pos0 {
		x.Data = append(x.Data, pos0[i], pos1[i])
	}
	x.Rows = len(pos0)
	p, err := Fit(cols, map[string]Spec{"v": {Impute: ImputeZero}}, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := p.Statistics()
	if len(st) != 1 || st[0].Name != "v" || st[0].Kind != Numeric || st[0].Width != 2 || len(st[0].Positions) != 2 {
		t.Fatalf("Statistics() = %+v", st)
	}
	for j, w := range want {
		if got := st[0].Positions[j]; !sameFloats(statsSlice(got), statsSlice(w), 1e-14) {
			t.Errorf("position %d:\n got %+v\nwant %+v", j, got, w)
		}
	}
}

func TestStatisticsSmall(t *testing.T) {
	for _, tc := range []struct {
		values []float64
		want   Statistics
	}{
		// numpy: 4 1 3 → median 3, p25 2, p75 3.5, var 14/9.
		{[]float64{4, 1, 3}, Statistics{Min: 1, Max: 4, MaxAbs: 4, Mean: 8.0 / 3, Median: 3, Mode: 1,
			Variance: 14.0 / 9, StdDev: math.Sqrt(14.0 / 9), Distinct: 3, P25: 2, P75: 3.5}},
		{[]float64{-5, nan}, Statistics{Min: -5, Max: -5, MaxAbs: 5, Mean: -5, Median: -5, Mode: -5,
			Variance: 0, StdDev: 0, Missing: 1, Distinct: 1, P25: -5, P75: -5}},
		{[]float64{nan, nan}, Statistics{Min: nan, Max: nan, MaxAbs: nan, Mean: nan, Median: nan, Mode: nan,
			Variance: nan, StdDev: nan, Missing: 2, P25: nan, P75: nan}},
	} {
		got, _ := describe(tc.values, nil)
		if !sameFloats(statsSlice(got), statsSlice(tc.want), 1e-15) {
			t.Errorf("describe(%v) =\n %+v, want\n %+v", tc.values, got, tc.want)
		}
	}
}

func TestCategoricalStatistics(t *testing.T) {
	// Native statistics are of the codes 1 3 3 0 2 3; target statistics
	// of the encoded values 10 30 30 5 7 30.
	p, err := Fit([]Column{colors, {Name: "c2", Kind: Categorical, Width: 1, Categories: colors.Categories}},
		map[string]Spec{"c2": {Encode: EncodeTarget}},
		matrix(2, 1, 1, 3, 3, 3, 3, 0, 0, 2, 2, 3, 3), colorTarget)
	if err != nil {
		t.Fatal(err)
	}
	st := p.Statistics()
	if got := st[0]; got.Kind != Categorical || strings.Join(got.Categories, ",") != "blue,green,red" ||
		got.Positions[0].Mode != 3 || got.Positions[0].Distinct != 4 || got.Positions[0].Mean != 2 {
		t.Errorf("native statistics %+v", got)
	}
	if got := st[1].Positions[0]; got.Min != 5 || got.Max != 30 || got.Median != 20 || got.Distinct != 4 {
		t.Errorf("target statistics %+v", got)
	}
	if st[1].Preprocess.Encode != EncodeTarget {
		t.Errorf("statistics carry spec %+v", st[1].Preprocess)
	}
	// The copy is the caller's.
	st[0].Categories[0] = "changed"
	st[0].Positions[0].Mode = -1
	if again := p.Statistics(); again[0].Categories[0] != "blue" || again[0].Positions[0].Mode != 3 || p.Columns()[0].Categories[0] != "blue" {
		t.Error("Statistics shares storage with the pipeline")
	}
}

func TestStatisticsJSON(t *testing.T) {
	st := []Statistics{
		{Min: -1, Max: 2, MaxAbs: 2, Mean: 0.5, Median: 0.25, Mode: -1, Variance: 2.25, StdDev: 1.5, Missing: 3, Distinct: 2, P25: 0.1, P75: 1e-300},
		{Min: nan, Max: nan, MaxAbs: nan, Mean: nan, Median: nan, Mode: nan, Variance: nan, StdDev: nan, Missing: 4, P25: nan, P75: nan},
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"min":-1,"max":2,"max_abs":2,"mean":0.5,"median":0.25,"mode":-1,"variance":2.25,"std_dev":1.5,"missing":3,"distinct":2,"p25":0.1,"p75":1e-300},` +
		`{"min":null,"max":null,"max_abs":null,"mean":null,"median":null,"mode":null,"variance":null,"std_dev":null,"missing":4,"distinct":0,"p25":null,"p75":null}]`
	if string(b) != want {
		t.Errorf("Marshal =\n%s, want\n%s", b, want)
	}
	var back []Statistics
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for i := range st {
		if !sameFloats(statsSlice(back[i]), statsSlice(st[i]), 0) {
			t.Errorf("round trip %+v, want %+v", back[i], st[i])
		}
	}
	for _, bad := range []string{
		`{"min":1}`,
		strings.Replace(want[1:strings.Index(want, "},")+1], `"p75":1e-300`, `"p75":1e999`, 1),
		strings.Replace(want[1:strings.Index(want, "},")+1], `"missing":3`, `"missing":-3`, 1),
		strings.Replace(want[1:strings.Index(want, "},")+1], `"min":-1`, `"min":-1,"extra":2`, 1),
		strings.Replace(want[1:strings.Index(want, "},")+1], `"min":-1`, `"min":"-1"`, 1),
	} {
		var s Statistics
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("Unmarshal(%s) accepted it", bad)
		}
	}
	cs, err := json.Marshal(ColumnStatistics{Name: "c", Kind: Categorical, Width: 1, Categories: []string{"x"}, Positions: st[:1]})
	if err != nil || !strings.HasPrefix(string(cs), `{"name":"c","kind":"categorical","width":1,"categories":["x"],"preprocess":{"impute":"error","encode":"native","scale":"preserve"},"positions":[{"min":-1,`) {
		t.Errorf("ColumnStatistics JSON = %s, %v", cs, err)
	}
}

func TestQuantile(t *testing.T) {
	// numpy.percentile([1, 2, 4, 8, 16], q) for q = 0, 10, 25, 50, 90, 100.
	s := []float64{1, 2, 4, 8, 16}
	for _, tc := range []struct{ q, want float64 }{
		{0, 1}, {0.1, 1.4}, {0.25, 2}, {0.5, 4}, {0.9, 12.8}, {1, 16},
	} {
		if got := quantile(s, tc.q); math.Abs(got-tc.want) > 1e-14 {
			t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := quantile([]float64{7}, 0.75); got != 7 {
		t.Errorf("quantile of one value = %v", got)
	}
}

// Values near the ends of float64 must give statistics that JSON can hold
// (finite, but a variance beyond float64 is written in decimal), and the usual ones exactly
// what they gave before scaling was introduced.
func TestDescribeHugeValues(t *testing.T) {
	for _, values := range [][]float64{
		{1e300, -1e300, 3e300},
		{math.MaxFloat64, -math.MaxFloat64},
		{9.2e18, 9.2e18, -9.2e18, 1},
	} {
		st, _ := describe(values, nil)
		if _, err := json.Marshal(st); err != nil {
			t.Errorf("%v: %v", values, err)
		}
		for _, v := range []float64{st.Mean, st.StdDev, st.Median, st.P25, st.P75} {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				t.Errorf("%v: statistics %+v are not finite", values, st)
			}
		}
	}
	st, _ := describe([]float64{1, 2, 3, 4}, nil)
	if st.Mean != 2.5 || st.Variance != 1.25 {
		t.Errorf("mean %v variance %v, want 2.5 and 1.25", st.Mean, st.Variance)
	}
}

func TestDescribeIndicatorMatchesDescribe(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 7, 10, 101} {
		for ones := 0; ones <= n; ones++ {
			values := make([]float64, n)
			for i := n - ones; i < n; i++ {
				values[i] = 1
			}
			want, _ := describe(values, nil)
			got := describeIndicator(ones, n)
			w, g := statsSlice(want), statsSlice(got)
			for i := range w {
				if math.Abs(w[i]-g[i]) > 1e-15 {
					t.Fatalf("%d ones of %d: %+v, want %+v", ones, n, got, want)
				}
			}
		}
	}
}

// Large finite values are data like any other: bigint near 2^63, numeric 1e300. Their
// statistics are finite, except a variance beyond double precision, which is written as the
// decimal JSON number it is and read back as +Inf. Expected means and standard deviations are
// numpy's (np.mean, np.std), on values divided by 1e300 where numpy's own sums overflow.
func TestStatisticsOfHugeValues(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float64
		mean   float64
		stdDev float64
	}{
		{"bigint near 2^63", []float64{9223372036854775807, -9223372036854775807, 9223372036854774784}, 3.0744573456182584e18, 8.695878550221855e18},
		{"1e300", []float64{1e300, 2e300, 3e300}, 2e300, 8.16496580927726e299},
		{"sum beyond the largest double", []float64{1.5e308, 1.7e308, 1.6e308}, 1.6000000000000002e308, 8.164965809277249e306},
		{"the whole range", []float64{-1.7976931348623157e308, 1.7976931348623157e308}, 0, 1.7976931348623157e308},
	} {
		st, _ := describe(tc.values, nil)
		if !sameFloats([]float64{st.Mean, st.StdDev}, []float64{tc.mean, tc.stdDev}, 1e-14) {
			t.Errorf("%s: mean %v, std_dev %v; want %v, %v", tc.name, st.Mean, st.StdDev, tc.mean, tc.stdDev)
		}
		for _, v := range statsSlice(st) {
			if math.IsNaN(v) || math.IsInf(v, 0) && v != st.Variance {
				t.Errorf("%s: a statistic is %v: %+v", tc.name, v, st)
			}
		}
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var back Statistics
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: reading back %s: %v", tc.name, b, err)
		}
		if !sameFloats(statsSlice(back), statsSlice(st), 1e-12) {
			t.Errorf("%s: round trip through %s gave %+v, want %+v", tc.name, b, back, st)
		}
		if math.IsInf(st.Variance, 1) {
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			// (std_dev)² in decimal, e.g. 8.16496580927726e299² = 6.666…e599; numpy says inf.
			if want := math.Pow(tc.stdDev/math.Pow(10, math.Floor(math.Log10(tc.stdDev))), 2); !strings.HasPrefix(string(raw["variance"]), strconv.FormatFloat(want, 'f', 4, 64)[:5]) &&
				!strings.HasPrefix(string(raw["variance"]), strconv.FormatFloat(want/10, 'f', 4, 64)[:5]) {
				t.Errorf("%s: variance written as %s, want the square of %v", tc.name, raw["variance"], tc.stdDev)
			}
		}
	}
}

// A pipeline scaling huge values fits, encodes and decodes.
func TestPipelineOfHugeValues(t *testing.T) {
	x := matrix(2, 1e300, 9223372036854775807, 2e300, -9223372036854775807, 3e300, 9223372036854774784)
	for _, scale := range []Scale{ScaleStandard, ScaleMinMax, ScaleMaxAbs, ScaleRobust} {
		cols := []Column{{Name: "huge", Kind: Numeric, Width: 1}, {Name: "big", Kind: Numeric, Width: 1}}
		p, err := Fit(cols, map[string]Spec{"huge": {Scale: scale}, "big": {Scale: scale}}, x, nil)
		if err != nil {
			t.Fatalf("scale %v: %v", scale, err)
		}
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("scale %v: encoding: %v", scale, err)
		}
		var q Pipeline
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatalf("scale %v: decoding %s: %v", scale, b, err)
		}
	}
}
