package harness

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// A training announces each phase at DEBUG1 ("pgml phase: <name>", lifecycle/phases.go).
// These tests cancel a training while it is inside a given phase, at several instants,
// with pg_cancel_backend and pg_terminate_backend, and measure what a user sees: the time
// from the signal to the statement's return (or the backend's exit).

// phaseCase is a training that spends seconds in phase, on harness table bigc (2M rows).
type phaseCase struct {
	phase string
	train string
}

const bigcTrain = `SELECT * FROM pgml.train('Phases %s', 'classification', 'bigc', 'y', algorithm => %s,
	hyperparams => '%s', automatic_deploy => false %s)`

func bigcTraining(name, algorithm, hyperparams, extra string) string {
	return fmt.Sprintf(bigcTrain, name, quoteLiteral(algorithm), hyperparams, extra)
}

var phaseCases = []phaseCase{
	{"snapshot", bigcTraining("snapshot", "linear", "{}", ", materialize_snapshot => true")},
	{"reading", bigcTraining("reading", "linear", "{}", "")},
	{"splitting", bigcTraining("splitting", "linear", "{}", "")},
	{"preprocessing", bigcTraining("preprocessing", "linear", "{}", `, preprocess => '{"a": {"scale": "standard"}, "b": {"scale": "robust"}}'`)},
	{"searching", bigcTraining("searching", "linear", "{}", `, search => 'grid', search_params => '{"max_iter": [50, 100, 200]}'`)},
	{"fitting", bigcTraining("fitting", "hist_gradient_boosting", `{"max_iter": 100000}`, "")},
	{"scoring", bigcTraining("scoring", "knn", "{}", "")},
	// knn keeps its 2M training rows and their index: about 200 MB to serialize, sign and
	// insert in 16 MB parts.
	{"storing", bigcTraining("storing", "knn", "{}", ", test_size => 0.0005")},
}

// phasesWithoutCase are phases no harness case can keep busy for a second on harness-sized
// data; the unit tests named here show that their loops check for interrupts.
var phasesWithoutCase = map[string]string{}

// TestEveryPhaseHasACancelCase reads the phase list of lifecycle/phases.go: a new phase
// needs a case above, or an entry in phasesWithoutCase saying why not.
func TestEveryPhaseHasACancelCase(t *testing.T) {
	phases := lifecyclePhases(t)
	if len(phases) < 5 {
		t.Fatalf("found only %d phases in lifecycle/phases.go: %v", len(phases), phases)
	}
	covered := map[string]bool{}
	for _, c := range phaseCases {
		covered[c.phase] = true
	}
	for _, p := range phases {
		if !covered[p] && phasesWithoutCase[p] == "" {
			t.Errorf("phase %q has no cancel case in phaseCases and no reason in phasesWithoutCase", p)
		}
	}
}

func lifecyclePhases(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "..", "lifecycle", "phases.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var phases []string
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || spec.Type == nil || fmt.Sprint(spec.Type) != "phase" {
			return true
		}
		for _, v := range spec.Values {
			if lit, ok := v.(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				phases = append(phases, s)
			}
		}
		return true
	})
	return phases
}

// phaseInstants are the delays after a phase starts at which the tests signal.
var phaseInstants = []time.Duration{100 * time.Millisecond, 700 * time.Millisecond}

func TestCancelInEveryPhase(t *testing.T) {
	setup := connect(t)
	ensureBigC(t, setup)
	for _, c := range phaseCases {
		for i, delay := range phaseInstants {
			// Alternate the signals so every phase sees both.
			signal := "pg_cancel_backend"
			if i%2 == 1 {
				signal = "pg_terminate_backend"
			}
			t.Run(fmt.Sprintf("%s/%s/%v", c.phase, signal, delay), func(t *testing.T) {
				cancelInPhase(t, c, delay, signal)
			})
		}
	}
}

type phaseNotice struct {
	msg string
	at  time.Time
}

