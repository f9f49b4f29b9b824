package search

import (
	"encoding/json"
	"slices"
	"testing"
)

func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{"", "null", "{}", `{"cv": 3}`, `{"cv": 3.0, "n_iter": 4}`,
		`{"cv": 2.5}`, `{"cv": -1}`, `{"n_iter": 0}`, `{"foo": 1}`, `[1]`, `{"cv": 1e300}`, `{"cv":`} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, raw string, searchGiven bool) {
		args, err := ParseArgs(raw, searchGiven)
		if err != nil {
			return
		}
		if args.CV < 0 || args.NIter < 1 {
			t.Fatalf("ParseArgs(%q) = %+v", raw, args)
		}
	})
}

func FuzzCandidates(f *testing.F) {
	for _, s := range []struct {
		fixed, params, method string
		nIter                 int
	}{
		{`{"lr": 0.1}`, `{"b": [1, 2], "a": ["x", "y", "z"]}`, "grid", 10},
		{`{}`, `{"b": [1, 2], "a": ["x", "y", "z"]}`, "random", 2},
		{`{"a": 1}`, `{"a": [1]}`, "", 10},
		{`null`, `{"a": []}`, "random", 0},
		{`{}`, `{"a": 1}`, "grid", 10},
		{`{}`, `[[1]]`, "bayes", -5},
		{`{}`, `{"a": [[1], {"x": null}], "b": [true, false, null]}`, "random", 1 << 40},
		{`{}`, tooBig(64, 2), "random", 3},
		{`{}`, tooBig(4, 10), "grid", 3},
	} {
		f.Add(s.fixed, s.params, s.method, s.nIter, uint64(7))
	}
	f.Fuzz(func(t *testing.T, fixedJSON, params, method string, nIter int, seed uint64) {
		// Large n_iter only makes each run slower (TestCandidatesErrors
		// covers the limit); keep the fuzzer fast enough to explore.
		nIter %= 4096
		var fixed hp
		if json.Unmarshal([]byte(fixedJSON), &fixed) != nil {
			fixed = nil
		}
		cands, keys, err := Candidates(fixed, params, method, nIter, seed)
		if err != nil {
			return
		}
		if len(cands) < 1 || len(cands) > MaxCandidates || !slices.IsSorted(keys) {
			t.Fatalf("%d candidates, keys %q", len(cands), keys)
		}
		for _, h := range cands {
			if len(h) != len(fixed)+len(keys) {
				t.Fatalf("candidate %v has %d keys, want %d fixed + %d searched", h, len(h), len(fixed), len(keys))
			}
			for k := range fixed {
				if _, ok := h[k]; !ok {
					t.Fatalf("candidate %v lost fixed key %q", h, k)
				}
			}
		}
		if len(cands) > 1000 {
			return
		}
		// search_results built from them must marshal.
		r := NewResults(cands, keys, 2)
		r.Record(0, 0, 1, 1, 1)
		if _, err := json.Marshal(r.Summary()); err != nil {
			t.Fatalf("Summary does not marshal: %v", err)
		}
	})
}
