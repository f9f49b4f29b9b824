package harness

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// knnWidth is the number of features of the slow knn models: high enough that neighbours are
// found by brute force, so one prediction costs a pass over every training row.
const knnWidth = 32

// TestCancelPredictBatch: predict_batch over a large input on an expensive model (a knn
// classifier among 100,000 training rows, natively and in python with pgml.python_threads = 2,
// where python calls run with signals blocked) returns within a second of pg_cancel_backend, at
// several instants of the call (the first while the 25 MB model may still be loading), and
// within a second of statement_timeout.
func TestCancelPredictBatch(t *testing.T) {
	setup := connect(t)
	exec(t, setup, `SELECT setseed(0.375)`)
	exec(t, setup, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS knn_wide AS
		SELECT ARRAY(SELECT random()::real FROM generate_series(1, %d) WHERE g > 0) AS x, (random() > 0.5)::int AS y
		FROM generate_series(1, 100000) g`, knnWidth))
	rng := rand.New(rand.NewSource(7))
	input := make([]float32, knnWidth*50000) // far more rows than a few seconds can predict
	for i := range input {
		input[i] = rng.Float32()
	}

	for _, runtime := range []string{"go", "python"} {
		t.Run(runtime, func(t *testing.T) {
			project := "Slow KNN " + runtime
			exec(t, setup, `SELECT * FROM pgml.train($1, 'classification', 'knn_wide', 'y', algorithm => 'knn', runtime => $2,
				test_size => 0.001, test_sampling => 'last')`, project, runtime)
			var modelID int64
			if err := setup.QueryRow(context.Background(), `SELECT m.id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
				WHERE p.name = $1 ORDER BY m.id DESC LIMIT 1`, project).Scan(&modelID); err != nil {
				t.Fatal(err)
			}
			forms := map[string]func(*pgx.Conn) error{
				"by name": func(c *pgx.Conn) error {
					_, err := c.Exec(context.Background(), `SELECT count(*) FROM pgml.predict_batch($1::text, $2::real[])`, project, input)
					return err
				},
				"by id": func(c *pgx.Conn) error {
					_, err := c.Exec(context.Background(), `SELECT cardinality(pgml.predict_batch($1::bigint, $2::real[]))`, modelID, input)
					return err
				},
			}
			for _, form := range []string{"by name", "by id"} {
				for _, after := range []time.Duration{300 * time.Millisecond, time.Second, 2500 * time.Millisecond} {
					t.Run(fmt.Sprintf("%s, cancel after %v", form, after), func(t *testing.T) {
						predictor, canceller := connect(t), connect(t)
						if runtime == "python" {
							exec(t, predictor, `SET pgml.python_threads = 2`)
						}
						pid := backendPID(t, predictor)
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
				predictor := connect(t)
				if runtime == "python" {
					exec(t, predictor, `SET pgml.python_threads = 2`)
				}
				const timeout = 1500 * time.Millisecond
				exec(t, predictor, `SET statement_timeout = '1500ms'`)
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
