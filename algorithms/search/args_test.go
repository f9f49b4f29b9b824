package search

import (
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	for _, c := range []struct {
		raw    string
		search bool
		want   Args
		err    string // substring of the error; "" for none
	}{
		{raw: "", search: false, want: Args{CV: 1, NIter: 10}},
		{raw: "", search: true, want: Args{CV: 5, NIter: 10}},
		{raw: "null", search: true, want: Args{CV: 5, NIter: 10}},
		{raw: " {} ", search: false, want: Args{CV: 1, NIter: 10}},
		{raw: `{"cv": 3}`, search: true, want: Args{CV: 3, NIter: 10}},
		{raw: `{"cv": 3.0, "n_iter": 4}`, search: true, want: Args{CV: 3, NIter: 4}},
		{raw: `{"cv": 0}`, search: true, want: Args{CV: 0, NIter: 10}},
		{raw: `{"cv": 1}`, search: true, want: Args{CV: 1, NIter: 10}},
		{raw: `{"n_iter": 1}`, search: false, want: Args{CV: 1, NIter: 1}},
		{raw: `{"cv": 2.5}`, err: "cv must be an integer >= 0, got 2.5"},
		{raw: `{"cv": -1}`, err: "cv must be an integer >= 0, got -1"},
		{raw: `{"cv": "3"}`, err: `cv must be an integer >= 0, got "3"`},
		{raw: `{"cv": null}`, err: "cv must be an integer >= 0, got null"},
		{raw: `{"cv": 1e12}`, err: "cv must be an integer"},
		{raw: `{"n_iter": 0}`, err: "n_iter must be a positive integer, got 0"},
		{raw: `{"n_iter": 1.5}`, err: "n_iter must be a positive integer"},
		{raw: `{"n_iter": true}`, err: "n_iter must be a positive integer, got true"},
		{raw: `{"cv": 3, "folds": 2}`, err: `Unknown search_args => "folds": valid keys are cv and n_iter`},
		{raw: `{"zz": 1, "aa": 2}`, err: `Unknown search_args => "aa"`},
		{raw: `[1, 2]`, err: "search_args must be a JSON object, got [1,2]"},
		{raw: `3`, err: "search_args must be a JSON object"},
		{raw: `{"cv": 3`, err: "search_args is not valid JSON"},
		{raw: `{"cv": 3} {}`, err: "search_args is not valid JSON"},
		{raw: `{"cv": 1e400}`, err: `search_args key "cv" is out of range: 1e400 is beyond the range of double precision`},
	} {
		got, err := ParseArgs(c.raw, c.search)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseArgs(%q): error %v, want one containing %q", c.raw, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("ParseArgs(%q, %v): unexpected error %v", c.raw, c.search, err)
		case c.err == "" && got != c.want:
			t.Errorf("ParseArgs(%q, %v) = %+v, want %+v", c.raw, c.search, got, c.want)
		}
	}
}

func TestCheckMethod(t *testing.T) {
	for _, m := range []string{"", "grid", "random"} {
		if err := CheckMethod(m); err != nil {
			t.Errorf("CheckMethod(%q): %v", m, err)
		}
	}
	for _, m := range []string{"Grid", "bayesian", " grid"} {
		err := CheckMethod(m)
		want := "Unknown hyperparam search `" + m + "`, available options are: grid, random."
		if err == nil || err.Error() != want {
			t.Errorf("CheckMethod(%q) = %v, want %q", m, err, want)
		}
	}
}

func TestDescribeTruncatesOnRuneBoundary(t *testing.T) {
	s := describe(strings.Repeat("é", 100))
	if len(s) > 80 || !strings.HasSuffix(s, "...") {
		t.Errorf("describe gave %d bytes: %q", len(s), s)
	}
	if !strings.HasPrefix(s, `"éé`) || strings.ContainsRune(s, '\uFFFD') {
		t.Errorf("describe broke a rune: %q", s)
	}
}
