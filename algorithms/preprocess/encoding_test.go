package preprocess

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestMarshalRoundTrip(t *testing.T) {
	p, x := mixed(t, 100)
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var q Pipeline
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	b2, err := q.MarshalBinary()
	if err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("re-encoding differs: %v\n%s\n%s", err, b, b2)
	}
	if q.InputWidth() != p.InputWidth() || q.OutputWidth() != p.OutputWidth() || q.Identity() != p.Identity() {
		t.Errorf("widths %d→%d, want %d→%d", q.InputWidth(), q.OutputWidth(), p.InputWidth(), p.OutputWidth())
	}
	x.Data = append(x.Data, nan, nan, nan, nan, nan, 0, 1)
	x.Rows++
	want, err := p.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Data {
		if got.Data[i] != want.Data[i] {
			t.Fatalf("value %d: decoded pipeline gives %v, want %v", i, got.Data[i], want.Data[i])
		}
	}
	s1, _ := json.Marshal(p.Statistics())
	s2, _ := json.Marshal(q.Statistics())
	if !bytes.Equal(s1, s2) {
		t.Errorf("statistics differ:\n%s\n%s", s1, s2)
	}
	if c := q.Columns(); len(c) != 6 || c[3].Name != "size" || strings.Join(c[3].Categories, ",") != "L,M,S" {
		t.Errorf("Columns() = %+v", c)
	}

	// NaN statistics (an all NULL column imputed with zero) and NaN target
	// means (no NULL rows) survive as null.
	p2, err := Fit([]Column{num("a"), colors}, map[string]Spec{"a": {Impute: ImputeZero}, "color": {Encode: EncodeTarget, Impute: ImputeMode}},
		matrix(2, nan, 1, nan, 3), []float64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err = p2.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"min":null`)) || !bytes.Contains(b, []byte(`"target":[null,1,null,2]`)) {
		t.Errorf("encoding %s", b)
	}
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	row := make([]float64, 2)
	if err := q.TransformRow([]float64{nan, 2}, row); err != nil || row[0] != 0 || row[1] != 1 {
		// green has no training rows: the mode of the encoded values 1 2 is 1.
		t.Errorf("decoded pipeline: %v, %v", row, err)
	}
}

// mutate decodes a valid encoding, lets edit change it and re-encodes it.
func mutate(t *testing.T, b []byte, edit func(w map[string]any, cols []map[string]any)) []byte {
	t.Helper()
	var w map[string]any
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	var cols []map[string]any
	for _, c := range w["columns"].([]any) {
		cols = append(cols, c.(map[string]any))
	}
	edit(w, cols)
	out, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestUnmarshalRejects(t *testing.T) {
	p, _ := mixed(t, 50)
	valid, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// Columns: price, vec, color (one_hot), size (ordinal), brand (target), flag.
	for _, tc := range []struct {
		name string
		edit func(w map[string]any, c []map[string]any)
		want string
	}{
		{"format", func(w map[string]any, c []map[string]any) { w["format"] = "pgml.model" }, `format is "pgml.model"`},
		{"version", func(w map[string]any, c []map[string]any) { w["version"] = 2 }, "unsupported version 2"},
		{"unknown field", func(w map[string]any, c []map[string]any) { c[0]["extra"] = 1 }, `unknown field "extra"`},
		{"no columns", func(w map[string]any, c []map[string]any) { w["columns"] = []any{} }, "at least one column"},
		{"kind", func(w map[string]any, c []map[string]any) { c[0]["kind"] = "text" }, `unknown column kind "text"`},
		{"duplicate", func(w map[string]any, c []map[string]any) { c[1]["name"] = "price" }, `column "price" appears twice`},
		{"width", func(w map[string]any, c []map[string]any) { c[1]["width"] = 3 }, "2 statistics for width 3"},
		{"huge width", func(w map[string]any, c []map[string]any) { c[1]["width"] = 1 << 60 }, "statistics for width"},
		{"statistics", func(w map[string]any, c []map[string]any) { c[0]["statistics"] = nil }, "0 statistics for width 1"},
		{"statistic", func(w map[string]any, c []map[string]any) {
			delete(c[0]["statistics"].([]any)[0].(map[string]any), "mean")
		}, "a field is missing"},
		{"spec", func(w map[string]any, c []map[string]any) {
			c[0]["preprocess"] = map[string]any{"impute": "avg"}
		}, `unknown impute "avg"`},
		{"spec for kind", func(w map[string]any, c []map[string]any) {
			c[0]["preprocess"] = map[string]any{"encode": "one_hot"}
		}, "It does not make sense"},
		{"ordinal", func(w map[string]any, c []map[string]any) {
			c[3]["categories"] = []any{"L", "M", "S", "XXL"}
		}, `value is not present in ordinal: "XXL"`},
		{"target length", func(w map[string]any, c []map[string]any) { c[4]["target"] = []any{1, 2} }, "2 target means for 4 categories and NULL"},
		{"stray target", func(w map[string]any, c []map[string]any) { c[0]["target"] = []any{1} }, "target means without target encoding"},
		{"missing fill", func(w map[string]any, c []map[string]any) {
			c[0]["statistics"].([]any)[0].(map[string]any)["median"] = nil
		}, "cannot impute the median"},
		{"one_hot fill", func(w map[string]any, c []map[string]any) {
			c[2]["statistics"].([]any)[0].(map[string]any)["mode"] = 9
		}, "holds 9, which is not a category code"},
		{"scale count", func(w map[string]any, c []map[string]any) { c[2]["scale"] = []any{1, 1} }, "3 centres and 2 scales for 3 output columns"},
		{"zero scale", func(w map[string]any, c []map[string]any) { c[0]["scale"] = []any{0} }, "invalid scaling"},
		{"negative scale", func(w map[string]any, c []map[string]any) { c[0]["scale"] = []any{-1} }, "invalid scaling"},
		{"stray scale", func(w map[string]any, c []map[string]any) { c[5]["center"] = []any{1} }, "scaling values without scaling"},
		{"missing scale", func(w map[string]any, c []map[string]any) { delete(c[1], "scale") }, "2 centres and 0 scales"},
	} {
		var q Pipeline
		err := q.UnmarshalBinary(mutate(t, valid, tc.edit))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want %q", tc.name, err, tc.want)
		}
		if q.cols != nil {
			t.Errorf("%s: a failed decoding changed the pipeline", tc.name)
		}
	}
	for n := 0; n < len(valid); n++ {
		var q Pipeline
		if q.UnmarshalBinary(valid[:n]) == nil {
			t.Fatalf("accepted the first %d bytes", n)
		}
	}
	for _, bad := range []string{"", "garbage", "null", "[]", "{}", string(valid) + "{}", string(valid) + "x"} {
		var q Pipeline
		if err := q.UnmarshalBinary([]byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "preprocess: decoding pipeline: ") {
			t.Errorf("UnmarshalBinary(%.20q) error = %v", bad, err)
		}
	}
	// Trailing white space is still one value.
	var q Pipeline
	if err := q.UnmarshalBinary(append(append([]byte(nil), valid...), '\n')); err != nil {
		t.Errorf("trailing newline: %v", err)
	}
	if _, err := new(Pipeline).MarshalBinary(); err == nil {
		t.Error("an unfitted pipeline encoded")
	}
}

func TestJSONFloat(t *testing.T) {
	var f jsonFloat
	for _, bad := range []string{`1e999`, `"1"`, `true`} {
		if err := f.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("UnmarshalJSON(%s) = %v", bad, f)
		}
	}
	if _, err := jsonFloat(math.Inf(1)).MarshalJSON(); err == nil {
		t.Error("infinity encoded")
	}
}
