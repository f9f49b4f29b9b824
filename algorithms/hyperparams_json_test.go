package algorithms

import (
	"strings"
	"testing"
)

func TestDecodeHyperparams(t *testing.T) {
	huge := "1" + strings.Repeat("0", 400) // how jsonb writes 1e400
	for _, c := range []struct {
		json    string
		want    Hyperparams
		wantErr string // substring; "" means success
	}{
		{json: `{"n_estimators": 10, "booster": "gbtree", "fit_intercept": false}`,
			want: Hyperparams{"n_estimators": 10.0, "booster": "gbtree", "fit_intercept": false}},
		{json: `{"hidden_layer_sizes": [100, 50], "nested": {"a": 1.5}}`,
			want: Hyperparams{"hidden_layer_sizes": []any{100.0, 50.0}, "nested": map[string]any{"a": 1.5}}},
		{json: `null`, want: Hyperparams{}},
		{json: `{}`, want: Hyperparams{}},
		// Below the smallest double: zero, as JSON parsers read it.
		{json: `{"tol": 1e-400}`, want: Hyperparams{"tol": 0.0}},
		{json: `{"n_estimators": ` + huge + `}`, wantErr: `hyperparameter "n_estimators" is out of range: 100000000000… (a number of 401 digits) is beyond the range of double precision`},
		{json: `{"n_estimators": -1e400}`, wantErr: `hyperparameter "n_estimators" is out of range: -1e400 is beyond`},
		{json: `{"sizes": [1, 1e400]}`, wantErr: `hyperparameter "sizes" is out of range: 1e400`},
		{json: `[1]`, wantErr: `hyperparams must be a JSON object such as {"max_depth": 3}, got [1]`},
		{json: `"text"`, wantErr: `got "text"`},
		{json: strings.Repeat("[", 10001) + strings.Repeat("]", 10001), wantErr: "nested more than 10000 levels deep"},
	} {
		got, err := DecodeHyperparams(c.json)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("DecodeHyperparams(%.60s) error %v, want one containing %q", c.json, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("DecodeHyperparams(%s): %v", c.json, err)
			continue
		}
		if describeJSON(got) != describeJSON(c.want) {
			t.Errorf("DecodeHyperparams(%s) = %s, want %s", c.json, describeJSON(got), describeJSON(c.want))
		}
	}
}

// Messages quote the JSON the user wrote, never Go's %v of a map or a slice.
func TestDescribeIsJSON(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{map[string]any{"a": 1.0}, `{"a":1}`},
		{[]any{"uniform", 2.0}, `["uniform",2]`},
		{"a<b", `"a<b"`},
		{1e6, "1000000"},
		{nil, "null"},
		{true, "true"},
	} {
		if got := Describe(c.v); got != c.want {
			t.Errorf("Describe(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
	if got, want := QuoteList([]string{"uniform", "distance"}), `"uniform", "distance"`; got != want {
		t.Errorf("QuoteList = %s, want %s", got, want)
	}
}
