package sqlname

import (
	"slices"
	"strings"
	"testing"
)

func TestParseQualified(t *testing.T) {
	valid := map[string][]string{
		"iris":                      {"iris"},
		"pgml.iris":                 {"pgml", "iris"},
		` pgml . iris `:             {"pgml", "iris"},
		`"Mixed Case"`:              {"Mixed Case"},
		`pgml."Mixed Case"`:         {"pgml", "Mixed Case"},
		`"with ""quote"""`:          {`with "quote"`},
		`"a.b".c`:                   {"a.b", "c"},
		"db.schema.table":           {"db", "schema", "table"},
		"iris;":                     {"iris;"},
		`"x; DROP TABLE t; --"`:     {"x; DROP TABLE t; --"},
		"Upper":                     {"Upper"}, // PostgreSQL folds it; to_regclass does that
		"ünïcode":                   {"ünïcode"},
		`"quoted"."quoted as well"`: {"quoted", "quoted as well"},
	}
	for in, want := range valid {
		got, err := ParseQualified(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseQualified(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	invalid := []string{
		"", " ", "Mixed Case", "pgml.iris; DROP TABLE pgml.models", `"unterminated`, `""`,
		"a..b", ".a", "a.", "a.b.c.d", `"a"b`, "a b.c",
	}
	for _, in := range invalid {
		if got, err := ParseQualified(in); err == nil {
			t.Errorf("ParseQualified(%q) = %q, want an error", in, got)
		}
	}
}

func TestQuoteIdentRoundTrip(t *testing.T) {
	for _, name := range []string{"iris", "Mixed Case", `a"b`, `""`, "x; DROP TABLE t"} {
		got, err := ParseQualified(QuoteIdent(name))
		if err != nil || len(got) != 1 || got[0] != name {
			t.Errorf("ParseQualified(QuoteIdent(%q)) = %q, %v", name, got, err)
		}
	}
}

// FuzzParseQualified checks that parsing never panics and that every part it returns
// survives quoting and parsing again unchanged.
func FuzzParseQualified(f *testing.F) {
	for _, seed := range []string{"iris", `pgml."Mixed Case"`, `"a""b".c`, "a . b", `"x`, "a..b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		parts, err := ParseQualified(in)
		if err != nil {
			return
		}
		if len(parts) == 0 || len(parts) > 3 {
			t.Fatalf("ParseQualified(%q) returned %d parts", in, len(parts))
		}
		quoted := make([]string, len(parts))
		for i, p := range parts {
			if p == "" {
				t.Fatalf("ParseQualified(%q) returned an empty part", in)
			}
			quoted[i] = QuoteIdent(p)
		}
		again, err := ParseQualified(strings.Join(quoted, "."))
		if err != nil || !slices.Equal(again, parts) {
			t.Fatalf("round trip of %q: %q -> %q, %v", in, parts, again, err)
		}
	})
}
