package harness

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The fuzz suite calls every function of schema pgml with generated arguments (see
// fuzz_cases_test.go): each call must end within callTimeout in a clean SQL error (any
// SQLSTATE but the XX internal-error class, with a message free of Go formatting) or in a
// result that passes the checks of fuzz_oracles_test.go; the backend must survive and the
// session stay usable. A crash of any backend restarts the whole cluster: it is noticed by a
// second, idle session.
//
// Settings (environment):
//
//	PGML_FUZZ_SEED    the seed (printed at the start); default fixed, or time-based with PGML_FUZZ_LONG
//	PGML_FUZZ_CALLS   how many random calls follow the systematic ones (default 400; 8000 with PGML_FUZZ_LONG)
//	PGML_FUZZ_BUDGET  stop starting calls after this long (default 150s; none with PGML_FUZZ_LONG)
//	PGML_FUZZ_LONG    1: every algorithm × task × runtime and every data shape × native algorithm (make fuzz)
//	PGML_FUZZ_CASE    run only these case numbers (comma-separated), to replay a failure
//	PGML_FUZZ_KNOWN   run: also run the calls of known bugs that are skipped by default
//	PGML_FUZZ_LOG     a file to write every call's outcome to (tab-separated)
//
// The calls never set pgml.inject_fault: an internal error here is always a bug.

// callTimeout is the statement_timeout of every call: a call that needs longer is a hang.
const callTimeout = 30 * time.Second

type fuzzConfig struct {
	seed     uint64
	plan     fuzzPlan
	budget   time.Duration // 0: none
	only     map[int]bool
	runKnown bool
}

func fuzzConfigFromEnv(t *testing.T) fuzzConfig {
	// The CI run is the same calls on every machine: the budget only guards against a machine
	// so loaded that the systematic calls alone would take minutes.
	cfg := fuzzConfig{seed: 20240609, plan: fuzzPlan{calls: 400}, budget: 150 * time.Second}
	if os.Getenv("PGML_FUZZ_LONG") == "1" {
		cfg.plan = fuzzPlan{calls: 8000, long: true}
		cfg.budget = 0
		cfg.seed = uint64(time.Now().UnixNano() % 1_000_000_000)
	}
	if s := os.Getenv("PGML_FUZZ_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("PGML_FUZZ_SEED=%q: %v", s, err)
		}
		cfg.seed = seed
	}
	if s := os.Getenv("PGML_FUZZ_CALLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			t.Fatalf("PGML_FUZZ_CALLS=%q: want a count", s)
		}
		cfg.plan.calls = n
	}
	if s := os.Getenv("PGML_FUZZ_BUDGET"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("PGML_FUZZ_BUDGET=%q: %v", s, err)
		}
		cfg.budget = d
	}
	if s := os.Getenv("PGML_FUZZ_CASE"); s != "" {
		cfg.only = map[int]bool{}
		for _, part := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil {
				t.Fatalf("PGML_FUZZ_CASE=%q: want case numbers", s)
			}
			cfg.only[n] = true
		}
		cfg.budget = 0
	}
	cfg.runKnown = os.Getenv("PGML_FUZZ_KNOWN") == "run"
	return cfg
}

// Outcome kinds. The last four are failures.
const (
	outcomeOK         = "ok"
	outcomeError      = "clean error"
	outcomeSkipped    = "skipped (known bug)"
	outcomeKnown      = "known bug"
	outcomeInternal   = "internal error"
	outcomeBadMessage = "Go formatting in the message"
	outcomeWrong      = "wrong result"
	outcomeHang       = "hang"
	outcomeCrash      = "crash"
	outcomeUnusable   = "session unusable"
)

type fuzzOutcome struct {
	kind    string
	state   string // SQLSTATE of an error
	message string
	elapsed time.Duration
	known   *knownBug
}

func (o *fuzzOutcome) failed() bool {
	switch o.kind {
	case outcomeOK, outcomeError, outcomeSkipped, outcomeKnown:
		return false
	}
	return true
}

