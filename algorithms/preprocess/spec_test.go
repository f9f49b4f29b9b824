package preprocess

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var specCols = []Column{
	{Name: "price", Kind: Numeric, Width: 1},
	{Name: "vec", Kind: Numeric, Width: 2},
	{Name: "color", Kind: Categorical, Width: 1, Categories: []string{"blue", "green", "red"}},
}

func TestParseSpecs(t *testing.T) {
	for _, tc := range []struct {
		raw     string
		want    map[string]Spec
		ignored []string
	}{
		{raw: "", want: map[string]Spec{}},
		{raw: "  null ", want: map[string]Spec{}},
		{raw: "{}", want: map[string]Spec{}},
		{
			raw: `{"price": {"impute": "median", "scale": "robust"}, "vec": {}, "zeta": {"scale": "standard"}, "Price": {}}`,
			want: map[string]Spec{
				"price": {Impute: ImputeMedian, Scale: ScaleRobust},
				"vec":   {},
			},
			ignored: []string{"Price", "zeta"},
		},
		{raw: `{"color": {"encode": "target", "impute": "mean", "scale": "min_max"}}`,
			want: map[string]Spec{"color": {Impute: ImputeMean, Encode: EncodeTarget, Scale: ScaleMinMax}}},
		{raw: `{"color": {"encode": "one_hot", "impute": "mode"}}`,
			want: map[string]Spec{"color": {Impute: ImputeMode, Encode: EncodeOneHot}}},
		{raw: `{"color": {"encode": "native", "impute": "zero", "scale": "max_abs"}}`,
			want: map[string]Spec{"color": {Impute: ImputeZero, Scale: ScaleMaxAbs}}},
		{raw: `{"color": {"encode": {"ordinal": ["red", "purple", "green", "blue"]}}}`,
			want: map[string]Spec{"color": {Encode: EncodeOrdinal, Ordinal: []string{"red", "purple", "green", "blue"}}}},
		{raw: `{"price": {"impute": "min"}, "vec": {"impute": "max", "scale": "standard"}}`,
			want: map[string]Spec{"price": {Impute: ImputeMin}, "vec": {Impute: ImputeMax, Scale: ScaleStandard}}},
		{raw: `{"price": {"impute": "mean"}, "price": {"impute": "zero"}}`, // jsonb keeps the last
			want: map[string]Spec{"price": {Impute: ImputeZero}}},
	} {
		specs, ignored, err := ParseSpecs(tc.raw, specCols)
		if err != nil {
			t.Errorf("ParseSpecs(%s): %v", tc.raw, err)
			continue
		}
		if !reflect.DeepEqual(specs, tc.want) || !reflect.DeepEqual(ignored, tc.ignored) {
			t.Errorf("ParseSpecs(%s) = %+v, %q, want %+v, %q", tc.raw, specs, ignored, tc.want, tc.ignored)
		}
	}
}

func TestParseSpecsErrors(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`[]`, `preprocess must be a JSON object keyed by column name, such as {"price": {"impute": "mean"}}, got []`},
		{`{"price": `, `preprocess is not valid JSON`},
		{`{"price": 1}`, `preprocess for column "price" must be a JSON object with the keys "impute", "encode" or "scale", such as {"impute": "mean"}, got 1`},
		{`{"price": null}`, `preprocess for column "price" must be a JSON object`},
		{`{"price": {"inpute": "mean"}}`, `unknown preprocess key "inpute" for column "price": allowed keys are "impute", "encode" and "scale"`},
		{`{"price": {"impute": "avg"}}`, `unknown impute "avg" for column "price": allowed values are "error", "mean", "median", "mode", "min", "max" and "zero"`},
		{`{"price": {"impute": "Mean"}}`, `unknown impute "Mean"`},
		{`{"price": {"impute": null}}`, `impute for column "price" must be one of "error", "mean", "median", "mode", "min", "max" and "zero", got null`},
		{`{"price": {"scale": "normal"}}`, `unknown scale "normal" for column "price": allowed values are "preserve", "standard", "min_max", "max_abs" and "robust"`},
		{`{"price": {"scale": ["standard"]}}`, `scale for column "price" must be one of`},
		{`{"color": {"encode": "label"}}`, `unknown encode "label" for column "color": allowed values are "native", "target", "one_hot" and {"ordinal": [`},
		{`{"color": {"encode": null}}`, `encode for column "color" must be one of "native", "target", "one_hot" and {"ordinal": [`},
		{`{"color": {"encode": "ordinal"}}`, `encode "ordinal" for column "color" needs the order of the values: {"encode": {"ordinal": [`},
		{`{"color": {"encode": {"onehot": []}}}`, `encode for column "color" must be one of`},
		{`{"color": {"encode": {"ordinal": [], "x": 1}}}`, `encode for column "color" must be one of`},
		{`{"color": {"encode": {"ordinal": "red"}}}`, `ordinal for column "color" must be an array of texts, got "red"`},
		{`{"color": {"encode": {"ordinal": ["red", null]}}}`, `ordinal for column "color" must be an array of texts, element 2 is null`},
		{`{"color": {"encode": {"ordinal": ["red", 3]}}}`, `element 2 is 3`},
		{`{"color": {"encode": {"ordinal": ["red", "red", "green", "blue"]}}}`, `ordinal for column "color" lists "red" twice`},
		{`{"color": {"encode": {"ordinal": ["red", "green"]}}}`, `column "color": value is not present in ordinal: "blue"`},
		{`{"price": {"encode": "one_hot"}}`, `It does not make sense to encode a continuous variable "price" with {"encode": "one_hot"}`},
		{`{"vec": {"encode": "target"}}`, `It does not make sense to encode a continuous variable "vec" with {"encode": "target"}`},
		{`{"price": {"encode": {"ordinal": []}}}`, `It does not make sense to encode a continuous variable "price" with {"encode": "ordinal"}`},
		{`{"color": {"impute": "mean"}}`, "You can not specify {\"impute\": \"mean\"} for a categorical variable unless it is also encoded using `target`: column \"color\" has no mean category. {\"impute\": \"mode\"} is a valid alternative"},
		{`{"color": {"impute": "median", "encode": "one_hot"}}`, "You can not specify {\"impute\": \"median\"} for a categorical variable unless it is also encoded using `target`"},
		{`{"color": {"impute": "min", "encode": {"ordinal": ["blue", "green", "red"]}}}`, "You can not specify {\"impute\": \"min\"}"},
		{`{"color": {"impute": "max"}}`, "You can not specify {\"impute\": \"max\"}"},
		// Ignored columns must still be well formed.
		{`{"nope": {"impute": "avg"}}`, `unknown impute "avg" for column "nope"`},
	} {
		_, _, err := ParseSpecs(tc.raw, specCols)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSpecs(%s) error = %v, want it to contain %q", tc.raw, err, tc.want)
		}
	}
}

