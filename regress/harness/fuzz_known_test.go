package harness

import (
	"encoding/json"
	"slices"
	"strings"
)

// knownBug is a failure the fuzz suite finds in code another engineer is fixing. The CI run
// skips exactly these calls (or accepts exactly this failure) so that it passes meanwhile;
// remove an entry when its fix lands. PGML_FUZZ_KNOWN=run runs them all.
type knownBug struct {
	owner string // who fixes it
	bug   string // what is wrong
	// skip is true for calls that must not run: they crash the server, hang past the
	// timeout or starve the host.
	skip func(c *fuzzCase) bool
	// match is true when a call that ran failed in this known way.
	match func(c *fuzzCase, o *fuzzOutcome) bool
}

// threadKeys set how many threads a training starts.
var threadKeys = []string{"nthread", "n_jobs", "num_threads", "num_thread", "nthreads", "thread_count"}

// iterationKeys set how much work a training does (rounds, trees, iterations, restarts);
// calibrated by training every native algorithm with 1e6 of each of its keys under a 5 s
// statement_timeout.
var iterationKeys = []string{
	"n_estimators", "max_iter", "n_init", "n_iter", "boost_rounds", "num_boost_round", "num_iteration",
	"num_iterations", "num_round", "num_rounds", "num_tree", "num_trees",
}

var knownBugs = []*knownBug{
	{
		owner: "algos",
		bug: "thread counts are not capped by pgml.training_threads: xgboost's nthread 100000 segfaults the backend " +
			"(the cluster restarts) after starving the host; n_jobs likewise",
		skip: func(c *fuzzCase) bool { return trainingSetting(c, threadKeys, 64) },
	},
	{
		owner: "algos",
		bug: "absurd iteration counts (n_estimators, max_iter, n_init, boosting rounds above 1e4) are not refused: the training runs " +
			"until statement_timeout; xgboost_random_forest with n_estimators 1e6 builds its trees in one XGBoost call that ignored " +
			"statement_timeout and pg_terminate_backend for 8 minutes",
		skip: func(c *fuzzCase) bool { return trainingSetting(c, iterationKeys, 10000) },
	},
	{
		owner: "algos",
		bug: "kmeans++ seeding panics (slice bounds out of range [-4::]) when squared distances overflow: " +
			"features of 1e300 are finite but their squares are not",
		match: func(c *fuzzCase, o *fuzzOutcome) bool {
			relation, _ := c.text("relation_name")
			return relation == "fuzz.big_values" && o.kind == outcomeInternal && strings.Contains(o.message, "slice bounds out of range")
		},
	},
	{
		owner: "lead",
		bug: "search_args / search_params holding a number beyond Go's range say \"… is not valid JSON: json: cannot unmarshal number …\" " +
			"(algorithms/search/args.go): name the key and the range instead",
		match: func(c *fuzzCase, o *fuzzOutcome) bool {
			return o.kind == outcomeBadMessage && (strings.HasPrefix(o.message, "search_args is not valid JSON: json: cannot unmarshal number") ||
				strings.HasPrefix(o.message, "search_params is not valid JSON: json: cannot unmarshal number"))
		},
	},
	{
		owner: "lead (PostgreSQL's COPY)",
		bug: "pgml.dump_all / load_all with a path component over 255 bytes: COPY reports ENAMETOOLONG as XX000 " +
			"(errcode_for_file_access has no code for it); pgml could refuse such paths itself",
		match: func(c *fuzzCase, o *fuzzOutcome) bool {
			path, _ := c.text("path")
			return (c.fn.name == "dump_all" || c.fn.name == "load_all") && o.kind == outcomeInternal &&
				strings.HasPrefix(o.message, "could not open file") && slices.ContainsFunc(strings.Split(path, "/"), func(p string) bool { return len(p) > 255 })
		},
	},
	{
		owner: "predict",
		bug:   "pgml.invalidate_deployments() called directly raises XX000 (internal error) instead of 39P01 like PostgreSQL's trigger functions",
		match: func(c *fuzzCase, o *fuzzOutcome) bool {
			return c.fn.name == "invalidate_deployments" && o.kind == outcomeInternal
		},
	},
}

// trainingSetting reports whether a training call sets one of keys, in hyperparams or among
// the candidates of search_params, to a number above limit (or to a JSON number so large
// that it is out of range).
func trainingSetting(c *fuzzCase, keys []string, limit float64) bool {
	if c.fn.name != "train" && c.fn.name != "train_joint" {
		return false
	}
	for _, name := range []string{"hyperparams", "search_params"} {
		for key, v := range jsonObject(c.arg(name)) {
			if !slices.Contains(keys, key) {
				continue
			}
			values := []any{v}
			if list, ok := v.([]any); ok {
				values = list
			}
			for _, x := range values {
				if n, ok := x.(json.Number); ok && numberAbove(string(n), limit) {
					return true
				}
			}
		}
	}
	return false
}

func numberAbove(s string, limit float64) bool {
	var f float64
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		return !strings.HasPrefix(s, "-") // beyond float64: huge
	}
	return f > limit
}

func knownToSkip(c *fuzzCase) *knownBug {
	for _, b := range knownBugs {
		if b.skip != nil && b.skip(c) {
			return b
		}
	}
	return nil
}

func knownFailure(c *fuzzCase, o *fuzzOutcome) *knownBug {
	for _, b := range knownBugs {
		if b.match != nil && b.match(c, o) {
			return b
		}
	}
	return nil
}
