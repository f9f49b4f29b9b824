package harness

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// cancelLatencyLimit is how soon a cancelled training must give the backend back.
const cancelLatencyLimit = time.Second

// trainBigC trains on bigc (2,000,000 rows × 8 features) with far more boosting iterations
// than can finish, so the Go fitting loop is surely busy when the cancel arrives. (An
// unreachable tolerance for logistic regression was tried first: on some draws of the data
// its line search gave up within a second, and the test measured nothing.)
const trainBigC = `SELECT * FROM pgml.train('BigC', 'classification', 'bigc', 'y',
	algorithm => 'hist_gradient_boosting', hyperparams => '{"max_iter": 100000}',
	test_sampling => 'last', automatic_deploy => false)`

const sqlStateQueryCanceled = "57014"

func TestCancelTraining(t *testing.T) {
	setup := connect(t)
	ensureBigC(t, setup)

	t.Run("pg_cancel_backend", func(t *testing.T) {
		cfg, err := harnessConfig()
		if err != nil {
			t.Fatal(err)
		}
		notices := make(chan string, 16)
		cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
			select {
			case notices <- n.Message:
			default: // nobody listens any more
			}
		}
		trainer, canceller := connectConfig(t, cfg), connect(t)
		pid := backendPID(t, trainer)

		trainErr := make(chan error, 1)
		go func() {
			_, err := trainer.Exec(context.Background(), trainBigC)
			trainErr <- err
		}()

		// Cancel only once the Go fitting loop runs: after the "Training ..." notice, and once
		// the statement has been running for more than 3 s.
		waitForNotice(t, notices, trainErr, "Training")
		waitForRunningLongerThan(t, canceller, pid, 3*time.Second, trainErr)

		cancelledAt := time.Now()
		var signalled bool
		if err := canceller.QueryRow(context.Background(), "SELECT pg_cancel_backend($1)", pid).Scan(&signalled); err != nil || !signalled {
			t.Fatalf("pg_cancel_backend(%d) = %v, %v", pid, signalled, err)
		}
		var err2 error
		select {
		case err2 = <-trainErr:
		case <-time.After(60 * time.Second):
			t.Fatalf("pgml.train still running 60 s after pg_cancel_backend")
		}
		latency := time.Since(cancelledAt)
		t.Logf("pg_cancel_backend -> train returned in %v (error: %v)", latency, err2)
		if state := sqlState(err2); state != sqlStateQueryCanceled {
			t.Errorf("train after cancel: error %v (SQLSTATE %q), want SQLSTATE %s", err2, state, sqlStateQueryCanceled)
		}
		if latency > cancelLatencyLimit {
			t.Errorf("train took %v to stop after pg_cancel_backend, want at most %v", latency, cancelLatencyLimit)
		}
		expectSessionUsable(t, trainer, pid)
	})

	t.Run("statement_timeout", func(t *testing.T) {
		const timeout = 4 * time.Second
		trainer := connect(t)
		pid := backendPID(t, trainer)
		exec(t, trainer, "SET statement_timeout = '4s'")

		start := time.Now()
		_, err := trainer.Exec(context.Background(), trainBigC)
		elapsed := time.Since(start)
		t.Logf("statement_timeout %v: train returned after %v, %v after the timeout (error: %v)", timeout, elapsed, elapsed-timeout, err)
		if err == nil {
			t.Fatalf("train finished in %v, before statement_timeout %v: training is too fast to test the timeout", elapsed, timeout)
		}
		if state := sqlState(err); state != sqlStateQueryCanceled {
			t.Errorf("train under statement_timeout: error %v (SQLSTATE %q), want SQLSTATE %s", err, state, sqlStateQueryCanceled)
		}
		if elapsed > timeout+cancelLatencyLimit {
			t.Errorf("train returned after %v, want at most statement_timeout + %v = %v", elapsed, cancelLatencyLimit, timeout+cancelLatencyLimit)
		}
		exec(t, trainer, "RESET statement_timeout")
		expectSessionUsable(t, trainer, pid)
	})
}

// waitForNotice returns once a notice containing substr arrived; it fails if the statement
// ends first.
func waitForNotice(t *testing.T, notices <-chan string, stmtErr <-chan error, substr string) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case msg := <-notices:
			t.Logf("notice: %s", msg)
			if strings.Contains(msg, substr) {
				return
			}
		case err := <-stmtErr:
			t.Fatalf("statement ended (error %v) before a notice containing %q", err, substr)
		case <-deadline:
			t.Fatalf("no notice containing %q within 60 s", substr)
		}
	}
}

// waitForRunningLongerThan polls pg_stat_activity until backend pid's active statement has
// run for more than d; it fails if the statement ends first. The statement must be sent with
// the simple protocol (pgx's Exec without arguments, or QueryExecModeSimpleProtocol): a
// backend is also active while it parses an extended-protocol statement, and PostgreSQL drops
// a cancel that arrives then once it waits for the Bind message.
func waitForRunningLongerThan(t *testing.T, observer *pgx.Conn, pid int, d time.Duration, stmtErr <-chan error) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		var running bool
		err := observer.QueryRow(context.Background(),
			`SELECT coalesce(state = 'active' AND clock_timestamp() - query_start > $2::interval, false)
			 FROM pg_stat_activity WHERE pid = $1`, pid, d.String()).Scan(&running)
		if err != nil {
			t.Fatalf("reading pg_stat_activity for pid %d: %v", pid, err)
		}
		if running {
			return
		}
		select {
		case err := <-stmtErr:
			t.Fatalf("statement ended (error %v) before running for %v: training is too fast to test cancellation", err, d)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("pid %d did not run its statement for %v within 60 s", pid, d)
}

// expectSessionUsable checks that the cancelled backend survived and answers queries.
func expectSessionUsable(t *testing.T, conn *pgx.Conn, wantPID int) {
	t.Helper()
	if pid := backendPID(t, conn); pid != wantPID {
		t.Errorf("backend pid changed from %d to %d", wantPID, pid)
	}
}