func TestValidateColumns(t *testing.T) {
	for _, tc := range []struct {
		cols []Column
		want string
	}{
		{nil, "at least one column"},
		{[]Column{{Kind: Numeric, Width: 1}}, "column 1 has no name"},
		{[]Column{{Name: "a", Kind: Numeric, Width: 1}, {Name: "a", Kind: Numeric, Width: 1}}, `column "a" appears twice`},
		{[]Column{{Name: "a", Width: 1}}, `column "a" has an invalid kind 0`},
		{[]Column{{Name: "a", Kind: Numeric}}, `column "a" has width 0, want at least 1`},
		{[]Column{{Name: "a", Kind: Categorical, Width: 2}}, `categorical column "a" has width 2, want 1`},
		{[]Column{{Name: "a", Kind: Numeric, Width: 1, Categories: []string{"x"}}}, `numeric column "a" has categories`},
		{[]Column{{Name: "a", Kind: Categorical, Width: 1, Categories: []string{"x", "y", "x"}}}, `column "a" lists the category "x" twice`},
	} {
		_, _, err := ParseSpecs("", tc.cols)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSpecs(%+v) error = %v, want %q", tc.cols, err, tc.want)
		}
	}
}

func TestSpecJSON(t *testing.T) {
	for _, tc := range []struct {
		spec Spec
		want string
	}{
		{Spec{}, `{"impute":"error","encode":"native","scale":"preserve"}`},
		{Spec{Impute: ImputeMode, Encode: EncodeOneHot, Scale: ScaleRobust}, `{"impute":"mode","encode":"one_hot","scale":"robust"}`},
		{Spec{Encode: EncodeOrdinal, Ordinal: []string{"b", "a"}}, `{"impute":"error","encode":{"ordinal":["b","a"]},"scale":"preserve"}`},
		{Spec{Encode: EncodeOrdinal}, `{"impute":"error","encode":{"ordinal":[]},"scale":"preserve"}`},
	} {
		b, err := json.Marshal(tc.spec)
		if err != nil || string(b) != tc.want {
			t.Errorf("Marshal(%+v) = %s, %v, want %s", tc.spec, b, err, tc.want)
			continue
		}
		var back Spec
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("Unmarshal(%s): %v", b, err)
			continue
		}
		if tc.spec.Ordinal == nil && back.Ordinal != nil && len(back.Ordinal) == 0 {
			back.Ordinal = nil
		}
		if !reflect.DeepEqual(back, tc.spec) {
			t.Errorf("Unmarshal(%s) = %+v, want %+v", b, back, tc.spec)
		}
	}
	if _, err := json.Marshal(Spec{Scale: 9}); err == nil {
		t.Error("Marshal accepted an invalid scale")
	}
	var s Spec
	if err := json.Unmarshal([]byte(`{"impute": "avg"}`), &s); err == nil || !strings.Contains(err.Error(), `unknown impute "avg": allowed`) {
		t.Errorf("Unmarshal of an unknown impute: %v", err)
	}
}

func TestEnumStrings(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Numeric.String(), "numeric"},
		{Categorical.String(), "categorical"},
		{Kind(7).String(), "Kind(7)"},
		{ImputeZero.String(), "zero"},
		{Impute(-1).String(), "Impute(-1)"},
		{EncodeOneHot.String(), "one_hot"},
		{Encode(4).String(), "Encode(4)"},
		{ScaleMaxAbs.String(), "max_abs"},
		{Scale(5).String(), "Scale(5)"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
