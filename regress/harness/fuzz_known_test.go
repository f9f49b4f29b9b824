package harness

import (
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

var knownBugs = []*knownBug{
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
