package harness

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

// knownBugs is empty: every failure the fuzz suite found is fixed.
var knownBugs []*knownBug

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