func TestFuzzSQLFunctions(t *testing.T) {
	if os.Getenv("PGHOST") == "" {
		t.Skip("PGHOST is not set: run with a cluster's environment, e.g. eval \"$(build/cluster.sh env)\"")
	}
	cfg := fuzzConfigFromEnv(t)
	t.Logf("fuzz: seed %d, %d calls, long %v, budget %v (replay: PGML_FUZZ_SEED=%d PGML_FUZZ_CALLS=%d)",
		cfg.seed, cfg.plan.calls, cfg.plan.long, cfg.budget, cfg.seed, cfg.plan.calls)
	ctx := context.Background()

	admin := connectConfig(t, mustParseConfig(t, ""))
	for _, sql := range []string{"DROP DATABASE IF EXISTS " + fuzzDB + " WITH (FORCE)", "CREATE DATABASE " + fuzzDB} {
		exec(t, admin, sql)
	}
	dumpDir, err := os.MkdirTemp("", "pgml-fuzz-")
	if err != nil {
		t.Fatal(err)
	}
	// The server runs as another user where the tests run as root: it writes here.
	if err := os.Chmod(dumpDir, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dumpDir) })

	// A crashed backend makes the whole cluster reinitialise (the runner notices that through
	// its idle sentinel session); a restart of the postmaster itself shows here.
	var startTime time.Time
	if err := admin.QueryRow(ctx, "SELECT pg_postmaster_start_time()").Scan(&startTime); err != nil {
		t.Fatal(err)
	}
	defer func() {
		conn, err := pgx.Connect(ctx, "")
		if err != nil {
			t.Errorf("the server is unreachable after the fuzz run: %v", err)
			return
		}
		defer conn.Close(ctx)
		var now time.Time
		if err := conn.QueryRow(ctx, "SELECT pg_postmaster_start_time()").Scan(&now); err != nil || !now.Equal(startTime) {
			t.Errorf("the server restarted during the fuzz run (pg_postmaster_start_time %v -> %v, %v)", startTime, now, err)
		}
	}()
	runner := newFuzzRunner(t)
	setupStart := time.Now()
	fx, err := createFuzzFixture(ctx, runner.conn, dumpDir)
	if err != nil {
		t.Fatalf("fuzz fixture: %v", err)
	}
	if _, err := runner.conn.Exec(ctx, fuzzVectors); err != nil {
		t.Fatalf("fuzz fixture: %v", err)
	}
	funcs, err := loadFuzzFuncs(ctx, runner.conn)
	if err != nil {
		t.Fatal(err)
	}
	gen := &fuzzGen{rng: rand.New(rand.NewPCG(cfg.seed, 0x9e3779b97f4a7c15)), fx: fx}
	cases := gen.generate(funcs, cfg.plan)
	t.Logf("fuzz: %d functions, %d algorithms, %d tasks, %d native hyperparameter keys; fixture and discovery took %v; %d calls generated",
		len(funcs), len(fx.vocab.algorithms), len(fx.vocab.tasks), len(fx.vocab.hyperKeys), time.Since(setupStart).Round(time.Millisecond), len(cases))

	var log *os.File
	if path := os.Getenv("PGML_FUZZ_LOG"); path != "" {
		if log, err = os.Create(path); err != nil {
			t.Fatal(err)
		}
		defer log.Close()
	}
	start := time.Now()
	var outcomes []*fuzzOutcome
	var ran []*fuzzCase
	for _, c := range cases {
		if cfg.only != nil && !cfg.only[c.index] {
			continue
		}
		if cfg.budget > 0 && time.Since(start) > cfg.budget {
			t.Logf("fuzz: time budget %v spent after %d of %d calls", cfg.budget, len(ran), len(cases))
			break
		}
		var o *fuzzOutcome
		if bug := knownToSkip(c); bug != nil && !cfg.runKnown {
			o = &fuzzOutcome{kind: outcomeSkipped, known: bug}
		} else {
			o = runner.run(c, fx)
			if o.failed() {
				if bug := knownFailure(c, o); bug != nil {
					o.kind, o.known = outcomeKnown, bug
				}
			}
		}
		ran = append(ran, c)
		outcomes = append(outcomes, o)
		if log != nil {
			fmt.Fprintf(log, "%d\t%s\t%s\t%s\t%s\t%v\t%s\n", c.index, c.fn.name, o.kind, o.state,
				truncate(o.message, 400), o.elapsed.Round(time.Millisecond), truncate(c.sql(), 1000))
		}
	}
	reportFuzz(t, cfg, ran, outcomes, time.Since(start))
}

func mustParseConfig(t *testing.T, dsn string) *pgx.ConnConfig {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// fuzzRunner owns the session under test and an idle sentinel session on another backend.
type fuzzRunner struct {
	t        *testing.T
	config   *pgx.ConnConfig
	conn     *pgx.Conn
	sentinel *pgx.Conn
}

func newFuzzRunner(t *testing.T) *fuzzRunner {
	cfg := mustParseConfig(t, "")
	cfg.Database = fuzzDB
	// Literal SQL, run as it would be pasted into psql; no prepared statement per call.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	r := &fuzzRunner{t: t, config: cfg}
	if err := r.reconnect(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.conn.Close(context.Background())
		r.sentinel.Close(context.Background())
	})
	return r
}

