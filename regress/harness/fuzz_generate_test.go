package harness

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The generator needs no server: its replay promise (same seed, same calls) is checked here on
// a made-up catalog.
func TestFuzzGeneratorReplays(t *testing.T) {
	funcs := []*fuzzFunc{
		{name: "train", identity: "project_name text, task text, relation_name text, y_column_name text, algorithm text, hyperparams jsonb",
			kind: "f", retset: true, argTypes: []string{"text", "text", "text", "text", "text", "jsonb"},
			argNames: []string{"project_name", "task", "relation_name", "y_column_name", "algorithm", "hyperparams"}, nDefaults: 4},
		{name: "add", identity: "vector real[], addend real[]", kind: "f", argTypes: []string{"real[]", "real[]"}, argNames: []string{"vector", "addend"}},
		{name: "sum", identity: "real[]", kind: "a", argTypes: []string{"real[]"}, argNames: []string{""}},
		{name: "predict", identity: "model_id bigint, features real[]", kind: "f", argTypes: []string{"bigint", "real[]"}, argNames: []string{"model_id", "features"}},
	}
	fx := &fuzzFixture{
		relations: []fuzzRelation{{name: "fuzz.reg", labels: []string{"y"}, columns: []string{"x1", "y"}, shape: "regression data"}},
		models:    []fuzzModel{{project: "fuzz reg", id: 7, task: "regression", numFeatures: 1, outputs: 1, rowSource: "fuzz.reg", rowColumns: "x1"}},
		vocab: fuzzVocab{
			algorithms: []string{"linear", "xgboost"}, tasks: []string{"regression", "classification"}, runtimes: []string{"go", "python"},
			nativeByTask: map[string][]string{"regression": {"linear", "xgboost"}},
			hyperparams:  map[string][]string{"linear": {"fit_intercept"}, "xgboost": {"n_estimators", "nthread"}},
			hyperKeys:    []string{"fit_intercept", "n_estimators", "nthread"},
		},
		dumpDir: "/tmp/x",
	}
	calls := func(seed uint64) []string {
		g := &fuzzGen{rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), fx: fx}
		var sqls []string
		for _, c := range g.generate(funcs, fuzzPlan{calls: 300}) {
			sqls = append(sqls, c.sql())
		}
		return sqls
	}
	a, b, other := calls(42), calls(42), calls(43)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed generated different calls")
	}
	if slices.Equal(a, other) {
		t.Fatal("another seed generated the same calls")
	}
	// Case k does not depend on how many random calls follow it.
	g := &fuzzGen{rng: rand.New(rand.NewPCG(42, 0x9e3779b97f4a7c15)), fx: fx}
	fewer := g.generate(funcs, fuzzPlan{calls: 100})
	for i, c := range fewer {
		if c.sql() != a[i] {
			t.Fatalf("case %d differs when fewer random calls are generated:\n%s\n%s", i+1, c.sql(), a[i])
		}
	}
	// Every kind of call is there: NULL arguments, hostile ones, aggregate forms.
	for _, want := range []string{"NULL::real[]", "1000000", "OVER (ORDER BY n)", `"nthread"`} {
		if !slices.ContainsFunc(a, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("no generated call contains %q", want)
		}
	}
}
