package harness

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// knnWidth is the number of features of the slow knn models: high enough that neighbours are
// found by brute force, so one prediction costs a pass over every training row.
const knnWidth = 32

// TestCancelPredictBatch: predict_batch over a large input on an expensive model returns within
// a second of pg_cancel_backend, at several instants of the call (the first while the model may
// still be loading), and within a second of statement_timeout. The models: natively, a knn
// classifier among 100,000 training rows (25 MB, brute force in 32 dimensions); in python with
// pgml.python_threads = 2 (python calls run with signals blocked), an SVC of three classes over
// thousands of training rows, nearly all support vectors, whose break_ties keeps it in Python
// (it has no native form: docs/native-inference.md).
func TestCancelPredictBatch(t *testing.T) {
	setup := connect(t)
	exec(t, setup, `SELECT setseed(0.375)`)
	exec(t, setup, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS knn_wide AS
		SELECT ARRAY(SELECT random()::real FROM generate_series(1, %d) WHERE g > 0) AS x, (random() > 0.5)::int AS y
		FROM generate_series(1, 100000) g`, knnWidth))
	// Labels of three classes that no smooth function of x separates: every row a support vector.
	exec(t, setup, `CREATE TABLE IF NOT EXISTS svc_wide AS SELECT x, floor(x[2] * 1000)::int % 3 AS y FROM knn_wide LIMIT 3000`)
	// The input is far more rows than a few seconds can predict. It is read from a table, not
	// sent as a parameter: PostgreSQL drops a cancel that arrives while a large Bind message is
	// being read and converted (before the statement executes), which would test the protocol.
	exec(t, setup, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS slow_input AS
		SELECT array_agg(random()::real) AS features FROM generate_series(1, %d * 20000)`, knnWidth))
	trainings := map[string]string{
		"go": `SELECT * FROM pgml.train('Slow go', 'classification', 'knn_wide', 'y', algorithm => 'knn',
			test_size => 0.001, test_sampling => 'last')`,
		"python": `SELECT * FROM pgml.train('Slow python', 'classification', 'svc_wide', 'y', algorithm => 'svm',
			runtime => 'python', hyperparams => '{"break_ties": true}', test_size => 0.01, test_sampling => 'last')`,
	}
	// Other tests pick models of harnessDB by runtime: leave none behind.
	t.Cleanup(func() {
		_, _ = setup.Exec(context.Background(), `DELETE FROM pgml.projects WHERE name IN ('Slow go', 'Slow python')`)
	})
	for _, runtime := range []string{"go", "python"} {
		t.Run(runtime, func(t *testing.T) {
			project := "Slow " + runtime
			exec(t, setup, trainings[runtime])
			if runtime == "python" {
				if status := nativeInference(t, setup, project); status == "native" {
					t.Fatalf("the python model has a native form: predicting would not run Python")
				}
			}
			var modelID int64
			if err := setup.QueryRow(context.Background(), `SELECT m.id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
				WHERE p.name = $1 ORDER BY m.id DESC LIMIT 1`, project).Scan(&modelID); err != nil {
				t.Fatal(err)
			}
			// The python model is faster per row: it gets the rows three times.
			input := map[string]string{"go": "features", "python": "features || features || features"}[runtime]
			// The simple protocol: parsed and executed in one message. With the extended one, a
			// cancel that arrives while Parse runs (it can take 300 ms on a loaded machine) is
			// dropped by PostgreSQL when the backend waits for the next message (Bind), and the
			// statement then runs to its end (seen: 60 s).
			forms := map[string]func(*pgx.Conn) error{
				"by name": func(c *pgx.Conn) error {
					_, err := c.Exec(context.Background(), `SELECT count(*) FROM slow_input, pgml.predict_batch($1::text, `+input+`)`,
						pgx.QueryExecModeSimpleProtocol, project)
					return err
				},
				"by id": func(c *pgx.Conn) error {
					_, err := c.Exec(context.Background(), `SELECT cardinality(pgml.predict_batch($1::bigint, `+input+`)) FROM slow_input`,
						pgx.QueryExecModeSimpleProtocol, modelID)
					return err
				},
			}
			// One predicting session for all: a cancelled session keeps its cache and predicts
			// again. For go, the first cancel (300 ms) may arrive while the model loads.
			predictor, canceller := connect(t), connect(t)
			if runtime == "python" {
				startPython(t, predictor, modelID)
			}
			pid := backendPID(t, predictor)
			for _, form := range []string{"by name", "by id"} {
				for _, after := range []time.Duration{300 * time.Millisecond, time.Second, 2 * time.Second} {
					t.Run(fmt.Sprintf("%s, cancel after %v", form, after), func(t *testing.T) {
						done := make(chan error, 1)
						go func() { done <- forms[form](predictor) }()
						waitForRunningLongerThan(t, canceller, pid, after, done)
						cancelledAt := time.Now()
						exec(t, canceller, `SELECT pg_cancel_backend($1)`, pid)
						expectCancelled(t, done, cancelledAt, "predict_batch")
						expectSessionUsable(t, predictor, pid)
					})
				}
			}
			t.Run("statement_timeout", func(t *testing.T) {
				const timeout = 1500 * time.Millisecond
				exec(t, predictor, `SET statement_timeout = '1500ms'`)
				defer exec(t, predictor, `RESET statement_timeout`)
				start := time.Now()
				err := forms["by name"](predictor)
				elapsed := time.Since(start)
				t.Logf("statement_timeout %v: predict_batch returned after %v (error: %v)", timeout, elapsed, err)
				if sqlState(err) != sqlStateQueryCanceled {
					t.Fatalf("predict_batch under statement_timeout: %v, want SQLSTATE %s", err, sqlStateQueryCanceled)
				}
				if elapsed > timeout+cancelLatencyLimit {
					t.Errorf("predict_batch returned %v after it started, want at most %v", elapsed, timeout+cancelLatencyLimit)
				}
			})
		})
	}
}

// startPython starts the session's interpreter with two BLAS threads (python calls then run with
// signals blocked) and loads the model with a one-row batch: starting Python and importing
// scikit-learn take seconds in one call that cannot be interrupted, which is the bridge's
// concern, not prediction's.
func startPython(t *testing.T, conn *pgx.Conn, modelID int64) {
	t.Helper()
	exec(t, conn, `SET pgml.python_threads = 2`)
	exec(t, conn, fmt.Sprintf(`SELECT pgml.predict_batch($1::bigint, features[1:%d]) FROM slow_input`, knnWidth), modelID)
}

// expectCancelled waits for a cancelled statement and checks how it ended and how fast.
func expectCancelled(t *testing.T, done <-chan error, cancelledAt time.Time, what string) {
	t.Helper()
	select {
	case err := <-done:
		latency := time.Since(cancelledAt)
		t.Logf("pg_cancel_backend -> %s returned in %v (error: %v)", what, latency, err)
		if sqlState(err) != sqlStateQueryCanceled {
			t.Errorf("%s after cancel: %v, want SQLSTATE %s", what, err, sqlStateQueryCanceled)
		}
		if latency > cancelLatencyLimit {
			t.Errorf("%s took %v to stop after pg_cancel_backend, want at most %v", what, latency, cancelLatencyLimit)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s still running 60 s after pg_cancel_backend", what)
	}
}