func cancelInPhase(t *testing.T, c phaseCase, delay time.Duration, signal string) {
	cfg, err := harnessConfig()
	if err != nil {
		t.Fatal(err)
	}
	notices := make(chan phaseNotice, 64)
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		select {
		case notices <- phaseNotice{n.Message, time.Now()}:
		default:
		}
	}
	trainer, canceller := connectConfig(t, cfg), connect(t)
	pid := backendPID(t, trainer)
	exec(t, trainer, "SET client_min_messages = debug1")
	trainErr := make(chan error, 1)
	go func() {
		_, err := trainer.Exec(context.Background(), c.train)
		trainErr <- err
	}()

	want := "pgml phase: " + c.phase
	var phaseStart time.Time
	for phaseStart.IsZero() {
		select {
		case n := <-notices:
			if n.msg == want {
				phaseStart = n.at
			}
		case err := <-trainErr:
			t.Fatalf("training ended (%v) before %q", err, want)
		case <-time.After(120 * time.Second):
			t.Fatalf("no %q within 120 s", want)
		}
	}
	time.Sleep(time.Until(phaseStart.Add(delay)))
	// The phase must still be running when the signal goes out, or the case measures
	// another phase: a later phase notice received by now means the case is too short.
	for drained := false; !drained; {
		select {
		case n := <-notices:
			if strings.HasPrefix(n.msg, "pgml phase: ") {
				t.Fatalf("phase %s ended within %v (next: %q): the case is too short to cancel inside it", c.phase, n.at.Sub(phaseStart), n.msg)
			}
		default:
			drained = true
		}
	}
	signalledAt := time.Now()
	var ok bool
	if err := canceller.QueryRow(context.Background(), "SELECT "+signal+"($1)", pid).Scan(&ok); err != nil || !ok {
		t.Fatalf("%s(%d) = %v, %v", signal, pid, ok, err)
	}
	var stmtErr error
	select {
	case stmtErr = <-trainErr:
	case <-time.After(60 * time.Second):
		t.Fatalf("training still running 60 s after %s in phase %s", signal, c.phase)
	}
	latency := time.Since(signalledAt)
	if signal == "pg_terminate_backend" {
		latency = waitForBackendExit(t, canceller, pid, signalledAt)
	}
	t.Logf("phase %s, %v in: %s -> returned after %v (%v)", c.phase, delay, signal, latency, stmtErr)
	for drained := false; !drained; {
		select {
		case n := <-notices:
			if strings.HasPrefix(n.msg, "pgml phase: ") && n.at.Before(signalledAt) {
				t.Errorf("phase %s had ended before the signal (next: %q)", c.phase, n.msg)
			}
		default:
			drained = true
		}
	}
	if latency > cancelLatencyLimit {
		t.Errorf("%s in phase %s took %v to take effect, want at most %v", signal, c.phase, latency, cancelLatencyLimit)
	}
	switch signal {
	case "pg_cancel_backend":
		if state := sqlState(stmtErr); state != sqlStateQueryCanceled {
			t.Errorf("after %s: error %v (SQLSTATE %q), want %s", signal, stmtErr, state, sqlStateQueryCanceled)
		}
		expectSessionUsable(t, trainer, pid)
	case "pg_terminate_backend":
		if stmtErr == nil {
			t.Errorf("training finished normally after %s", signal)
		}
	}
}

// waitForBackendExit returns how long after since the backend pid left pg_stat_activity.
func waitForBackendExit(t *testing.T, observer *pgx.Conn, pid int, since time.Time) time.Duration {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var alive bool
		if err := observer.QueryRow(context.Background(), "SELECT count(*) > 0 FROM pg_stat_activity WHERE pid = $1", pid).Scan(&alive); err != nil {
			t.Fatal(err)
		}
		if !alive {
			return time.Since(since)
		}
	}
	t.Fatalf("backend %d still alive 60 s after pg_terminate_backend", pid)
	return 0
}

// ensureBigC creates bigc (2,000,000 rows × 8 random features, a binary label) once per run.
func ensureBigC(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	exec(t, conn, `SELECT setseed(0.5)`)
	exec(t, conn, `CREATE TABLE IF NOT EXISTS bigc AS
		SELECT random() a, random() b, random() c, random() d, random() e, random() f, random() g, random() h,
		       (random() > 0.5)::int y
		FROM generate_series(1, 2000000)`)
}