// sessionSettings apply to every session of the runner. Parallel plans are made cheap so that
// the aggregates over fuzz.vecs also run their combine functions in parallel workers.
var sessionSettings = []string{
	"SET statement_timeout = '" + strconv.Itoa(int(callTimeout/time.Second)) + "s'",
	"SET client_min_messages = warning",
	"SET parallel_setup_cost = 0",
	"SET parallel_tuple_cost = 0",
	"SET min_parallel_table_scan_size = 0",
}

func (r *fuzzRunner) reconnect() error {
	ctx := context.Background()
	var err error
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if r.conn != nil {
			r.conn.Close(ctx)
		}
		if r.sentinel != nil {
			r.sentinel.Close(ctx)
		}
		r.conn, err = pgx.ConnectConfig(ctx, r.config)
		if err != nil {
			continue
		}
		r.sentinel, err = pgx.ConnectConfig(ctx, r.config)
		if err != nil {
			continue
		}
		for _, s := range sessionSettings {
			if _, err = r.conn.Exec(ctx, s); err != nil {
				break
			}
		}
		if err == nil {
			return nil
		}
	}
	return fmt.Errorf("fuzz: the server did not accept connections again within 2 minutes: %w", err)
}

// alive runs SELECT 1 on conn.
func alive(conn *pgx.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var one int
	return conn.QueryRow(ctx, "SELECT 1").Scan(&one)
}

// goFormatting finds Go's own renderings in a message meant for SQL users.
// (Go's %v of a map or a slice of strings, a bad verb, encoding/json's and strconv's errors.)
var goFormatting = regexp.MustCompile(`map\[|\[\]interface|%!\w\(|<nil>|\bjson: |runtime error|goroutine \d|\bstrconv\.|\bpanic:|\[("[^"]*" )+"[^"]*"\]`)

func (r *fuzzRunner) run(c *fuzzCase, fx *fuzzFixture) *fuzzOutcome {
	sql := c.sql()
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout+30*time.Second)
	defer cancel()
	start := time.Now()
	res := &fuzzResult{}
	rows, err := r.conn.Query(ctx, sql)
	if err == nil {
		for rows.Next() {
			size := 0
			for _, raw := range rows.RawValues() {
				size += len(raw)
			}
			// Huge results are counted, not decoded: the checks skip such inputs anyway.
			if res.count < 1000 && size < 1<<20 {
				values, verr := rows.Values()
				if verr != nil {
					err = verr
					break
				}
				res.rows = append(res.rows, values)
			}
			res.count++
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	o := &fuzzOutcome{elapsed: time.Since(start)}

	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		o.kind = outcomeOK
		if cerr := checkResult(c, res, fx, r.fetch); cerr != nil && !errors.Is(cerr, errSkipCheck) {
			o.kind, o.message = outcomeWrong, cerr.Error()
		}
	case errors.As(err, &pgErr):
		o.state, o.message = pgErr.Code, pgErr.Message
		full := strings.Join([]string{pgErr.Message, pgErr.Detail, pgErr.Hint}, " ")
		switch {
		case strings.HasPrefix(pgErr.Code, "XX"):
			o.kind = outcomeInternal
		case pgErr.Code == "57014":
			o.kind, o.message = outcomeHang, fmt.Sprintf("still running after statement_timeout %v (%s)", callTimeout, pgErr.Message)
		case strings.HasPrefix(pgErr.Code, "57P") || strings.HasPrefix(pgErr.Code, "08"):
			o.kind = outcomeCrash
		case goFormatting.MatchString(full):
			o.kind, o.message = outcomeBadMessage, full
		default:
			o.kind = outcomeError
		}
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		o.kind, o.message = outcomeHang, fmt.Sprintf("no answer %v after the call, statement_timeout %v ignored", time.Since(start).Round(time.Second), callTimeout)
	default:
		o.kind, o.message = outcomeCrash, err.Error()
	}

	// Whatever happened, the session must answer, and the server must not have restarted.
	if r.conn.IsClosed() || alive(r.conn) != nil {
		if o.kind != outcomeCrash && o.kind != outcomeHang {
			o.kind, o.message = outcomeUnusable, fmt.Sprintf("%s; then the session did not answer SELECT 1", o.message)
		}
		if alive(r.sentinel) != nil {
			o.kind, o.message = outcomeCrash, "the server restarted (an idle session was cut too): "+o.message
		}
		if err := r.reconnect(); err != nil {
			r.t.Fatal(err)
		}
	}
	return o
}

// fetch evaluates exprs as flat double precision arrays; values too large to read back, or
// that cannot be converted, make the check skip.
func (r *fuzzRunner) fetch(exprs []string) ([][]float64, []bool, error) {
	var cols []string
	for _, e := range exprs {
		cols = append(cols, fmt.Sprintf("(SELECT CASE WHEN cardinality(v) <= 200000 THEN ARRAY(SELECT unnest(v)) END FROM (SELECT %s AS v) AS a)::float8[]", e))
	}
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	rows, err := r.conn.Query(ctx, "SELECT "+strings.Join(cols, ", "))
	if err != nil {
		return nil, nil, errSkipCheck
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, nil, errSkipCheck
	}
	ptrs := make([][]*float64, len(exprs))
	dst := make([]any, len(exprs))
	for i := range ptrs {
		dst[i] = &ptrs[i]
	}
	if err := rows.Scan(dst...); err != nil {
		return nil, nil, errSkipCheck
	}
	values := make([][]float64, len(exprs))
	nulls := make([]bool, len(exprs))
	for i, p := range ptrs {
		if p == nil {
			nulls[i] = true
			continue
		}
		values[i] = make([]float64, len(p))
		for j, x := range p {
			if x == nil {
				return nil, nil, errSkipCheck // NULL elements: the call should have failed
			}
			values[i][j] = *x
		}
	}
	return values, nulls, nil
}

func truncate(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("… (%d chars)", len(s))
}

// reportFuzz logs the summary and the failure table, and fails the test on any failure.
func reportFuzz(t *testing.T, cfg fuzzConfig, cases []*fuzzCase, outcomes []*fuzzOutcome, elapsed time.Duration) {
	type stat struct{ calls, ok, errors, failures, known int }
	stats := map[string]*stat{}
	kinds := map[string]int{}
	var slow []string
	var failures, known []int
	for i, c := range cases {
		o := outcomes[i]
		s := stats[c.fn.name]
		if s == nil {
			s = &stat{}
			stats[c.fn.name] = s
		}
		s.calls++
		kinds[o.kind]++
		switch {
		case o.failed():
			s.failures++
			failures = append(failures, i)
		case o.known != nil:
			s.known++
			known = append(known, i)
		case o.kind == outcomeOK:
			s.ok++
		default:
			s.errors++
		}
		if o.elapsed > 5*time.Second {
			slow = append(slow, fmt.Sprintf("#%d %s %v", c.index, c.fn.name, o.elapsed.Round(time.Millisecond)))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "fuzz: %d calls in %v:", len(cases), elapsed.Round(time.Millisecond))
	var kindNames []string
	for k := range kinds {
		kindNames = append(kindNames, k)
	}
	sort.Strings(kindNames)
	for _, k := range kindNames {
		fmt.Fprintf(&b, " %s %d;", k, kinds[k])
	}
	b.WriteString("\nfunction                         calls     ok  errors  known  failures\n")
	var names []string
	for n := range stats {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := stats[n]
		fmt.Fprintf(&b, "%-32s %5d  %5d  %6d  %5d  %8d\n", n, s.calls, s.ok, s.errors, s.known, s.failures)
	}
	if len(slow) > 0 {
		fmt.Fprintf(&b, "calls over 5 s: %s\n", strings.Join(slow, ", "))
	}
	t.Log(b.String())

	if len(known) > 0 {
		var kb strings.Builder
		kb.WriteString("known bugs (skipped or failing as expected; owner in brackets):\n")
		counts := map[*knownBug]int{}
		for _, i := range known {
			counts[outcomes[i].known]++
		}
		for _, bug := range knownBugs {
			if counts[bug] > 0 {
				fmt.Fprintf(&kb, "  [%s] %s: %d calls, e.g. case %d\n", bug.owner, bug.bug, counts[bug], firstCase(cases, outcomes, bug))
			}
		}
		t.Log(kb.String())
	}
	if len(failures) == 0 {
		return
	}
	var fb strings.Builder
	long := ""
	if cfg.plan.long {
		long = " PGML_FUZZ_LONG=1"
	}
	fmt.Fprintf(&fb, "%d failing calls (replay one: PGML_FUZZ_SEED=%d%s PGML_FUZZ_CASE=<#>, or paste its SQL into psql):\n",
		len(failures), cfg.seed, long)
	fb.WriteString("| # | function | args | outcome | SQLSTATE: message |\n|---|---|---|---|---|\n")
	for _, i := range failures {
		c, o := cases[i], outcomes[i]
		fmt.Fprintf(&fb, "| %d | %s | %s | %s | %s: %s |\n", c.index, c.fn, truncate(c.argsLabel(), 160), o.kind, o.state, truncate(o.message, 300))
	}
	fb.WriteString("SQL of each failing call:\n")
	for _, i := range failures {
		fmt.Fprintf(&fb, "#%d (%s) %s;\n", cases[i].index, cases[i].purpose, truncate(cases[i].sql(), 600))
	}
	t.Error(fb.String())
}

func firstCase(cases []*fuzzCase, outcomes []*fuzzOutcome, bug *knownBug) int {
	for i, o := range outcomes {
		if o.known == bug {
			return cases[i].index
		}
	}
	return 0
}
